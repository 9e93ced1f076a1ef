// Round trip of the training-graph ops (the contract with qapeft-sim).
// RUN: qapeft-opt %s | FileCheck %s
// RUN: qapeft-opt %s | qapeft-opt | FileCheck %s
// RUN: qapeft-opt %s -mlir-print-op-generic | qapeft-opt | FileCheck %s

// CHECK-LABEL: func.func @ranges
// CHECK: qapeft.weight_range %{{.*}} {scheme = #qapeft.scheme<bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0, range = weight>} : (tensor<8x3x3x1xf32>) -> (tensor<8xf32>, tensor<8xf32>)
// CHECK: qapeft.weight_range %{{.*}} : (tensor<8x3x3x1xf32>) -> (tensor<f32>, tensor<f32>)
// CHECK: qapeft.fake_quant_grad %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {scheme = {{.*}}} : (tensor<8x3x3x1xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x3x3x1xf32>) -> tensor<8x3x3x1xf32>
func.func @ranges(%w: tensor<8x3x3x1xf32>, %dy: tensor<8x3x3x1xf32>) -> tensor<8x3x3x1xf32> {
  %s, %z = qapeft.weight_range %w {scheme = #qapeft.scheme<bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0, range = weight>} : (tensor<8x3x3x1xf32>) -> (tensor<8xf32>, tensor<8xf32>)
  %s2, %z2 = qapeft.weight_range %w {scheme = #qapeft.scheme<bits = 8, storage = i8>} : (tensor<8x3x3x1xf32>) -> (tensor<f32>, tensor<f32>)
  %dx = qapeft.fake_quant_grad %w, %s, %z, %dy {scheme = #qapeft.scheme<bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0, range = weight>} : (tensor<8x3x3x1xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8x3x3x1xf32>) -> tensor<8x3x3x1xf32>
  return %dx : tensor<8x3x3x1xf32>
}

// CHECK-LABEL: func.func @conv
// CHECK: qapeft.conv2d_backprop_input %{{.*}}, %{{.*}} {dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<?x14x14x8xf32>, tensor<8x3x3x1xf32>) -> tensor<?x28x28x1xf32>
// CHECK: qapeft.conv2d_backprop_filter %{{.*}}, %{{.*}} {dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<?x28x28x1xf32>, tensor<?x14x14x8xf32>) -> tensor<8x3x3x1xf32>
func.func @conv(%x: tensor<?x28x28x1xf32>, %dy: tensor<?x14x14x8xf32>, %w: tensor<8x3x3x1xf32>) -> (tensor<?x28x28x1xf32>, tensor<8x3x3x1xf32>) {
  %dx = qapeft.conv2d_backprop_input %dy, %w {pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>} : (tensor<?x14x14x8xf32>, tensor<8x3x3x1xf32>) -> tensor<?x28x28x1xf32>
  %dw = qapeft.conv2d_backprop_filter %x, %dy {pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>} : (tensor<?x28x28x1xf32>, tensor<?x14x14x8xf32>) -> tensor<8x3x3x1xf32>
  return %dx, %dw : tensor<?x28x28x1xf32>, tensor<8x3x3x1xf32>
}

// CHECK-LABEL: func.func @depthwise
// CHECK: qapeft.depthwise_conv2d_backprop_input %{{.*}}, %{{.*}} {dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<?x8x8x8xf32>, tensor<3x3x4x2xf32>) -> tensor<?x8x8x4xf32>
// CHECK: qapeft.depthwise_conv2d_backprop_filter %{{.*}}, %{{.*}} {dilation = array<i64: 2, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 2>} : (tensor<?x9x9x4xf32>, tensor<?x5x4x8xf32>) -> tensor<3x3x4x2xf32>
func.func @depthwise(%x: tensor<?x9x9x4xf32>, %dy: tensor<?x8x8x8xf32>, %dy2: tensor<?x5x4x8xf32>, %w: tensor<3x3x4x2xf32>) -> (tensor<?x8x8x4xf32>, tensor<3x3x4x2xf32>) {
  %dx = qapeft.depthwise_conv2d_backprop_input %dy, %w {pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<?x8x8x8xf32>, tensor<3x3x4x2xf32>) -> tensor<?x8x8x4xf32>
  %dw = qapeft.depthwise_conv2d_backprop_filter %x, %dy2 {pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 2>, dilation = array<i64: 2, 1>} : (tensor<?x9x9x4xf32>, tensor<?x5x4x8xf32>) -> tensor<3x3x4x2xf32>
  return %dx, %dw : tensor<?x8x8x4xf32>, tensor<3x3x4x2xf32>
}

// CHECK-LABEL: func.func @pool
// CHECK: qapeft.max_pool2d_grad %{{.*}}, %{{.*}} {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<?x8x8x4xf32>, tensor<?x4x4x4xf32>) -> tensor<?x8x8x4xf32>
// CHECK: qapeft.avg_pool2d_grad %{{.*}} {kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<?x8x8x4xf32>) -> tensor<?x8x8x4xf32>
func.func @pool(%x: tensor<?x8x8x4xf32>, %dy: tensor<?x4x4x4xf32>, %dy2: tensor<?x8x8x4xf32>) -> (tensor<?x8x8x4xf32>, tensor<?x8x8x4xf32>) {
  %0 = qapeft.max_pool2d_grad %x, %dy {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>} : (tensor<?x8x8x4xf32>, tensor<?x4x4x4xf32>) -> tensor<?x8x8x4xf32>
  %1 = qapeft.avg_pool2d_grad %dy2 {kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (tensor<?x8x8x4xf32>) -> tensor<?x8x8x4xf32>
  return %0, %1 : tensor<?x8x8x4xf32>, tensor<?x8x8x4xf32>
}

// CHECK-LABEL: func.func @losses
// CHECK: qapeft.softmax_cross_entropy %{{.*}}, %{{.*}} : (tensor<?x10xf32>, tensor<?xi32>) -> (tensor<f32>, tensor<?x10xf32>, tensor<f32>)
// CHECK: qapeft.mse %{{.*}}, %{{.*}} : (tensor<?x10xf32>, tensor<?x10xf32>) -> (tensor<f32>, tensor<?x10xf32>)
func.func @losses(%l: tensor<?x10xf32>, %y: tensor<?xi32>, %t: tensor<?x10xf32>) -> (tensor<f32>, tensor<?x10xf32>, tensor<f32>, tensor<f32>, tensor<?x10xf32>) {
  %loss, %dl, %c = qapeft.softmax_cross_entropy %l, %y : (tensor<?x10xf32>, tensor<?xi32>) -> (tensor<f32>, tensor<?x10xf32>, tensor<f32>)
  %m, %dp = qapeft.mse %l, %t : (tensor<?x10xf32>, tensor<?x10xf32>) -> (tensor<f32>, tensor<?x10xf32>)
  return %loss, %dl, %c, %m, %dp : tensor<f32>, tensor<?x10xf32>, tensor<f32>, tensor<f32>, tensor<?x10xf32>
}

// CHECK-LABEL: func.func @optimizers
// CHECK: qapeft.adam %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {beta1 = 0.899999976 : f32, beta2 = 9.990000e-01 : f32, epsilon = 9.99999993E-9 : f32} : (tensor<4x9xf32>, tensor<4x9xf32>, tensor<4x9xf32>, tensor<4x9xf32>, tensor<f32>, tensor<f32>) -> (tensor<4x9xf32>, tensor<4x9xf32>, tensor<4x9xf32>)
// CHECK: qapeft.sgd %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {momentum = 0.899999976 : f32} : (tensor<4x9xf32>, tensor<4x9xf32>, tensor<4x9xf32>, tensor<f32>) -> (tensor<4x9xf32>, tensor<4x9xf32>)
func.func @optimizers(%p: tensor<4x9xf32>, %g: tensor<4x9xf32>, %m: tensor<4x9xf32>, %v: tensor<4x9xf32>, %step: tensor<f32>, %lr: tensor<f32>) -> (tensor<4x9xf32>, tensor<4x9xf32>, tensor<4x9xf32>, tensor<4x9xf32>, tensor<4x9xf32>) {
  %p2, %m2, %v2 = qapeft.adam %p, %g, %m, %v, %step, %lr {beta1 = 0.9 : f32, beta2 = 0.999 : f32, epsilon = 1.0e-8 : f32} : (tensor<4x9xf32>, tensor<4x9xf32>, tensor<4x9xf32>, tensor<4x9xf32>, tensor<f32>, tensor<f32>) -> (tensor<4x9xf32>, tensor<4x9xf32>, tensor<4x9xf32>)
  %p3, %mo = qapeft.sgd %p, %g, %m, %lr {momentum = 0.9 : f32} : (tensor<4x9xf32>, tensor<4x9xf32>, tensor<4x9xf32>, tensor<f32>) -> (tensor<4x9xf32>, tensor<4x9xf32>)
  return %p2, %m2, %v2, %p3, %mo : tensor<4x9xf32>, tensor<4x9xf32>, tensor<4x9xf32>, tensor<4x9xf32>, tensor<4x9xf32>
}
