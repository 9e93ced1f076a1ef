// int16x8: i16 activations, i8 weights, i48 accumulator and bias. The bias is
// written as TFLite's int64 and CONV_2D gets version 4. TFLite's int16x8
// kernels round the Q31 multiplier to 16 bits: that is TOSA's 16-bit
// multiplier (scale32 = false, which TOSA requires for i48 accumulators).
// RUN: qapeft-translate --qapeft-to-tflite %s -o %t.tflite
// RUN: qapeft-translate --tflite-to-mlir %t.tflite | FileCheck %s
// RUN: qapeft-translate --tflite-to-mlir %t.tflite --mlir-print-debuginfo -o %t.mlir
// RUN: qapeft-translate --qapeft-to-tflite %t.mlir -o %t.again.tflite
// RUN: cmp %t.tflite %t.again.tflite

// CHECK: tflite.metadata = {min_runtime_version = "2.3.0"
// CHECK: func.func @forward(%[[X:.*]]: tensor<1x2x2x2xi16>
// CHECK: %[[B:.*]] = "tosa.const"() <{values = dense<[100, -200]> : tensor<2xi48>}>
// CHECK: %[[ACC:.*]] = tosa.conv2d %[[X]], %{{.*}}, %[[B]]
// CHECK-SAME: acc_type = i48
// CHECK-SAME: tflite.builtin = "CONV_2D", tflite.fused_activation = "NONE", tflite.version = 4 : i32
// CHECK-SAME: -> tensor<1x2x2x2xi48>
// CHECK: "tosa.const"() <{values = dense<[19661, 22938]> : tensor<2xi16>}>
// CHECK: "tosa.const"() <{values = dense<[17, 16]> : tensor<2xi8>}>
// CHECK: tosa.rescale %[[ACC]]
// CHECK-SAME: scale32 = false
// CHECK-SAME: -> tensor<1x2x2x2xi16>

func.func @forward(%x: tensor<?x2x2x2xi16> {qapeft.scale = [0.001 : f32], qapeft.zero_point = [0]})
    -> (tensor<?x2x2x2xi16> {qapeft.scale = [0.002 : f32], qapeft.zero_point = [0]}) {
  %w = "tosa.const"() {values = dense<[[[[3, -7]]], [[[-100, 127]]]]> : tensor<2x1x1x2xi8>,
                        qapeft.scale = [0.3 : f32, 0.7 : f32], qapeft.zero_point = [0, 0], qapeft.quantized_dimension = 0 : i64} : () -> tensor<2x1x1x2xi8> loc("conv16.weight")
  %b = "tosa.const"() {values = dense<[100, -200]> : tensor<2xi48>} : () -> tensor<2xi48> loc("conv16.bias")
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi16>} : () -> tensor<1xi16>
  %wzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %acc = tosa.conv2d %x, %w, %b, %izp, %wzp {acc_type = i48, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>}
      : (tensor<?x2x2x2xi16>, tensor<2x1x1x2xi8>, tensor<2xi48>, tensor<1xi16>, tensor<1xi8>) -> tensor<?x2x2x2xi48> loc("conv16")
  %m = "tosa.const"() {values = dense<[19661, 22938]> : tensor<2xi16>} : () -> tensor<2xi16>
  %s = "tosa.const"() {values = dense<[17, 16]> : tensor<2xi8>} : () -> tensor<2xi8>
  %rzp = "tosa.const"() {values = dense<0> : tensor<1xi48>} : () -> tensor<1xi48>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi16>} : () -> tensor<1xi16>
  %y = tosa.rescale %acc, %m, %s, %rzp, %ozp {scale32 = false, rounding_mode = SINGLE_ROUND, per_channel = true, input_unsigned = false, output_unsigned = false,
                                              qapeft.scale = [0.002 : f32], qapeft.zero_point = [0]}
      : (tensor<?x2x2x2xi48>, tensor<2xi16>, tensor<2xi8>, tensor<1xi48>, tensor<1xi16>) -> tensor<?x2x2x2xi16> loc("conv16.out")
  return %y : tensor<?x2x2x2xi16>
}
