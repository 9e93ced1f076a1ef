// Every int8 input code (x: scale 1, zero point -128, so input value v in
// [0, 255] is code v - 128) against a fake-quantized constant y (scale 0.5,
// zero point 0, codes in [-120, 120]) through tosa.add, tosa.sub (clamped
// at 0 by a fused relu) and tosa.mul, with output scales (2, 2, 8) that
// put many results on rounding ties, where the devices' roundings differ
// from the fake quant's ties-to-even. For hardware-exact-elementwise-
// codes.test.
func.func @forward(%x: tensor<?x256xf32>) -> (tensor<?x256xf32>, tensor<?x256xf32>, tensor<?x256xf32>) {
  %xq_s = "tosa.const"() {values = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %xq_z = "tosa.const"() {values = dense<-128.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %xq_s zero_point %xq_z scheme <bits = 8, storage = i8> : tensor<?x256xf32>, tensor<f32>
  %y = "tosa.const"() {values = dense<[[8.5, -29.0, -21.0, 56.5, -22.5, 35.0, 6.5, 26.5, 59.5, 11.5, 50.5, 17.5, 23.5, 18.0, -19.0, 2.0, 45.5, -56.5, 57.5, 29.5, 13.5, 31.0, -22.5, 25.0, 38.0, -27.5, 38.0, -39.5, -51.0, -31.5, 11.5, -33.5, -40.0, 58.0, 37.0, 22.0, 46.0, -37.5, -27.5, 6.0, -34.5, -48.5, -59.0, -24.5, 0.5, 56.5, -38.0, 13.5, 24.5, 59.0, -40.0, 6.5, -28.5, -22.5, -42.0, -6.5, 33.5, 4.5, -46.0, 23.5, 59.5, -25.5, 2.0, 37.0, -29.5, -52.5, 3.0, 21.5, 58.0, -34.0, -44.5, 15.0, -24.0, -44.5, -54.0, -52.0, -18.0, -12.0, 17.5, -16.0, -3.5, -32.5, 40.0, 38.5, 31.0, 27.5, -32.5, -34.0, -44.0, -18.0, -11.5, 55.0, 4.0, -36.0, 16.0, -35.5, -29.0, -11.5, 50.5, -53.5, -43.0, -27.0, 19.5, -44.0, 9.5, 2.5, 39.5, 21.0, -55.0, -44.5, 55.0, -6.0, -42.0, -29.0, 42.0, 15.5, 50.0, 32.5, -31.0, 53.0, -30.0, 18.0, -12.5, -42.5, -25.5, -55.0, 43.0, -21.0, 23.0, -45.5, -24.0, 44.5, -3.0, -2.0, 28.0, 27.5, -4.5, -21.0, 57.5, 36.0, 56.5, -49.5, 25.5, -58.0, 36.5, 37.5, 52.5, -56.5, -40.0, 49.5, -31.5, -60.0, 11.5, 10.5, 17.0, -8.0, -5.5, 10.5, -7.5, 6.0, -40.0, 6.5, 36.0, -40.0, 24.5, 20.5, 8.0, 4.0, -4.0, 37.0, 58.5, -49.0, -44.0, 49.5, 40.0, 21.0, 11.0, 40.0, 19.0, -56.0, 2.5, -18.0, 12.5, -29.0, 26.5, 6.5, 5.5, 54.0, 38.5, -19.0, 57.0, 27.0, -12.5, -28.0, -11.0, 53.0, -42.5, -12.0, 25.5, -43.5, -37.0, -4.5, -40.0, -39.5, -46.5, 55.5, 10.5, 1.5, 32.5, -0.5, -9.0, 16.0, 10.0, 60.0, -51.5, -55.5, -26.0, -43.5, -17.5, 36.0, 32.0, 2.5, -10.5, -39.0, -39.5, -56.0, 54.0, -40.0, 23.5, 52.5, -50.5, 12.5, -19.5, 59.5, 21.5, 15.0, -50.0, -22.0, 11.0, -50.5, 22.0, -38.5, -2.5, 33.5, 7.5, -1.0, 26.0, -44.0, -57.0, -41.0, -42.5, -53.0, -27.5, -52.5, -55.5, 21.5]]> : tensor<1x256xf32>} : () -> tensor<1x256xf32>
  %yq_s = "tosa.const"() {values = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %yq_z = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %yq = qapeft.fake_quant %y scale %yq_s zero_point %yq_z scheme <bits = 8, storage = i8> : tensor<1x256xf32>, tensor<f32>
  %a = tosa.add %xq, %yq : (tensor<?x256xf32>, tensor<1x256xf32>) -> tensor<?x256xf32> loc("add")
  %aq_s = "tosa.const"() {values = dense<2.0> : tensor<f32>} : () -> tensor<f32>
  %aq_z = "tosa.const"() {values = dense<-128.0> : tensor<f32>} : () -> tensor<f32>
  %aq = qapeft.fake_quant %a scale %aq_s zero_point %aq_z scheme <bits = 8, storage = i8> : tensor<?x256xf32>, tensor<f32>
  %d = tosa.sub %xq, %yq : (tensor<?x256xf32>, tensor<1x256xf32>) -> tensor<?x256xf32> loc("sub")
  %dr = tosa.clamp %d {min_val = 0.000000e+00 : f32, max_val = 3.40282347E+38 : f32} : (tensor<?x256xf32>) -> tensor<?x256xf32>
  %dq_s = "tosa.const"() {values = dense<2.0> : tensor<f32>} : () -> tensor<f32>
  %dq_z = "tosa.const"() {values = dense<-128.0> : tensor<f32>} : () -> tensor<f32>
  %dq = qapeft.fake_quant %dr scale %dq_s zero_point %dq_z scheme <bits = 8, storage = i8> : tensor<?x256xf32>, tensor<f32>
  %sh = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %m = tosa.mul %xq, %yq, %sh : (tensor<?x256xf32>, tensor<1x256xf32>, tensor<1xi8>) -> tensor<?x256xf32> loc("mul")
  %mq_s = "tosa.const"() {values = dense<8.0> : tensor<f32>} : () -> tensor<f32>
  %mq_z = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %mq = qapeft.fake_quant %m scale %mq_s zero_point %mq_z scheme <bits = 8, storage = i8> : tensor<?x256xf32>, tensor<f32>
  return %aq, %dq, %mq : tensor<?x256xf32>, tensor<?x256xf32>, tensor<?x256xf32>
}
