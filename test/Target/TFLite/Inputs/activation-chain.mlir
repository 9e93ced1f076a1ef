// LOGISTIC -> TANH -> requantization: the tanh's calibrated output grid
// (scale 0.01, zero point 3) is not TFLite's, so a QUANTIZE follows it.
func.func @forward(%x: tensor<?x4x4x3xf32>) -> tensor<?x4x4x3xf32> {
  %xs = "tosa.const"() {values = dense<0.04> : tensor<f32>} : () -> tensor<f32>
  %xz = "tosa.const"() {values = dense<5.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 8, storage = i8> : tensor<?x4x4x3xf32>, tensor<f32>
  %s = tosa.sigmoid %xq : (tensor<?x4x4x3xf32>) -> tensor<?x4x4x3xf32> loc("sig")
  %ss = "tosa.const"() {values = dense<0.00390625> : tensor<f32>} : () -> tensor<f32>
  %sz = "tosa.const"() {values = dense<-128.0> : tensor<f32>} : () -> tensor<f32>
  %sq = qapeft.fake_quant %s scale %ss zero_point %sz scheme <bits = 8, storage = i8> : tensor<?x4x4x3xf32>, tensor<f32>
  %t = tosa.tanh %sq : (tensor<?x4x4x3xf32>) -> tensor<?x4x4x3xf32> loc("tanh")
  %ts = "tosa.const"() {values = dense<0.01> : tensor<f32>} : () -> tensor<f32>
  %tz = "tosa.const"() {values = dense<3.0> : tensor<f32>} : () -> tensor<f32>
  %tq = qapeft.fake_quant %t scale %ts zero_point %tz scheme <bits = 8, storage = i8> : tensor<?x4x4x3xf32>, tensor<f32> loc("tanh.q")
  return %tq : tensor<?x4x4x3xf32>
}
