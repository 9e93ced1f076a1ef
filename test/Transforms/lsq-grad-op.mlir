// qapeft.lsq_scale_grad round trip (errors: lsq-grad-op-invalid.mlir).
// RUN: qapeft-opt %s -split-input-file | FileCheck %s
// RUN: qapeft-opt %s -split-input-file -mlir-print-op-generic | qapeft-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @per_tensor
// CHECK: qapeft.lsq_scale_grad %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {grad_scale = 1.250000e-01 : f32, scheme = #qapeft.scheme<bits = 8, storage = i8, range = learnable>} : (tensor<?x8xf32>, tensor<f32>, tensor<f32>, tensor<?x8xf32>) -> tensor<f32>
func.func @per_tensor(%x: tensor<?x8xf32>, %s: tensor<f32>, %z: tensor<f32>, %dy: tensor<?x8xf32>) -> tensor<f32> {
  %ds = qapeft.lsq_scale_grad %x, %s, %z, %dy {grad_scale = 0.125 : f32, scheme = #qapeft.scheme<bits = 8, storage = i8, range = learnable>} : (tensor<?x8xf32>, tensor<f32>, tensor<f32>, tensor<?x8xf32>) -> tensor<f32>
  return %ds : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @per_channel
// CHECK: qapeft.lsq_scale_grad {{.*}}granularity = per_channel, axis = 0, range = learnable>} : (tensor<8x3x3x1xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x3x3x1xf32>) -> tensor<8xf32>
func.func @per_channel(%w: tensor<8x3x3x1xf32>, %s: tensor<8xf32>, %z: tensor<8xf32>, %dy: tensor<8x3x3x1xf32>) -> tensor<8xf32> {
  %ds = qapeft.lsq_scale_grad %w, %s, %z, %dy {grad_scale = 0.03 : f32, scheme = #qapeft.scheme<bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0, range = learnable>} : (tensor<8x3x3x1xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x3x3x1xf32>) -> tensor<8xf32>
  return %ds : tensor<8xf32>
}
