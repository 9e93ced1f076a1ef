// A conv layer (weights 1, -2; clamp [-1, 6]; output grid 0.25 / -3) then
// reshape + ReLU + a requantization to the grid 0.5 / 0: multiplier 1/2, so odd codes are ties (the second
// fake quant); used by hardware-exact-requant.test.
func.func @forward(%x: tensor<?x2x2x1xf32>) -> tensor<?x8xf32> {
  %s = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x2x2x1xf32>, tensor<f32>
  %w = "tosa.const"() {values = dense<[[[[1.0]]], [[[-2.0]]]]> : tensor<2x1x1x1xf32>} : () -> tensor<2x1x1x1xf32>
  %ws, %wz = qapeft.weight_range %w {scheme = #qapeft.scheme<bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0, range = weight>} : (tensor<2x1x1x1xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  %wq = qapeft.fake_quant %w scale %ws zero_point %wz scheme <bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0, range = weight> : tensor<2x1x1x1xf32>, tensor<2xf32>
  %b = "tosa.const"() {values = dense<[0.25, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %xq, %wq, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x2x2x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x2x2x2xf32>
  %y6 = tosa.clamp %y {min_val = -1.0 : f32, max_val = 6.0 : f32} : (tensor<?x2x2x2xf32>) -> tensor<?x2x2x2xf32>
  %as = qapeft.param "a.scale" dense<0.25> : tensor<f32>
  %az = qapeft.param "a.zero_point" dense<-3.0> : tensor<f32>
  %a = qapeft.fake_quant %y6 scale %as zero_point %az scheme <bits = 8, storage = i8, rounding = double> : tensor<?x2x2x2xf32>, tensor<f32>
  %shape = tosa.const_shape {values = dense<[-1, 8]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %r = tosa.reshape %a, %shape : (tensor<?x2x2x2xf32>, !tosa.shape<2>) -> tensor<?x8xf32>
  %rl = tosa.clamp %r {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %bs = qapeft.param "b.scale" dense<0.5> : tensor<f32>
  %bz = qapeft.param "b.zero_point" dense<0.0> : tensor<f32>
  %bq = qapeft.fake_quant %rl scale %bs zero_point %bz scheme <bits = 8, storage = i8, rounding = double> : tensor<?x8xf32>, tensor<f32>
  return %bq : tensor<?x8xf32>
}

