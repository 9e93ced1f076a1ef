// An int16 LOGISTIC followed by an int16 TANH (input scales 0.0005 and
// 1/32768, which is no power-of-two case for TANH: TFLite's
// Prepare has input_left_shift 12 - 15 = -3), in the QA-PEFT form.
func.func @forward(%x: tensor<?x4x4x3xf32>) -> tensor<?x4x4x3xf32> {
  %xs = qapeft.param "input.scale" dense<0.0005> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x4x4x3xf32>, tensor<f32>
  %s = tosa.sigmoid %xq : (tensor<?x4x4x3xf32>) -> tensor<?x4x4x3xf32>
  %ss = qapeft.param "s.scale" dense<3.0517578125e-05> : tensor<f32>
  %sq = qapeft.fake_quant %s scale %ss zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x4x4x3xf32>, tensor<f32>
  %t = tosa.tanh %sq : (tensor<?x4x4x3xf32>) -> tensor<?x4x4x3xf32>
  %o = qapeft.fake_quant %t scale %ss zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x4x4x3xf32>, tensor<f32>
  return %o : tensor<?x4x4x3xf32>
}
