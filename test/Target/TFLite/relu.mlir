// A clamp that is not a convolution's fused activation becomes RELU, RELU6 or
// RELU_N1_TO_1 when its bounds are that activation's quantized range (here
// scale 0.05, zero point -10: RELU [-10, 127], RELU6 [-10, 110],
// RELU_N1_TO_1 [-30, 10]); a clamp to the whole int8 range writes no operator.
// RUN: qapeft-translate --qapeft-to-tflite %s -o %t.tflite
// RUN: qapeft-translate --tflite-to-mlir %t.tflite | FileCheck %s
// RUN: qapeft-translate --tflite-to-mlir %t.tflite --mlir-print-debuginfo -o %t.mlir
// RUN: qapeft-translate --qapeft-to-tflite %t.mlir -o %t.again.tflite
// RUN: cmp %t.tflite %t.again.tflite

// CHECK: %[[A:.*]] = tosa.clamp %arg0 {max_val = 110 : i8, min_val = -10 : i8, {{.*}}tflite.builtin = "RELU6", tflite.version = 2 : i32}
// CHECK: %[[B:.*]] = tosa.clamp %[[A]] {max_val = 10 : i8, min_val = -30 : i8, {{.*}}tflite.builtin = "RELU_N1_TO_1", tflite.version = 1 : i32}
// CHECK: %[[C:.*]] = tosa.clamp %[[B]] {max_val = 127 : i8, min_val = -10 : i8, {{.*}}tflite.builtin = "RELU", tflite.version = 2 : i32}
// CHECK-NOT: tosa.clamp
// CHECK: return %[[C]]

func.func @forward(%x: tensor<?x3x5xi8> {qapeft.scale = [0.05 : f32], qapeft.zero_point = [-10]})
    -> (tensor<?x3x5xi8> {qapeft.scale = [0.05 : f32], qapeft.zero_point = [-10]}) {
  %a = tosa.clamp %x {min_val = -10 : i8, max_val = 110 : i8, qapeft.scale = [0.05 : f32], qapeft.zero_point = [-10]} : (tensor<?x3x5xi8>) -> tensor<?x3x5xi8> loc("relu6")
  %b = tosa.clamp %a {min_val = -30 : i8, max_val = 10 : i8, qapeft.scale = [0.05 : f32], qapeft.zero_point = [-10]} : (tensor<?x3x5xi8>) -> tensor<?x3x5xi8> loc("relu1")
  %n = tosa.clamp %b {min_val = -128 : i8, max_val = 127 : i8, qapeft.scale = [0.05 : f32], qapeft.zero_point = [-10]} : (tensor<?x3x5xi8>) -> tensor<?x3x5xi8> loc("saturate")
  %c = tosa.clamp %n {min_val = -10 : i8, max_val = 127 : i8, qapeft.scale = [0.05 : f32], qapeft.zero_point = [-10]} : (tensor<?x3x5xi8>) -> tensor<?x3x5xi8> loc("relu")
  return %c : tensor<?x3x5xi8>
}
