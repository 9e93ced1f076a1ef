// Padding TFLite's SAME cannot express (PyTorch-style [1, 0, 1, 0] with
// stride 2; SAME would pad after) becomes an explicit PAD (version 2: int8),
// which fills with the zero point, and a VALID CONV_2D.
// RUN: qapeft-translate --qapeft-to-tflite %s -o %t.tflite
// RUN: qapeft-translate --tflite-to-mlir %t.tflite | FileCheck %s
// RUN: qapeft-translate --tflite-to-mlir %t.tflite --mlir-print-debuginfo -o %t.mlir
// RUN: qapeft-translate --qapeft-to-tflite %t.mlir -o %t.again.tflite
// RUN: cmp %t.tflite %t.again.tflite

// CHECK: func.func @forward(%[[X:.*]]: tensor<1x4x4x2xi8>
// CHECK: %[[P:.*]] = tosa.const_shape {values = dense<[0, 0, 1, 0, 1, 0, 0, 0]> : tensor<8xindex>}
// CHECK: %[[ZP:.*]] = "tosa.const"() <{values = dense<-3> : tensor<1xi8>}>
// CHECK: %[[PADDED:.*]] = tosa.pad %[[X]], %[[P]], %[[ZP]]
// CHECK-SAME: tflite.builtin = "PAD", tflite.version = 2 : i32
// CHECK-SAME: -> tensor<1x5x5x2xi8>
// CHECK: tosa.conv2d %[[PADDED]]
// CHECK-SAME: pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>
// CHECK-SAME: tflite.builtin = "CONV_2D", tflite.fused_activation = "RELU6", tflite.version = 3 : i32
// CHECK-SAME: -> tensor<1x2x2x2xi32>

func.func @forward(%x: tensor<?x4x4x2xi8> {qapeft.scale = [0.05 : f32], qapeft.zero_point = [-3]})
    -> (tensor<?x2x2x2xi8> {qapeft.scale = [0.1 : f32], qapeft.zero_point = [5]}) {
  %w = "tosa.const"() {values = dense<[[[[1, -2], [3, 4], [-5, 6]], [[7, -8], [9, 10], [-11, 12]], [[13, -14], [15, 16], [-17, 18]]],
                                       [[[-1, 2], [-3, -4], [5, -6]], [[-7, 8], [-9, -10], [11, -12]], [[-13, 14], [-15, -16], [17, -18]]]]> : tensor<2x3x3x2xi8>,
                        qapeft.scale = [0.01 : f32, 0.02 : f32], qapeft.zero_point = [0, 0], qapeft.quantized_dimension = 0 : i64} : () -> tensor<2x3x3x2xi8> loc("conv1.weight")
  %b = "tosa.const"() {values = dense<[100, -50]> : tensor<2xi32>} : () -> tensor<2xi32> loc("conv1.bias")
  %izp = "tosa.const"() {values = dense<-3> : tensor<1xi8>} : () -> tensor<1xi8>
  %wzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %acc = tosa.conv2d %x, %w, %b, %izp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 2>}
      : (tensor<?x4x4x2xi8>, tensor<2x3x3x2xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<?x2x2x2xi32> loc("conv1")
  %m = "tosa.const"() {values = dense<[1374389504, 1374389504]> : tensor<2xi32>} : () -> tensor<2xi32>
  %s = "tosa.const"() {values = dense<[38, 37]> : tensor<2xi8>} : () -> tensor<2xi8>
  %rzp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<5> : tensor<1xi8>} : () -> tensor<1xi8>
  %r = tosa.rescale %acc, %m, %s, %rzp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = true, input_unsigned = false, output_unsigned = false,
                                              qapeft.scale = [0.1 : f32], qapeft.zero_point = [5]}
      : (tensor<?x2x2x2xi32>, tensor<2xi32>, tensor<2xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<?x2x2x2xi8> loc("conv1.rescale")
  %y = tosa.clamp %r {min_val = 5 : i8, max_val = 65 : i8, qapeft.scale = [0.1 : f32], qapeft.zero_point = [5]} : (tensor<?x2x2x2xi8>) -> tensor<?x2x2x2xi8> loc("conv1.relu6")
  return %y : tensor<?x2x2x2xi8>
}
