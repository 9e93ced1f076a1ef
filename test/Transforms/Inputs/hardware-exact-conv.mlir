// One 1x1 conv whose requantization multiplier is exactly 1/4 and whose
// accumulators hit the ties where the rounding modes differ (used by
// hardware-exact-rounding.test). Input grid: scale 1, zero point 0 (codes =
// values); weights [[1, 1], [1, -1]] with scale 1; bias 0; output scale 4.
// So channel 0 accumulates x0 + x1, channel 1 x0 - x1, and the output code
// is acc / 4 rounded by the target's mode.
module {
  func.func @forward(%x: tensor<?x1x4x2xf32>) -> tensor<?x1x4x2xf32> {
    %s_in = qapeft.param "input.scale" dense<1.0> : tensor<f32>
    %z_in = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
    %xq = qapeft.fake_quant %x scale %s_in zero_point %z_in scheme <bits = 8, storage = i8> : tensor<?x1x4x2xf32>, tensor<f32>
    %w = "tosa.const"() {values = dense<[[[[1.0, 1.0]]], [[[1.0, -1.0]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32> loc("conv.weight")
    %ws = "tosa.const"() {values = dense<1.0> : tensor<2xf32>} : () -> tensor<2xf32>
    %wz = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
    %wq = qapeft.fake_quant %w scale %ws zero_point %wz scheme <bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0> : tensor<2x1x1x2xf32>, tensor<2xf32>
    %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32> loc("conv.bias")
    %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
    %y = tosa.conv2d %xq, %wq, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x1x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x4x2xf32> loc("conv")
    %s_out = qapeft.param "conv.scale" dense<4.0> : tensor<f32>
    %z_out = qapeft.param "conv.zero_point" dense<0.0> : tensor<f32>
    %yq = qapeft.fake_quant %y scale %s_out zero_point %z_out scheme <bits = 8, storage = i8> : tensor<?x1x4x2xf32>, tensor<f32>
    return %yq : tensor<?x1x4x2xf32>
  }
}
