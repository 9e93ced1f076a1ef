// An int16 softmax over the last axis (reduce_max, sub, exp, reduce_sum,
// reciprocal, mul between a symmetric int16 input quantizer and the output
// quantizer) becomes qapeft.tflite_softmax on i16, carrying the multiplier
// TFLite's SoftmaxPrepare derives: QuantizeMultiplier(0.001 / (10 / 65535)
// = 6.5535) = 0.8191875 * 2^3 -> (round(0.8191875 * 2^31), 3), and TFLite's
// fixed output grid 1/32768, 0.
// RUN: qapeft-opt %s --qapeft-lower-to-integer=function=softmax -o %t.mlir
// RUN: FileCheck %s --input-file %t.mlir
//
// Executed in the simulator (the steps are in unittests/Numerics/
// SoftmaxInt16Test.cpp, and the runtime prints the same):
//   [5, 5]:       both exps 32762, 1/sum from the table: 16384 each (1/2);
//   [0, -32768]:  32.8 below the max, the exp table's floor 2: 32766, 2;
//   [-7, -7]:     only differences matter: 16384 each.
// RUN: qapeft-sim make-npy --dtype i16 --shape 3x2 --values "5,5,0,-32768,-7,-7" -o %t.x.npy
// RUN: qapeft-sim run %t.mlir --function softmax --input %t.x.npy -o %t.s.npy
// RUN: qapeft-sim show-npy %t.s.npy | FileCheck %s --check-prefix=SIM
// SIM: tensor<3x2xi16>
// SIM-NEXT: 16384 16384
// SIM-NEXT: 32766 2
// SIM-NEXT: 16384 16384
//
// An output quantizer off the fixed grid (here 1/16384) is reached with a
// requantization after the op, and reported: 16384 -> 8192, 32766 -> 16383,
// 2 -> 1.
// RUN: qapeft-opt %s --qapeft-lower-to-integer=function=requant -o %t.r.mlir 2> %t.r.err
// RUN: FileCheck %s --check-prefix=WARN --input-file %t.r.err
// RUN: FileCheck %s --check-prefix=REQ-IR --input-file %t.r.mlir
// RUN: qapeft-sim run %t.r.mlir --function requant --input %t.x.npy -o %t.r.npy
// RUN: qapeft-sim show-npy %t.r.npy | FileCheck %s --check-prefix=REQ
// WARN: warning: the output of this softmax is quantized with scale 6.103516e-05 and zero point 0, but TFLite's int16 SOFTMAX writes scale 3.051758e-05 and zero point 0; requantizing after it (rounds twice)
// REQ-IR: qapeft.tflite_softmax
// REQ-IR: tosa.rescale
// REQ: tensor<3x2xi16>
// REQ-NEXT: 8192 8192
// REQ-NEXT: 16383 1
// REQ-NEXT: 8192 8192
//
// An input scale whose multiplier shift reaches 16 makes the kernel's int32
// scaling of differences wrap (8.0 * 6553.5 = 0.8 * 2^16): a warning.
// RUN: qapeft-opt %s --qapeft-lower-to-integer=function=wraps -o /dev/null 2>&1 | FileCheck %s --check-prefix=WRAP
// WRAP: warning: TFLite's int16 SOFTMAX multiplies input differences by 2^16 in int32 for input scale 8.000000e+00: differences of 32768 codes or more wrap around, on the device and in the simulator (a smaller input scale avoids it)

// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[X:.*]]: tensor<?x2xi16> {qapeft.scale = [1.000000e-03 : f32], qapeft.zero_point = [0]})
// CHECK-SAME: -> (tensor<?x2xi16> {qapeft.scale = [3.05175781E-5 : f32], qapeft.zero_point = [0]})
// CHECK-NEXT: %[[S:.*]] = qapeft.tflite_softmax %[[X]] {input_multiplier = 1759191844 : i32, input_scale = 1.000000e-03 : f32, input_shift = 3 : i32, qapeft.scale = [3.05175781E-5 : f32], qapeft.zero_point = [0]} : tensor<?x2xi16>
// CHECK-NEXT: return %[[S]]
func.func @softmax(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %xs = "tosa.const"() {values = dense<0.001> : tensor<f32>} : () -> tensor<f32>
  %xz = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x2xf32>, tensor<f32>
  %m = tosa.reduce_max %xq {axis = 1 : i32} : (tensor<?x2xf32>) -> tensor<?x1xf32>
  %d = tosa.sub %xq, %m : (tensor<?x2xf32>, tensor<?x1xf32>) -> tensor<?x2xf32>
  %e = tosa.exp %d : (tensor<?x2xf32>) -> tensor<?x2xf32>
  %s = tosa.reduce_sum %e {axis = 1 : i32} : (tensor<?x2xf32>) -> tensor<?x1xf32>
  %i = tosa.reciprocal %s : (tensor<?x1xf32>) -> tensor<?x1xf32>
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %p = tosa.mul %e, %i, %sh : (tensor<?x2xf32>, tensor<?x1xf32>, tensor<1xi8>) -> tensor<?x2xf32>
  %os = "tosa.const"() {values = dense<3.0517578125e-05> : tensor<f32>} : () -> tensor<f32>
  %oz = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %p scale %os zero_point %oz scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x2xf32>, tensor<f32>
  return %o : tensor<?x2xf32>
}

func.func @requant(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %xs = "tosa.const"() {values = dense<0.001> : tensor<f32>} : () -> tensor<f32>
  %xz = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x2xf32>, tensor<f32>
  %m = tosa.reduce_max %xq {axis = 1 : i32} : (tensor<?x2xf32>) -> tensor<?x1xf32>
  %d = tosa.sub %xq, %m : (tensor<?x2xf32>, tensor<?x1xf32>) -> tensor<?x2xf32>
  %e = tosa.exp %d : (tensor<?x2xf32>) -> tensor<?x2xf32>
  %s = tosa.reduce_sum %e {axis = 1 : i32} : (tensor<?x2xf32>) -> tensor<?x1xf32>
  %i = tosa.reciprocal %s : (tensor<?x1xf32>) -> tensor<?x1xf32>
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %p = tosa.mul %e, %i, %sh : (tensor<?x2xf32>, tensor<?x1xf32>, tensor<1xi8>) -> tensor<?x2xf32>
  %os = "tosa.const"() {values = dense<6.103515625e-05> : tensor<f32>} : () -> tensor<f32>
  %oz = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %p scale %os zero_point %oz scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x2xf32>, tensor<f32>
  return %o : tensor<?x2xf32>
}

func.func @wraps(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %xs = "tosa.const"() {values = dense<8.0> : tensor<f32>} : () -> tensor<f32>
  %xz = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x2xf32>, tensor<f32>
  %m = tosa.reduce_max %xq {axis = 1 : i32} : (tensor<?x2xf32>) -> tensor<?x1xf32>
  %d = tosa.sub %xq, %m : (tensor<?x2xf32>, tensor<?x1xf32>) -> tensor<?x2xf32>
  %e = tosa.exp %d : (tensor<?x2xf32>) -> tensor<?x2xf32>
  %s = tosa.reduce_sum %e {axis = 1 : i32} : (tensor<?x2xf32>) -> tensor<?x1xf32>
  %i = tosa.reciprocal %s : (tensor<?x1xf32>) -> tensor<?x1xf32>
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %p = tosa.mul %e, %i, %sh : (tensor<?x2xf32>, tensor<?x1xf32>, tensor<1xi8>) -> tensor<?x2xf32>
  %os = "tosa.const"() {values = dense<3.0517578125e-05> : tensor<f32>} : () -> tensor<f32>
  %oz = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %p scale %os zero_point %oz scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x2xf32>, tensor<f32>
  return %o : tensor<?x2xf32>
}
