// RUN: qapeft-opt %s | FileCheck %s
// RUN: qapeft-opt %s | qapeft-opt | FileCheck %s
// RUN: qapeft-opt %s -mlir-print-op-generic | qapeft-opt | FileCheck %s

// CHECK-LABEL: func.func @lora_weight
// CHECK: qapeft.param "conv1.lora_a" trainable dense<1.000000e-01> : tensor<4x9xf32>
// CHECK: qapeft.lora_delta %{{.*}}, %{{.*}}, %{{.*}} {alpha = 8.000000e+00 : f32, rank = 4 : i64}
func.func @lora_weight() -> tensor<16x3x3x1xf32> {
  %w = qapeft.param "conv1.weight" dense<1.0> : tensor<16x3x3x1xf32>
  %a = qapeft.param "conv1.lora_a" trainable dense<0.1> : tensor<4x9xf32>
  %b = qapeft.param "conv1.lora_b" trainable dense<0.0> : tensor<16x4xf32>
  %w2 = qapeft.lora_delta %w, %a, %b {alpha = 8.0 : f32, rank = 4 : i64} : tensor<16x3x3x1xf32>, tensor<4x9xf32>, tensor<16x4xf32>
  return %w2 : tensor<16x3x3x1xf32>
}
