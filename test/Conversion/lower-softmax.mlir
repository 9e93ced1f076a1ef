// An int8 softmax over the last axis (reduce_max, sub, exp, reduce_sum,
// reciprocal, mul) becomes qapeft.tflite_softmax on TFLite's fixed output
// grid (1/256, -128).
// RUN: qapeft-opt %s --qapeft-lower-to-integer=function= -o %t.mlir 2>/dev/null
// RUN: FileCheck %s --input-file %t.mlir
//
// Executed in the simulator. Input scale 0.5, rows [0, 0], [2, 0], [127, -128]:
//   [0, 0]: both exp 1, 1 / (2 / 256) = 128 -> 128 - 128 = 0 each.
//   [2, 0]: exp(0) = 1 and exp(-1) = 0.367879; 256 / 1.367879 = 187.15 ->
//           187 - 128 = 59; 0.367879 * 187.15 = 68.85 -> 69 - 128 = -59.
//   [127, -128]: exp(-127.5) underflows float32 to 0: 256 saturates to 127,
//           0 -> -128.
// The second function's output quantizer is 1/128, -128: the codes t are
// requantized, (t + 128) / 2 rounded half up - 128: 0 -> -64, 59 -> -34,
// -59 -> -93 (34.5 rounds up), 127 -> 0, -128 -> -128.
// RUN: qapeft-sim make-npy --dtype i8 --shape 3x2 --values "0,0,2,0,127,-128" -o %t.x.npy
// RUN: qapeft-sim run %t.mlir --function softmax --input %t.x.npy -o %t.s.npy
// RUN: qapeft-sim show-npy %t.s.npy | FileCheck %s --check-prefix=SIM
// RUN: qapeft-sim run %t.mlir --function requant --input %t.x.npy -o %t.r.npy
// RUN: qapeft-sim show-npy %t.r.npy | FileCheck %s --check-prefix=REQ
// SIM: tensor<3x2xi8>
// SIM-NEXT: 0 0
// SIM-NEXT: 59 -59
// SIM-NEXT: 127 -128
// REQ: tensor<3x2xi8>
// REQ-NEXT: -64 -64
// REQ-NEXT: -34 -93
// REQ-NEXT: 0 -128
//
// The requantization is reported.
// RUN: qapeft-opt %s --qapeft-lower-to-integer=function= -o /dev/null 2> %t.warn
// RUN: FileCheck %s --check-prefix=WARN < %t.warn
// WARN: warning: the output of this softmax is quantized with scale 7.812500e-03 and zero point -128, but TFLite's int8 SOFTMAX writes scale 3.906250e-03 and zero point -128; requantizing after it (rounds twice)

// CHECK-LABEL: func.func @softmax
// CHECK-SAME: -> (tensor<?x2xi8> {qapeft.scale = [3.906250e-03 : f32], qapeft.zero_point = [-128]})
// CHECK: %[[S:.*]] = qapeft.tflite_softmax %arg0 {input_scale = 5.000000e-01 : f32, qapeft.scale = [3.906250e-03 : f32], qapeft.zero_point = [-128]} : tensor<?x2xi8>
// CHECK-NOT: tosa.reduce_max
// CHECK-NOT: tosa.exp
// CHECK: return %[[S]]
func.func @softmax(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %xs = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %xz = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 8, storage = i8> : tensor<?x2xf32>, tensor<f32>
  %m = tosa.reduce_max %xq {axis = 1 : i32} : (tensor<?x2xf32>) -> tensor<?x1xf32>
  %d = tosa.sub %xq, %m : (tensor<?x2xf32>, tensor<?x1xf32>) -> tensor<?x2xf32>
  %e = tosa.exp %d : (tensor<?x2xf32>) -> tensor<?x2xf32>
  %s = tosa.reduce_sum %e {axis = 1 : i32} : (tensor<?x2xf32>) -> tensor<?x1xf32>
  %i = tosa.reciprocal %s : (tensor<?x1xf32>) -> tensor<?x1xf32>
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %p = tosa.mul %e, %i, %sh : (tensor<?x2xf32>, tensor<?x1xf32>, tensor<1xi8>) -> tensor<?x2xf32>
  %os = "tosa.const"() {values = dense<0.00390625> : tensor<f32>} : () -> tensor<f32>
  %oz = "tosa.const"() {values = dense<-128.0> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %p scale %os zero_point %oz scheme <bits = 8, storage = i8> : tensor<?x2xf32>, tensor<f32> loc("sm")
  return %o : tensor<?x2xf32>
}

// CHECK-LABEL: func.func @requant
// CHECK-SAME: -> (tensor<?x2xi8> {qapeft.scale = [7.812500e-03 : f32], qapeft.zero_point = [-128]})
// CHECK: %[[S:.*]] = qapeft.tflite_softmax %arg0 {input_scale = 5.000000e-01 : f32, qapeft.scale = [3.906250e-03 : f32], qapeft.zero_point = [-128]}
// CHECK: %[[R:.*]] = tosa.rescale %[[S]]
// CHECK: return %[[R]]
func.func @requant(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %xs = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %xz = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 8, storage = i8> : tensor<?x2xf32>, tensor<f32>
  %m = tosa.reduce_max %xq {axis = 1 : i32} : (tensor<?x2xf32>) -> tensor<?x1xf32>
  %d = tosa.sub %xq, %m : (tensor<?x2xf32>, tensor<?x1xf32>) -> tensor<?x2xf32>
  %e = tosa.exp %d : (tensor<?x2xf32>) -> tensor<?x2xf32>
  %s = tosa.reduce_sum %e {axis = 1 : i32} : (tensor<?x2xf32>) -> tensor<?x1xf32>
  %i = tosa.reciprocal %s : (tensor<?x1xf32>) -> tensor<?x1xf32>
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %p = tosa.mul %e, %i, %sh : (tensor<?x2xf32>, tensor<?x1xf32>, tensor<1xi8>) -> tensor<?x2xf32>
  %os = "tosa.const"() {values = dense<0.0078125> : tensor<f32>} : () -> tensor<f32>
  %oz = "tosa.const"() {values = dense<-128.0> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %p scale %os zero_point %oz scheme <bits = 8, storage = i8> : tensor<?x2xf32>, tensor<f32>
  return %o : tensor<?x2xf32>
}
