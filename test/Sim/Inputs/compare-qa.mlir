// A two-tensor QA model for compare.test: the input quantized with scale
// 0.5, then requantized to scale 1 (tensor "a").
func.func @forward(%x: tensor<?x6xf32>) -> tensor<?x6xf32> {
  %s0 = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %z0 = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %q0 = qapeft.fake_quant %x scale %s0 zero_point %z0 scheme <bits = 8, storage = i8> : tensor<?x6xf32>, tensor<f32>
  %s1 = qapeft.param "a.scale" dense<1.0> : tensor<f32>
  %z1 = qapeft.param "a.zero_point" dense<0.0> : tensor<f32>
  %q1 = qapeft.fake_quant %q0 scale %s1 zero_point %z1 scheme <bits = 8, storage = i8> : tensor<?x6xf32>, tensor<f32>
  return %q1 : tensor<?x6xf32>
}
