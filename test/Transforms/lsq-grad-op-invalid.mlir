// RUN: qapeft-opt %s -split-input-file -verify-diagnostics
// Verifier errors of qapeft.lsq_scale_grad.

func.func @channel_count(%x: tensor<?x8xf32>, %s: tensor<4xf32>, %dy: tensor<?x8xf32>) {
  // expected-error @below {{a per_channel scale must have shape [8], got 'tensor<4xf32>'}}
  %ds = qapeft.lsq_scale_grad %x, %s, %s, %dy {grad_scale = 0.1 : f32, scheme = #qapeft.scheme<bits = 8, storage = i8, granularity = per_channel, axis = 1, range = learnable>} : (tensor<?x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<?x8xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @per_tensor_shape(%x: tensor<?x8xf32>, %s: tensor<2xf32>, %dy: tensor<?x8xf32>) {
  // expected-error @below {{a per_tensor scheme needs a scale of shape [] or [1], got 'tensor<2xf32>'}}
  %ds = qapeft.lsq_scale_grad %x, %s, %s, %dy {grad_scale = 0.1 : f32, scheme = #qapeft.scheme<bits = 8, storage = i8, range = learnable>} : (tensor<?x8xf32>, tensor<2xf32>, tensor<2xf32>, tensor<?x8xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @grad_scale(%x: tensor<?x8xf32>, %s: tensor<f32>, %dy: tensor<?x8xf32>) {
  // expected-error @below {{grad_scale must be finite and > 0, got 0}}
  %ds = qapeft.lsq_scale_grad %x, %s, %s, %dy {grad_scale = 0.0 : f32, scheme = #qapeft.scheme<bits = 8, storage = i8, range = learnable>} : (tensor<?x8xf32>, tensor<f32>, tensor<f32>, tensor<?x8xf32>) -> tensor<f32>
  return
}

// -----

func.func @types(%x: tensor<?x8xf32>, %s: tensor<f32>, %dy: tensor<?x8xf32>) {
  // expected-error @below {{all of {scale, zero_point, ds} have same type}}
  %ds = qapeft.lsq_scale_grad %x, %s, %s, %dy {grad_scale = 0.5 : f32, scheme = #qapeft.scheme<bits = 8, storage = i8, range = learnable>} : (tensor<?x8xf32>, tensor<f32>, tensor<f32>, tensor<?x8xf32>) -> tensor<1xf32>
  return
}
