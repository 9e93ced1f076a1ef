// depthwise_conv2d -> rescale is DEPTHWISE_CONV_2D (version 3: int8). The
// TOSA [KH, KW, C, M] weight is TFLite's [1, KH, KW, C*M] with the same bytes;
// per-channel scales are on TOSA dimension 2 (M = 1) and TFLite dimension 3.
// No clamp means no fused activation.
// RUN: qapeft-translate --qapeft-to-tflite %s -o %t.tflite
// RUN: qapeft-translate --tflite-to-mlir %t.tflite | FileCheck %s
// RUN: qapeft-translate --tflite-to-mlir %t.tflite --mlir-print-debuginfo -o %t.mlir
// RUN: qapeft-translate --qapeft-to-tflite %t.mlir -o %t.again.tflite
// RUN: cmp %t.tflite %t.again.tflite

// CHECK: func.func @forward(%[[X:.*]]: tensor<1x3x3x4xi8>
// CHECK: %[[W:.*]] = "tosa.const"() <{values = dense<{{\[\[\[\[}}1], [2], [3], [4]], {{\[\[}}5], [6], [7], [8]]], {{\[\[\[}}-1], [-2], [-3], [-4]], {{\[\[}}-5], [-6], [-7], [-8]]]]> : tensor<2x2x4x1xi8>}>
// CHECK-SAME: qapeft.quantized_dimension = 2 : i64
// CHECK: %[[ACC:.*]] = tosa.depthwise_conv2d %[[X]], %[[W]]
// CHECK-SAME: pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>
// CHECK-SAME: tflite.builtin = "DEPTHWISE_CONV_2D", tflite.fused_activation = "NONE", tflite.version = 3 : i32
// CHECK: tosa.rescale %[[ACC]]
// CHECK-NOT: tosa.clamp
// CHECK: return

func.func @forward(%x: tensor<?x3x3x4xi8> {qapeft.scale = [0.03 : f32], qapeft.zero_point = [0]})
    -> (tensor<?x2x2x4xi8> {qapeft.scale = [0.03 : f32], qapeft.zero_point = [2]}) {
  %w = "tosa.const"() {values = dense<[[[[1], [2], [3], [4]], [[5], [6], [7], [8]]], [[[-1], [-2], [-3], [-4]], [[-5], [-6], [-7], [-8]]]]> : tensor<2x2x4x1xi8>,
                        qapeft.scale = [0.1 : f32, 0.05 : f32, 0.02 : f32, 0.04 : f32], qapeft.zero_point = [0, 0, 0, 0], qapeft.quantized_dimension = 2 : i64} : () -> tensor<2x2x4x1xi8> loc("dw1.weight")
  %b = "tosa.const"() {values = dense<[0, 10, -10, 5]> : tensor<4xi32>} : () -> tensor<4xi32> loc("dw1.bias")
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %wzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %acc = tosa.depthwise_conv2d %x, %w, %b, %izp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>}
      : (tensor<?x3x3x4xi8>, tensor<2x2x4x1xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<?x2x2x4xi32> loc("dw1")
  %m = "tosa.const"() {values = dense<[1717986944, 1717986944, 1374389504, 1374389504]> : tensor<4xi32>} : () -> tensor<4xi32>
  %s = "tosa.const"() {values = dense<[34, 35, 36, 35]> : tensor<4xi8>} : () -> tensor<4xi8>
  %rzp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<2> : tensor<1xi8>} : () -> tensor<1xi8>
  %y = tosa.rescale %acc, %m, %s, %rzp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = true, input_unsigned = false, output_unsigned = false,
                                              qapeft.scale = [0.03 : f32], qapeft.zero_point = [2]}
      : (tensor<?x2x2x4xi32>, tensor<4xi32>, tensor<4xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<?x2x2x4xi8> loc("dw1.out")
  return %y : tensor<?x2x2x4xi8>
}
