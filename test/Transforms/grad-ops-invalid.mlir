// RUN: qapeft-opt %s -split-input-file -verify-diagnostics

func.func @per_channel_range_shape(%w: tensor<8x3x3x1xf32>) {
  // expected-error @below {{a per_channel scale must have shape [8], got 'tensor<3xf32>'}}
  %s, %z = qapeft.weight_range %w {scheme = #qapeft.scheme<bits = 8, storage = i8, symmetric = true, granularity = per_channel, axis = 0>} : (tensor<8x3x3x1xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return
}

// -----

func.func @per_tensor_range_shape(%w: tensor<8x3x3x1xf32>) {
  // expected-error @below {{a per_tensor scheme gives a tensor<f32> scale, got 'tensor<8xf32>'}}
  %s, %z = qapeft.weight_range %w {scheme = #qapeft.scheme<bits = 8, storage = i8>} : (tensor<8x3x3x1xf32>) -> (tensor<8xf32>, tensor<8xf32>)
  return
}

// -----

func.func @range_axis(%w: tensor<8x3xf32>) {
  // expected-error @below {{quantization axis 2 is out of range for a weight of rank 2}}
  %s, %z = qapeft.weight_range %w {scheme = #qapeft.scheme<bits = 8, storage = i8, granularity = per_channel, axis = 2>} : (tensor<8x3xf32>) -> (tensor<8xf32>, tensor<8xf32>)
  return
}

// -----

func.func @range_group(%w: tensor<8x4xf32>) {
  // expected-error @below {{per_group schemes are not supported}}
  %s, %z = qapeft.weight_range %w {scheme = #qapeft.scheme<bits = 8, storage = i8, granularity = per_group, axis = 1, group_size = 2>} : (tensor<8x4xf32>) -> (tensor<8x2xf32>, tensor<8x2xf32>)
  return
}

// -----

func.func @ste_scale(%x: tensor<?x8xf32>, %s: tensor<4xf32>) {
  // expected-error @below {{a per_channel scale must have shape [8], got 'tensor<4xf32>'}}
  %dx = qapeft.fake_quant_grad %x, %s, %s, %x {scheme = #qapeft.scheme<bits = 8, storage = i8, granularity = per_channel, axis = 1>} : (tensor<?x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<?x8xf32>) -> tensor<?x8xf32>
  return
}

// -----

func.func @ste_tensor_scale(%x: tensor<?x8xf32>, %s: tensor<2xf32>) {
  // expected-error @below {{a per_tensor scheme needs a scale of shape [] or [1], got 'tensor<2xf32>'}}
  %dx = qapeft.fake_quant_grad %x, %s, %s, %x {scheme = #qapeft.scheme<bits = 8, storage = i8>} : (tensor<?x8xf32>, tensor<2xf32>, tensor<2xf32>, tensor<?x8xf32>) -> tensor<?x8xf32>
  return
}

// -----

func.func @conv_input_spatial(%dy: tensor<?x13x14x8xf32>, %w: tensor<8x3x3x1xf32>) {
  // expected-error @below {{gradient spatial shape [13, 14] does not match the forward output [14, 14] of input 'tensor<?x28x28x1xf32>'}}
  %dx = qapeft.conv2d_backprop_input %dy, %w {pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>} : (tensor<?x13x14x8xf32>, tensor<8x3x3x1xf32>) -> tensor<?x28x28x1xf32>
  return
}

// -----

func.func @conv_input_channels(%dy: tensor<?x28x28x8xf32>, %w: tensor<8x3x3x2xf32>) {
  // expected-error @below {{input channels 1 differ from the weight's 2}}
  %dx = qapeft.conv2d_backprop_input %dy, %w {pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<?x28x28x8xf32>, tensor<8x3x3x2xf32>) -> tensor<?x28x28x1xf32>
  return
}

// -----

func.func @conv_filter_out_channels(%x: tensor<?x28x28x1xf32>, %dy: tensor<?x28x28x4xf32>) {
  // expected-error @below {{output channels 4 differ from the weight's 8}}
  %dw = qapeft.conv2d_backprop_filter %x, %dy {pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<?x28x28x1xf32>, tensor<?x28x28x4xf32>) -> tensor<8x3x3x1xf32>
  return
}

// -----

func.func @conv_filter_dynamic(%x: tensor<?x28x28x1xf32>, %dy: tensor<?x28x28x8xf32>) {
  // expected-error @below {{the weight gradient must have a static shape}}
  %dw = qapeft.conv2d_backprop_filter %x, %dy {pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<?x28x28x1xf32>, tensor<?x28x28x8xf32>) -> tensor<?x3x3x1xf32>
  return
}

// -----

func.func @conv_pad_len(%x: tensor<?x28x28x1xf32>, %dy: tensor<?x28x28x8xf32>) {
  // expected-error @below {{pad must have 4 values [top, bottom, left, right], got 2}}
  %dw = qapeft.conv2d_backprop_filter %x, %dy {pad = array<i64: 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<?x28x28x1xf32>, tensor<?x28x28x8xf32>) -> tensor<8x3x3x1xf32>
  return
}

// -----

func.func @conv_rank(%x: tensor<?x28x1xf32>, %dy: tensor<?x28x28x8xf32>) {
  // expected-error @below {{input must be a 4-D NHWC/OHWI tensor, got 'tensor<?x28x1xf32>'}}
  %dw = qapeft.conv2d_backprop_filter %x, %dy {pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<?x28x1xf32>, tensor<?x28x28x8xf32>) -> tensor<8x3x3x1xf32>
  return
}

// -----

func.func @pool_stride(%x: tensor<?x8x8x4xf32>, %dy: tensor<?x4x4x4xf32>) {
  // expected-error @below {{stride values must be >= 1}}
  %0 = qapeft.max_pool2d_grad %x, %dy {kernel = array<i64: 2, 2>, stride = array<i64: 0, 2>, pad = array<i64: 0, 0, 0, 0>} : (tensor<?x8x8x4xf32>, tensor<?x4x4x4xf32>) -> tensor<?x8x8x4xf32>
  return
}

// -----

func.func @pool_window(%dy: tensor<?x4x4x4xf32>) {
  // expected-error @below {{the window is larger than the padded input}}
  %0 = qapeft.avg_pool2d_grad %dy {kernel = array<i64: 9, 9>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<?x4x4x4xf32>) -> tensor<?x8x8x4xf32>
  return
}

// -----

func.func @sce_labels(%l: tensor<8x10xf32>, %y: tensor<4xi32>) {
  // expected-error @below {{logits and labels differ in batch size}}
  %loss, %dl, %c = qapeft.softmax_cross_entropy %l, %y : (tensor<8x10xf32>, tensor<4xi32>) -> (tensor<f32>, tensor<8x10xf32>, tensor<f32>)
  return
}

// -----

func.func @sce_rank(%l: tensor<8x10x1xf32>, %y: tensor<8xi32>) {
  // expected-error @below {{logits must be [N, K], got 'tensor<8x10x1xf32>'}}
  %loss, %dl, %c = qapeft.softmax_cross_entropy %l, %y : (tensor<8x10x1xf32>, tensor<8xi32>) -> (tensor<f32>, tensor<8x10x1xf32>, tensor<f32>)
  return
}

// -----

func.func @adam_beta(%p: tensor<4xf32>, %s: tensor<f32>) {
  // expected-error @below {{beta1 and beta2 must be in [0, 1)}}
  %a, %b, %c = qapeft.adam %p, %p, %p, %p, %s, %s {beta1 = 1.0 : f32, beta2 = 0.999 : f32, epsilon = 1.0e-8 : f32} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<f32>, tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

func.func @sgd_momentum(%p: tensor<4xf32>, %s: tensor<f32>) {
  // expected-error @below {{momentum must be >= 0}}
  %a, %b = qapeft.sgd %p, %p, %p, %s {momentum = -1.0 : f32} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

func.func @depthwise_input_channels(%dy: tensor<?x8x8x8xf32>, %w: tensor<3x3x4x2xf32>) {
  // expected-error @below {{input channels 2 differ from the weight's 4 (dim 2 of [KH, KW, C, M])}}
  %dx = qapeft.depthwise_conv2d_backprop_input %dy, %w {pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<?x8x8x8xf32>, tensor<3x3x4x2xf32>) -> tensor<?x8x8x2xf32>
  return
}

// -----

func.func @depthwise_output_channels(%dy: tensor<?x8x8x4xf32>, %w: tensor<3x3x4x2xf32>) {
  // expected-error @below {{output channels 4 differ from the weight's C * M = 8}}
  %dx = qapeft.depthwise_conv2d_backprop_input %dy, %w {pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<?x8x8x4xf32>, tensor<3x3x4x2xf32>) -> tensor<?x8x8x4xf32>
  return
}

// -----

func.func @depthwise_spatial(%x: tensor<?x9x9x4xf32>, %dy: tensor<?x5x5x8xf32>) {
  // expected-error @below {{gradient spatial shape [5, 5] does not match the forward output [5, 4] of input 'tensor<?x9x9x4xf32>'}}
  %dw = qapeft.depthwise_conv2d_backprop_filter %x, %dy {pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 2>, dilation = array<i64: 2, 1>} : (tensor<?x9x9x4xf32>, tensor<?x5x5x8xf32>) -> tensor<3x3x4x2xf32>
  return
}

// -----

func.func @depthwise_filter_dynamic(%x: tensor<?x8x8x4xf32>, %dy: tensor<?x8x8x8xf32>) {
  // expected-error @below {{the weight gradient must have a static shape}}
  %dw = qapeft.depthwise_conv2d_backprop_filter %x, %dy {pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<?x8x8x4xf32>, tensor<?x8x8x8xf32>) -> tensor<3x3x4x?xf32>
  return
}

// -----

func.func @depthwise_dilation(%x: tensor<?x8x8x4xf32>, %dy: tensor<?x8x8x8xf32>) {
  // expected-error @below {{dilation values must be >= 1}}
  %dw = qapeft.depthwise_conv2d_backprop_filter %x, %dy {pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 0, 1>} : (tensor<?x8x8x4xf32>, tensor<?x8x8x8xf32>) -> tensor<3x3x4x2xf32>
  return
}

// -----

func.func @depthwise_rank(%dy: tensor<?x8x8x8xf32>, %w: tensor<3x3x8xf32>) {
  // expected-error @below {{weight must be a 4-D NHWC/OHWI tensor, got 'tensor<3x3x8xf32>'}}
  %dx = qapeft.depthwise_conv2d_backprop_input %dy, %w {pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<?x8x8x8xf32>, tensor<3x3x8xf32>) -> tensor<?x8x8x8xf32>
  return
}

// -----

func.func @max_pool_window(%x: tensor<?x2x2x4xf32>, %dy: tensor<?x1x1x4xf32>) {
  // expected-error @below {{the window is larger than the padded input}}
  %0 = qapeft.max_pool2d_grad %x, %dy {kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<?x2x2x4xf32>, tensor<?x1x1x4xf32>) -> tensor<?x2x2x4xf32>
  return
}

// -----

func.func @avg_pool_channels(%dy: tensor<?x4x4x4xf32>) {
  // expected-error @below {{channels differ}}
  %0 = qapeft.avg_pool2d_grad %dy {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>} : (tensor<?x4x4x4xf32>) -> tensor<?x8x8x2xf32>
  return
}

// -----

func.func @mse_types(%p: tensor<4x10xf32>, %t: tensor<4x9xf32>) {
  // expected-error @below {{all of {pred, target, dpred} have same type}}
  %l, %d = qapeft.mse %p, %t : (tensor<4x10xf32>, tensor<4x9xf32>) -> (tensor<f32>, tensor<4x10xf32>)
  return
}

// -----

func.func @mse_loss_scalar(%p: tensor<4x10xf32>) {
  // expected-error @below {{result #0 must be 0D tensor of 32-bit float values}}
  %l, %d = qapeft.mse %p, %p : (tensor<4x10xf32>, tensor<4x10xf32>) -> (tensor<1xf32>, tensor<4x10xf32>)
  return
}

// -----

func.func @adam_epsilon(%p: tensor<4xf32>, %s: tensor<f32>) {
  // expected-error @below {{epsilon must be >= 0}}
  %a, %b, %c = qapeft.adam %p, %p, %p, %p, %s, %s {beta1 = 0.9 : f32, beta2 = 0.999 : f32, epsilon = -1.0 : f32} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<f32>, tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

func.func @sgd_types(%p: tensor<4xf32>, %g: tensor<5xf32>, %s: tensor<f32>) {
  // expected-error @below {{all of {param, grad, momentum_buffer, new_param, new_momentum_buffer} have same type}}
  %a, %b = qapeft.sgd %p, %g, %p, %s {momentum = 0.0 : f32} : (tensor<4xf32>, tensor<5xf32>, tensor<4xf32>, tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>)
  return
}
