// ADD, SUB and MUL lowered by --qapeft-lower-to-integer export as one TFLite
// operator each (the rescales, the shift, SUB's negation and the fused
// activation clamp are part of it), with the minimal versions for int8 (ADD
// 2, SUB 2, MUL 2, or MUL 3 when s1 * s2 / so >= 1) and the fused
// activation; reading the file back gives the same integer pattern, which
// exports to the same bytes.
// RUN: qapeft-opt %s --qapeft-lower-to-integer -o %t.int.mlir
// RUN: qapeft-translate --qapeft-to-tflite %t.int.mlir -o %t.tflite
// RUN: qapeft-translate --tflite-to-mlir %t.tflite | FileCheck %s
// RUN: qapeft-translate --tflite-to-mlir %t.tflite --mlir-print-debuginfo -o %t.mlir
// RUN: qapeft-translate --qapeft-to-tflite %t.mlir -o %t.again.tflite
// RUN: cmp %t.tflite %t.again.tflite
// Lowered for XNNPACK (its own ADD/SUB fixed point, fp32 MUL requantization),
// the graph differs but the file is the same: the runtime picks the
// arithmetic, the file holds only the scales.
// RUN: qapeft-opt %s --qapeft-lower-to-integer="rounding=fp32-half-even" -o %t.xnn.mlir
// RUN: qapeft-translate --qapeft-to-tflite %t.xnn.mlir -o %t.xnn.tflite
// RUN: cmp %t.tflite %t.xnn.tflite

// CHECK-LABEL: func.func @forward
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x3xi8> {qapeft.scale = [5.000000e-02 : f32], qapeft.zero_point = [-3]}, %[[Y:.*]]: tensor<1x1x3xi8> {qapeft.scale = [4.000000e-02 : f32], qapeft.zero_point = [5]})
// ADD with a broadcast operand and a fused RELU (zero point 2: [2, 127]).
// CHECK: %[[S:.*]] = tosa.add %{{.*}}, %{{.*}} {tflite.builtin = "ADD", tflite.fused_activation = "RELU", tflite.version = 2 : i32} : (tensor<1x2x3xi32>, tensor<1x1x3xi32>) -> tensor<1x2x3xi32>
// CHECK: %[[SR:.*]] = tosa.rescale %[[S]]{{.*}}qapeft.scale = [1.000000e-01 : f32], qapeft.zero_point = [2], rounding_mode = DOUBLE_ROUND
// CHECK: %[[SC:.*]] = tosa.clamp %[[SR]] {max_val = 127 : i8, min_val = 2 : i8
// SUB: the second operand scaled by -2^20.
// CHECK: "tosa.const"() <{values = dense<-1048576> : tensor<1x1x1xi32>}>
// CHECK: %[[D:.*]] = tosa.add %{{.*}}, %{{.*}} {tflite.builtin = "SUB", tflite.fused_activation = "NONE", tflite.version = 2 : i32}
// CHECK: %[[DR:.*]] = tosa.rescale %[[D]]
// MUL with the rescale 0.06 * 0.05 / 0.002 = 1.5 >= 1 (version 3) and a
// ReLU6 whose 6 / 0.002 = 3000 is beyond int8: the clamp [0, 127] is RELU's.
// CHECK: %[[M:.*]] = tosa.mul %{{.*}}, %{{.*}}, %{{.*}} {tflite.builtin = "MUL", tflite.fused_activation = "RELU", tflite.version = 3 : i32}
// CHECK: %[[MR:.*]] = tosa.rescale %[[M]]{{.*}}qapeft.scale = [2.000000e-03 : f32], qapeft.zero_point = [0], rounding_mode = DOUBLE_ROUND
// CHECK: %[[MC:.*]] = tosa.clamp %[[MR]] {max_val = 127 : i8, min_val = 0 : i8
// CHECK: return %[[MC]]
func.func @forward(%x: tensor<?x2x3xf32>, %y: tensor<1x1x3xf32>) -> tensor<?x2x3xf32> {
  %xs = "tosa.const"() {values = dense<0.05> : tensor<f32>} : () -> tensor<f32>
  %xz = "tosa.const"() {values = dense<-3.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 8, storage = i8> : tensor<?x2x3xf32>, tensor<f32>
  %ys = "tosa.const"() {values = dense<0.04> : tensor<f32>} : () -> tensor<f32>
  %yz = "tosa.const"() {values = dense<5.0> : tensor<f32>} : () -> tensor<f32>
  %yq = qapeft.fake_quant %y scale %ys zero_point %yz scheme <bits = 8, storage = i8> : tensor<1x1x3xf32>, tensor<f32>
  %s = tosa.add %xq, %yq : (tensor<?x2x3xf32>, tensor<1x1x3xf32>) -> tensor<?x2x3xf32> loc("add")
  %sr = tosa.clamp %s {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<?x2x3xf32>) -> tensor<?x2x3xf32>
  %ss = "tosa.const"() {values = dense<0.1> : tensor<f32>} : () -> tensor<f32>
  %sz = "tosa.const"() {values = dense<2.0> : tensor<f32>} : () -> tensor<f32>
  %sq = qapeft.fake_quant %sr scale %ss zero_point %sz scheme <bits = 8, storage = i8> : tensor<?x2x3xf32>, tensor<f32>
  %d = tosa.sub %sq, %xq : (tensor<?x2x3xf32>, tensor<?x2x3xf32>) -> tensor<?x2x3xf32> loc("sub")
  %ds = "tosa.const"() {values = dense<0.06> : tensor<f32>} : () -> tensor<f32>
  %dz = "tosa.const"() {values = dense<-1.0> : tensor<f32>} : () -> tensor<f32>
  %dq = qapeft.fake_quant %d scale %ds zero_point %dz scheme <bits = 8, storage = i8> : tensor<?x2x3xf32>, tensor<f32>
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %m = tosa.mul %dq, %xq, %shift : (tensor<?x2x3xf32>, tensor<?x2x3xf32>, tensor<1xi8>) -> tensor<?x2x3xf32> loc("mul")
  %mr = tosa.clamp %m {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<?x2x3xf32>) -> tensor<?x2x3xf32>
  %ms = "tosa.const"() {values = dense<0.002> : tensor<f32>} : () -> tensor<f32>
  %mz = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %mq = qapeft.fake_quant %mr scale %ms zero_point %mz scheme <bits = 8, storage = i8> : tensor<?x2x3xf32>, tensor<f32>
  return %mq : tensor<?x2x3xf32>
}
