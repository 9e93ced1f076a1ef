// Export of conv2d -> rescale -> clamp as one CONV_2D with a fused RELU6,
// read back with --tflite-to-mlir, and exported again bit-identically.
// RUN: qapeft-translate --qapeft-to-tflite %s -o %t.tflite
// RUN: qapeft-translate --tflite-to-mlir %t.tflite | FileCheck %s
// RUN: qapeft-translate --tflite-to-mlir %t.tflite --mlir-print-debuginfo -o %t.mlir
// RUN: qapeft-translate --qapeft-to-tflite %t.mlir -o %t.again.tflite
// RUN: cmp %t.tflite %t.again.tflite

// Buffers: the empty sentinel, weight, bias, min_runtime_version, description.
// CHECK: module attributes {tflite.description = "qapeft integer model for target generic (qapeft-translate)"
// CHECK-SAME: tflite.metadata = {min_runtime_version = "1.14.0", qapeft_description = "qapeft integer model for target generic (qapeft-translate)"}
// CHECK-SAME: tflite.num_buffers = 5
// CHECK-SAME: tflite.signature = {inputs = ["input_0:0"], key = "serving_default", outputs = ["output_0:3"]}
// CHECK: func.func @forward(%[[X:.*]]: tensor<1x4x4x2xi8> {qapeft.scale = [5.000000e-02 : f32], qapeft.zero_point = [-3]})
// CHECK-SAME: -> (tensor<1x4x4x2xi8> {qapeft.scale = [1.000000e-01 : f32], qapeft.zero_point = [5]})
// CHECK-DAG: %[[IZP:.*]] = "tosa.const"() <{values = dense<-3> : tensor<1xi8>}>
// CHECK-DAG: %[[WZP:.*]] = "tosa.const"() <{values = dense<0> : tensor<1xi8>}>
// The weight keeps its OHWI layout, per-channel scales on dimension 0.
// CHECK-DAG: %[[W:.*]] = "tosa.const"() <{values = dense<{{.*}}> : tensor<2x3x3x2xi8>}> {qapeft.quantized_dimension = 0 : i64, qapeft.scale = [0.00999999977 : f32, 2.000000e-02 : f32], qapeft.zero_point = [0, 0]}
// The bias is int32 with scale s_in * s_w per channel and zero point 0.
// CHECK-DAG: %[[B:.*]] = "tosa.const"() <{values = dense<[100, -50]> : tensor<2xi32>}> {qapeft.quantized_dimension = 0 : i64, qapeft.scale = [5.000000e-04 : f32, 1.000000e-03 : f32], qapeft.zero_point = [0, 0]}
// CHECK: %[[ACC:.*]] = tosa.conv2d %[[X]], %[[W]], %[[B]], %[[IZP]], %[[WZP]]
// CHECK-SAME: acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>
// CHECK-SAME: tflite.builtin = "CONV_2D", tflite.fused_activation = "RELU6", tflite.version = 3 : i32
// CHECK: %[[M:.*]] = "tosa.const"() <{values = dense<1374389504> : tensor<2xi32>}>
// CHECK: %[[S:.*]] = "tosa.const"() <{values = dense<[38, 37]> : tensor<2xi8>}>
// CHECK: %[[R:.*]] = tosa.rescale %[[ACC]], %[[M]], %[[S]]
// CHECK-SAME: per_channel = true
// CHECK-SAME: rounding_mode = SINGLE_ROUND, scale32 = true
// RELU6 on scale 0.1, zero point 5: [5, 5 + round(6 / 0.1)] = [5, 65].
// CHECK: %[[C:.*]] = tosa.clamp %[[R]] {max_val = 65 : i8, min_val = 5 : i8
// CHECK: return %[[C]]

func.func @forward(%x: tensor<?x4x4x2xi8> {qapeft.scale = [0.05 : f32], qapeft.zero_point = [-3]})
    -> (tensor<?x4x4x2xi8> {qapeft.scale = [0.1 : f32], qapeft.zero_point = [5]}) {
  %w = "tosa.const"() {values = dense<[[[[1, -2], [3, 4], [-5, 6]], [[7, -8], [9, 10], [-11, 12]], [[13, -14], [15, 16], [-17, 18]]],
                                       [[[-1, 2], [-3, -4], [5, -6]], [[-7, 8], [-9, -10], [11, -12]], [[-13, 14], [-15, -16], [17, -18]]]]> : tensor<2x3x3x2xi8>,
                        qapeft.scale = [0.01 : f32, 0.02 : f32], qapeft.zero_point = [0, 0], qapeft.quantized_dimension = 0 : i64} : () -> tensor<2x3x3x2xi8> loc("conv1.weight")
  %b = "tosa.const"() {values = dense<[100, -50]> : tensor<2xi32>} : () -> tensor<2xi32> loc("conv1.bias")
  %izp = "tosa.const"() {values = dense<-3> : tensor<1xi8>} : () -> tensor<1xi8>
  %wzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %acc = tosa.conv2d %x, %w, %b, %izp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>}
      : (tensor<?x4x4x2xi8>, tensor<2x3x3x2xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<?x4x4x2xi32> loc("conv1")
  %m = "tosa.const"() {values = dense<[1374389504, 1374389504]> : tensor<2xi32>} : () -> tensor<2xi32>
  %s = "tosa.const"() {values = dense<[38, 37]> : tensor<2xi8>} : () -> tensor<2xi8>
  %rzp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<5> : tensor<1xi8>} : () -> tensor<1xi8>
  %r = tosa.rescale %acc, %m, %s, %rzp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = true, input_unsigned = false, output_unsigned = false,
                                              qapeft.scale = [0.1 : f32], qapeft.zero_point = [5]}
      : (tensor<?x4x4x2xi32>, tensor<2xi32>, tensor<2xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<?x4x4x2xi8> loc("conv1.rescale")
  %y = tosa.clamp %r {min_val = 5 : i8, max_val = 65 : i8, qapeft.scale = [0.1 : f32], qapeft.zero_point = [5]} : (tensor<?x4x4x2xi8>) -> tensor<?x4x4x2xi8> loc("conv1.relu6")
  return %y : tensor<?x4x4x2xi8>
}
