// A tosa.rescale between two int8 activations (not after a convolution) is
// TFLite's QUANTIZE in its requantize form (version 1: int8 output), with the
// multiplier TFLite derives from s_in / s_out = 0.1 / 0.07. The runtime's
// QUANTIZE rounds twice, so the import is DOUBLE_ROUND (equal to the
// SINGLE_ROUND written here at shift 30, as below 32 the two agree).
// RUN: qapeft-translate --qapeft-to-tflite %s -o %t.tflite
// RUN: qapeft-translate --tflite-to-mlir %t.tflite | FileCheck %s
// RUN: qapeft-translate --tflite-to-mlir %t.tflite --mlir-print-debuginfo -o %t.mlir
// RUN: qapeft-translate --qapeft-to-tflite %t.mlir -o %t.again.tflite
// RUN: cmp %t.tflite %t.again.tflite

// CHECK: func.func @forward(%[[X:.*]]: tensor<1x2x3x4xi8> {qapeft.scale = [1.000000e-01 : f32], qapeft.zero_point = [-5]})
// CHECK: %[[M:.*]] = "tosa.const"() <{values = dense<1533916908> : tensor<1xi32>}>
// CHECK: %[[S:.*]] = "tosa.const"() <{values = dense<30> : tensor<1xi8>}>
// CHECK: %[[IZP:.*]] = "tosa.const"() <{values = dense<-5> : tensor<1xi8>}>
// CHECK: %[[OZP:.*]] = "tosa.const"() <{values = dense<10> : tensor<1xi8>}>
// CHECK: %[[R:.*]] = tosa.rescale %[[X]], %[[M]], %[[S]], %[[IZP]], %[[OZP]]
// CHECK-SAME: per_channel = false
// CHECK-SAME: rounding_mode = DOUBLE_ROUND, scale32 = true, tflite.builtin = "QUANTIZE", tflite.version = 1 : i32
// CHECK: tosa.reshape %[[R]]

func.func @forward(%x: tensor<?x2x3x4xi8> {qapeft.scale = [0.1 : f32], qapeft.zero_point = [-5]})
    -> (tensor<?x24xi8> {qapeft.scale = [0.07 : f32], qapeft.zero_point = [10]}) {
  %m = "tosa.const"() {values = dense<1533916908> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<30> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<-5> : tensor<1xi8>} : () -> tensor<1xi8>
  %ozp = "tosa.const"() {values = dense<10> : tensor<1xi8>} : () -> tensor<1xi8>
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false,
                                            qapeft.scale = [0.07 : f32], qapeft.zero_point = [10]}
      : (tensor<?x2x3x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<?x2x3x4xi8> loc("requant")
  %shape = tosa.const_shape {values = dense<[-1, 24]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %y = tosa.reshape %r, %shape : (tensor<?x2x3x4xi8>, !tosa.shape<2>) -> tensor<?x24xi8> loc("flatten")
  return %y : tensor<?x24xi8>
}
