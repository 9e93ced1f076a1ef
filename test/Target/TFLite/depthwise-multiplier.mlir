// A depthwise convolution with channel multiplier 2 (TOSA weight [KH, KW, C,
// M] = [2, 2, 2, 2], TFLite depth_multiplier 2) and a per-tensor weight
// scale, with TFLite SAME padding (one row and column after).
// RUN: qapeft-translate --qapeft-to-tflite %s -o %t.tflite
// RUN: qapeft-translate --tflite-to-mlir %t.tflite | FileCheck %s
// RUN: qapeft-translate --tflite-to-mlir %t.tflite --mlir-print-debuginfo -o %t.mlir
// RUN: qapeft-translate --qapeft-to-tflite %t.mlir -o %t.again.tflite
// RUN: cmp %t.tflite %t.again.tflite

// CHECK: func.func @forward(%[[X:.*]]: tensor<1x3x3x2xi8>
// CHECK: %[[W:.*]] = "tosa.const"() <{values = dense<{{\[\[\[\[}}1, 2], [3, 4]], {{\[\[}}5, 6], [7, 8]]], {{\[\[\[}}-1, -2], [-3, -4]], {{\[\[}}-5, -6], [-7, -8]]]]> : tensor<2x2x2x2xi8>}>
// CHECK-SAME: {qapeft.scale = [5.000000e-02 : f32], qapeft.zero_point = [0]}
// CHECK: tosa.depthwise_conv2d %[[X]], %[[W]]
// CHECK-SAME: pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 1, 1>
// CHECK-SAME: tflite.builtin = "DEPTHWISE_CONV_2D", tflite.fused_activation = "NONE", tflite.version = 3 : i32
// CHECK-SAME: -> tensor<1x3x3x4xi32>
// CHECK: "tosa.const"() <{values = dense<1717986944> : tensor<1xi32>}>
// CHECK: "tosa.const"() <{values = dense<35> : tensor<1xi8>}>
// CHECK: tosa.rescale
// CHECK-SAME: per_channel = false

func.func @forward(%x: tensor<?x3x3x2xi8> {qapeft.scale = [0.03 : f32], qapeft.zero_point = [0]})
    -> (tensor<?x3x3x4xi8> {qapeft.scale = [0.03 : f32], qapeft.zero_point = [2]}) {
  %w = "tosa.const"() {values = dense<[[[[1, 2], [3, 4]], [[5, 6], [7, 8]]], [[[-1, -2], [-3, -4]], [[-5, -6], [-7, -8]]]]> : tensor<2x2x2x2xi8>,
                        qapeft.scale = [0.05 : f32], qapeft.zero_point = [0]} : () -> tensor<2x2x2x2xi8> loc("dw2.weight")
  %b = "tosa.const"() {values = dense<[0, 10, -10, 5]> : tensor<4xi32>} : () -> tensor<4xi32> loc("dw2.bias")
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %wzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %acc = tosa.depthwise_conv2d %x, %w, %b, %izp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 1, 1>}
      : (tensor<?x3x3x2xi8>, tensor<2x2x2x2xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<?x3x3x4xi32> loc("dw2")
  %m = "tosa.const"() {values = dense<1717986944> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<35> : tensor<1xi8>} : () -> tensor<1xi8>
  %rzp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<2> : tensor<1xi8>} : () -> tensor<1xi8>
  %y = tosa.rescale %acc, %m, %s, %rzp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false,
                                              qapeft.scale = [0.03 : f32], qapeft.zero_point = [2]}
      : (tensor<?x3x3x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<?x3x3x4xi8> loc("dw2.out")
  return %y : tensor<?x3x3x4xi8>
}
