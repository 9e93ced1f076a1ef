// LSQ learns scales only: a trainable zero point is an error at the fake
// quant, and a learnable scale needs static non-batch dimensions.
// RUN: qapeft-opt %s -split-input-file -verify-diagnostics --qapeft-training-graph="loss=mse"

func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %s = qapeft.param "y.scale" trainable dense<0.1> : tensor<f32>
  %z = qapeft.param "y.zero_point" trainable dense<0.0> : tensor<f32>
  // expected-error @below {{learnable zero points are not supported (LSQ learns the scale only); freeze the zero point}}
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8, range = learnable> : tensor<?x4xf32>, tensor<f32>
  return %q : tensor<?x4xf32>
}

// -----

func.func @forward(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %s = qapeft.param "y.scale" trainable dense<0.1> : tensor<f32>
  %z = qapeft.param "y.zero_point" dense<0.0> : tensor<f32>
  // expected-error @below {{a learnable scale needs static dimensions after the batch, got 'tensor<?x?xf32>'}}
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8, range = learnable> : tensor<?x?xf32>, tensor<f32>
  return %q : tensor<?x?xf32>
}
