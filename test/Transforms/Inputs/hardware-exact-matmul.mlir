// A tosa.matmul layer: A [1, 3, 2] on the grid 0.5 / 0, B per channel
// (axis 2) [[1, 0.5], [-1, 0.25]] with scales [0.5, 0.25] (codes
// [[2, 2], [-2, 1]]), output grid 0.25 / 0 with a ReLU6-like clamp
// [-1, 1.5]: multipliers [1, 0.5], so odd channel-1 accumulators are ties.
// Used by hardware-exact-matmul.test.
func.func @forward(%x: tensor<1x3x2xf32>) -> tensor<1x3x2xf32> {
  %s = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %zero = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %s zero_point %zero scheme <bits = 8, storage = i8> : tensor<1x3x2xf32>, tensor<f32>
  %b = "tosa.const"() {values = dense<[[[1.0, 0.5], [-1.0, 0.25]]]> : tensor<1x2x2xf32>} : () -> tensor<1x2x2xf32>
  %bs = "tosa.const"() {values = dense<[0.5, 0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %bz = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %bq = qapeft.fake_quant %b scale %bs zero_point %bz scheme <bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 2> : tensor<1x2x2xf32>, tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.matmul %xq, %bq, %zp, %zp : (tensor<1x3x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x2xf32>
  %c = tosa.clamp %y {min_val = -1.0 : f32, max_val = 1.5 : f32} : (tensor<1x3x2xf32>) -> tensor<1x3x2xf32>
  %os = qapeft.param "out.scale" dense<0.25> : tensor<f32>
  %oz = qapeft.param "out.zero_point" dense<0.0> : tensor<f32>
  %o = qapeft.fake_quant %c scale %os zero_point %oz scheme <bits = 8, storage = i8> : tensor<1x3x2xf32>, tensor<f32>
  return %o : tensor<1x3x2xf32>
}
