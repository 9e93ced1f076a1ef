// Every int16 code through tosa.sigmoid and tosa.tanh (TFLite's int16
// LOGISTIC / TANH). Input value v in [-32768, 32767] (scale 1, zero point
// 0) becomes (about) code v on the grid 1/3000 (value v / 3000; not a power
// of two, for which TFLite runs another kernel) by a tosa.mul with the
// constant 1/3000 (code 4 at scale 1/12000: a requantization by about 1/4,
// within TOSA's range for 16-bit products). The sigmoid's output quantizer is TFLite's
// fixed grid (1/32768, 0); the tanh's is not (1/20000), so the integer graph
// requantizes after the kernel. For hardware-exact-activation-codes.test.
func.func @forward(%x: tensor<?x65536xf32>) -> (tensor<?x65536xf32>, tensor<?x65536xf32>) {
  %one = "tosa.const"() {values = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %step = "tosa.const"() {values = dense<3.33333337e-04> : tensor<f32>} : () -> tensor<f32>
  %zero = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %one zero_point %zero scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x65536xf32>, tensor<f32>
  %k = "tosa.const"() {values = dense<3.33333337e-04> : tensor<1x1xf32>} : () -> tensor<1x1xf32>
  %kstep = "tosa.const"() {values = dense<8.33333342e-05> : tensor<f32>} : () -> tensor<f32>
  %kq = qapeft.fake_quant %k scale %kstep zero_point %zero scheme <bits = 16, storage = i16, symmetric = true> : tensor<1x1xf32>, tensor<f32>
  %sh = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %a = tosa.mul %xq, %kq, %sh : (tensor<?x65536xf32>, tensor<1x1xf32>, tensor<1xi8>) -> tensor<?x65536xf32>
  %aq = qapeft.fake_quant %a scale %step zero_point %zero scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x65536xf32>, tensor<f32>
  %s = tosa.sigmoid %aq : (tensor<?x65536xf32>) -> tensor<?x65536xf32> loc("sig")
  %ss = "tosa.const"() {values = dense<3.05175781e-05> : tensor<f32>} : () -> tensor<f32>
  %sq = qapeft.fake_quant %s scale %ss zero_point %zero scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x65536xf32>, tensor<f32>
  %t = tosa.tanh %aq : (tensor<?x65536xf32>) -> tensor<?x65536xf32> loc("th")
  %ts = "tosa.const"() {values = dense<5.0e-05> : tensor<f32>} : () -> tensor<f32>
  %tq = qapeft.fake_quant %t scale %ts zero_point %zero scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x65536xf32>, tensor<f32>
  return %sq, %tq : tensor<?x65536xf32>, tensor<?x65536xf32>
}
