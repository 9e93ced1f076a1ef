// int16x8 ADD, SUB and MUL: left shift 15 (x 32768, SUB's second operand
// x -32768), pot_scale_int16 = false (TFLite's general int16 kernels), and
// the minimal versions ADD 3, SUB 5, MUL 4; the file reads back to the same
// pattern and exports to the same bytes.
// RUN: qapeft-opt %s --qapeft-lower-to-integer -o %t.int.mlir
// RUN: qapeft-translate --qapeft-to-tflite %t.int.mlir -o %t.tflite
// RUN: qapeft-translate --tflite-to-mlir %t.tflite | FileCheck %s
// RUN: qapeft-translate --tflite-to-mlir %t.tflite --mlir-print-debuginfo -o %t.mlir
// RUN: qapeft-translate --qapeft-to-tflite %t.mlir -o %t.again.tflite
// RUN: cmp %t.tflite %t.again.tflite

// ADD 3 and SUB 5 need runtime 2.4.0 (runtime_version.cc), MUL 4 2.3.0.
// CHECK: min_runtime_version = "2.4.0"
// CHECK: "tosa.const"() <{values = dense<32768> : tensor<1x1xi32>}>
// CHECK: tosa.add {{.*}} {tflite.builtin = "ADD", tflite.fused_activation = "NONE", tflite.version = 3 : i32} {{.*}} -> tensor<1x4xi32>
// CHECK: tosa.rescale {{.*}} -> tensor<1x4xi16>
// CHECK: "tosa.const"() <{values = dense<-32768> : tensor<1x1xi32>}>
// CHECK: tosa.add {{.*}} {tflite.builtin = "SUB", tflite.fused_activation = "RELU", tflite.version = 5 : i32}
// CHECK: tosa.mul {{.*}} {tflite.builtin = "MUL", tflite.fused_activation = "NONE", tflite.version = 4 : i32}
// CHECK: tosa.rescale {{.*}} -> tensor<1x4xi16>
func.func @forward(%x: tensor<?x4xf32>, %y: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %z = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xs = "tosa.const"() {values = dense<0.0002> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x4xf32>, tensor<f32>
  %ys = "tosa.const"() {values = dense<0.0003> : tensor<f32>} : () -> tensor<f32>
  %yq = qapeft.fake_quant %y scale %ys zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x4xf32>, tensor<f32>
  %s = tosa.add %xq, %yq : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  %ss = "tosa.const"() {values = dense<0.0004> : tensor<f32>} : () -> tensor<f32>
  %sq = qapeft.fake_quant %s scale %ss zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x4xf32>, tensor<f32>
  %d = tosa.sub %sq, %yq : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  %dr = tosa.clamp %d {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %dq = qapeft.fake_quant %dr scale %ss zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x4xf32>, tensor<f32>
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %m = tosa.mul %dq, %xq, %shift : (tensor<?x4xf32>, tensor<?x4xf32>, tensor<1xi8>) -> tensor<?x4xf32>
  %ms = "tosa.const"() {values = dense<0.0001> : tensor<f32>} : () -> tensor<f32>
  %mq = qapeft.fake_quant %m scale %ms zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x4xf32>, tensor<f32>
  return %mq : tensor<?x4xf32>
}
