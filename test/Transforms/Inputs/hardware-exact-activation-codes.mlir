// Every int8 code through tosa.sigmoid and tosa.tanh whose output quantizers
// are not TFLite's fixed grids (1/256, -128 and 1/128, 0), so the integer
// graph requantizes after the table (a TFLite QUANTIZE) and rounds twice.
// Input value v in [0, 255] (scale 1, zero point -128) becomes code v - 128
// on the grid 1/16 (value (v - 128) / 16) by an exact tosa.sub of 128 and a
// tosa.mul by 1/16. For hardware-exact-activation-codes.test.
func.func @forward(%x: tensor<?x256xf32>) -> (tensor<?x256xf32>, tensor<?x256xf32>) {
  %one = "tosa.const"() {values = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %two = "tosa.const"() {values = dense<2.0> : tensor<f32>} : () -> tensor<f32>
  %sixteenth = "tosa.const"() {values = dense<0.0625> : tensor<f32>} : () -> tensor<f32>
  %zero = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %m128 = "tosa.const"() {values = dense<-128.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %one zero_point %m128 scheme <bits = 8, storage = i8> : tensor<?x256xf32>, tensor<f32>
  %c = "tosa.const"() {values = dense<128.0> : tensor<1x1xf32>} : () -> tensor<1x1xf32>
  %cq = qapeft.fake_quant %c scale %two zero_point %zero scheme <bits = 8, storage = i8> : tensor<1x1xf32>, tensor<f32>
  %d = tosa.sub %xq, %cq : (tensor<?x256xf32>, tensor<1x1xf32>) -> tensor<?x256xf32>
  %dq = qapeft.fake_quant %d scale %one zero_point %zero scheme <bits = 8, storage = i8> : tensor<?x256xf32>, tensor<f32>
  %k = "tosa.const"() {values = dense<0.0625> : tensor<1x1xf32>} : () -> tensor<1x1xf32>
  %kq = qapeft.fake_quant %k scale %sixteenth zero_point %zero scheme <bits = 8, storage = i8> : tensor<1x1xf32>, tensor<f32>
  %sh = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %a = tosa.mul %dq, %kq, %sh : (tensor<?x256xf32>, tensor<1x1xf32>, tensor<1xi8>) -> tensor<?x256xf32>
  %aq = qapeft.fake_quant %a scale %sixteenth zero_point %zero scheme <bits = 8, storage = i8> : tensor<?x256xf32>, tensor<f32>
  %s = tosa.sigmoid %aq : (tensor<?x256xf32>) -> tensor<?x256xf32> loc("sig")
  %ss = "tosa.const"() {values = dense<0.0078125> : tensor<f32>} : () -> tensor<f32>
  %sq = qapeft.fake_quant %s scale %ss zero_point %m128 scheme <bits = 8, storage = i8> : tensor<?x256xf32>, tensor<f32>
  %t = tosa.tanh %aq : (tensor<?x256xf32>) -> tensor<?x256xf32> loc("th")
  %ts = "tosa.const"() {values = dense<0.01> : tensor<f32>} : () -> tensor<f32>
  %tz = "tosa.const"() {values = dense<3.0> : tensor<f32>} : () -> tensor<f32>
  %tq = qapeft.fake_quant %t scale %ts zero_point %tz scheme <bits = 8, storage = i8> : tensor<?x256xf32>, tensor<f32>
  return %sq, %tq : tensor<?x256xf32>, tensor<?x256xf32>
}
