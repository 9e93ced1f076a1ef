// A 3x3 depthwise conv (HWCM weight, C = 2, M = 1, per-channel on axis 2,
// padding 1) with a fused ReLU6, an asymmetric input grid and an output
// scale that makes the multiplier inexact; used by
// hardware-exact-depthwise.test.
module {
  func.func @forward(%x: tensor<?x3x3x2xf32>) -> tensor<?x3x3x2xf32> {
    %s_in = qapeft.param "input.scale" dense<0.037> : tensor<f32>
    %z_in = qapeft.param "input.zero_point" dense<-11.0> : tensor<f32>
    %xq = qapeft.fake_quant %x scale %s_in zero_point %z_in scheme <bits = 8, storage = i8> : tensor<?x3x3x2xf32>, tensor<f32>
    %w = "tosa.const"() {values = dense<[[[[0.5], [-0.3]], [[0.25], [0.8]], [[-0.7], [0.1]]], [[[0.9], [-0.45]], [[-0.05], [0.6]], [[0.33], [-0.2]]], [[[0.15], [0.75]], [[-0.6], [-0.9]], [[0.4], [0.35]]]]> : tensor<3x3x2x1xf32>} : () -> tensor<3x3x2x1xf32> loc("dw.weight")
    %ws, %wz = qapeft.weight_range %w {scheme = #qapeft.scheme<bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 2, range = weight>} : (tensor<3x3x2x1xf32>) -> (tensor<2xf32>, tensor<2xf32>)
    %wq = qapeft.fake_quant %w scale %ws zero_point %wz scheme <bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 2, range = weight> : tensor<3x3x2x1xf32>, tensor<2xf32>
    %b = "tosa.const"() {values = dense<[0.13, -0.07]> : tensor<2xf32>} : () -> tensor<2xf32> loc("dw.bias")
    %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
    %y = tosa.depthwise_conv2d %xq, %wq, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<?x3x3x2xf32>, tensor<3x3x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x3x3x2xf32> loc("dw")
    %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<?x3x3x2xf32>) -> tensor<?x3x3x2xf32>
    %s_out = qapeft.param "dw.scale" dense<0.0291> : tensor<f32>
    %z_out = qapeft.param "dw.zero_point" dense<-128.0> : tensor<f32>
    %yq = qapeft.fake_quant %r scale %s_out zero_point %z_out scheme <bits = 8, storage = i8> : tensor<?x3x3x2xf32>, tensor<f32>
    return %yq : tensor<?x3x3x2xf32>
  }
}
