// RUN: qapeft-opt %s -split-input-file -verify-diagnostics --qapeft-insert-fake-quant="side-path=delta"

func.func @forward(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %db = qapeft.param "l.adapter_down_bias" trainable dense<0.0> : tensor<2xf32>
  %ub = qapeft.param "l.adapter_up_bias" trainable dense<0.0> : tensor<2xf32>
  %d = qapeft.param "l.adapter_down" trainable dense<0.5> : tensor<2x2xf32>
  %u = qapeft.param "l.adapter_up" trainable dense<0.0> : tensor<2x2xf32>
  // expected-error @+1 {{side-path=delta supports relu and identity bottleneck adapters; gelu has no integer lowering}}
  %y = qapeft.bottleneck %x, %d, %db, %u, %ub gelu houlsby : tensor<?x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>
  return %y : tensor<?x2xf32>
}

// -----

func.func @forward(%x: tensor<?x2xf32>, %db: tensor<2xf32>) -> tensor<?x2xf32> {
  %ub = qapeft.param "l.adapter_up_bias" trainable dense<0.0> : tensor<2xf32>
  %d = qapeft.param "l.adapter_down" trainable dense<0.5> : tensor<2x2xf32>
  %u = qapeft.param "l.adapter_up" trainable dense<0.0> : tensor<2x2xf32>
  // expected-error @+1 {{side-path=delta needs the projections and biases as qapeft.param or tosa.const (f32)}}
  %y = qapeft.bottleneck %x, %d, %db, %u, %ub relu houlsby : tensor<?x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>
  return %y : tensor<?x2xf32>
}
