// An f32 island with each float operator the exporter writes in a chain
// (DEQUANTIZE, DEPTHWISE_CONV_2D SAME + RELU6, AVERAGE_POOL_2D, MAX_POOL_2D,
// LOGISTIC, TANH, RELU, CONV_2D VALID, QUANTIZE) between int8 tensors, as
// the integer lowering writes an f32 region.
func.func @forward(%x: tensor<?x6x6x2xi8> {qapeft.scale = [0.04 : f32], qapeft.zero_point = [7]}) -> (tensor<?x1x1x3xi8> {qapeft.scale = [0.01 : f32], qapeft.zero_point = [-20]}) {
  %f = tosa.cast %x : (tensor<?x6x6x2xi8>) -> tensor<?x6x6x2xf32>
  %zp = "tosa.const"() <{values = dense<7.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %c = tosa.sub %f, %zp : (tensor<?x6x6x2xf32>, tensor<1x1x1x1xf32>) -> tensor<?x6x6x2xf32>
  %s = "tosa.const"() <{values = dense<0.04> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %d = tosa.mul %c, %s, %sh : (tensor<?x6x6x2xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<?x6x6x2xf32> loc("dq")
  %wd = "tosa.const"() <{values = dense<[[[[0.5, -0.25], [0.125, 0.75]], [[1.0, -0.5], [0.3, 0.2]], [[-0.1, 0.6], [0.7, -0.8]]], [[[0.9, 0.05], [-0.35, 0.45]], [[0.15, -0.65], [0.55, 0.25]], [[-0.75, 0.85], [0.4, -0.3]]], [[[0.2, 0.1], [-0.2, 0.3]], [[0.6, -0.4], [0.1, 0.9]], [[-0.5, 0.5], [0.35, -0.15]]]]> : tensor<3x3x2x2xf32>}> : () -> tensor<3x3x2x2xf32> loc("dw.weight")
  %bd = "tosa.const"() <{values = dense<[0.1, -0.2, 0.3, 0.05]> : tensor<4xf32>}> : () -> tensor<4xf32> loc("dw.bias")
  %z = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.depthwise_conv2d %d, %wd, %bd, %z, %z {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<?x6x6x2xf32>, tensor<3x3x2x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x6x6x4xf32> loc("dw")
  %y6 = tosa.clamp %y {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<?x6x6x4xf32>) -> tensor<?x6x6x4xf32>
  %a = tosa.avg_pool2d %y6, %z, %z {acc_type = f32, kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<?x6x6x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x3x3x4xf32> loc("avg")
  %m = tosa.max_pool2d %a {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x3x3x4xf32>) -> tensor<?x2x2x4xf32> loc("max")
  %g = tosa.sigmoid %m : (tensor<?x2x2x4xf32>) -> tensor<?x2x2x4xf32> loc("sigmoid")
  %t = tosa.tanh %g : (tensor<?x2x2x4xf32>) -> tensor<?x2x2x4xf32> loc("tanh")
  %wc = "tosa.const"() <{values = dense<[[[[0.5, -0.25, 0.125, 0.75], [1.0, -0.5, 0.3, 0.2]], [[-0.1, 0.6, 0.7, -0.8], [0.9, 0.05, -0.35, 0.45]]], [[[0.15, -0.65, 0.55, 0.25], [-0.75, 0.85, 0.4, -0.3]], [[0.2, 0.1, -0.2, 0.3], [0.6, -0.4, 0.1, 0.9]]], [[[-0.5, 0.5, 0.35, -0.15], [0.25, 0.45, -0.55, 0.65]], [[0.05, -0.95, 0.15, 0.35], [-0.45, 0.75, 0.85, -0.05]]]]> : tensor<3x2x2x4xf32>}> : () -> tensor<3x2x2x4xf32> loc("conv.weight")
  %bc = "tosa.const"() <{values = dense<[-0.3, 0.2, 0.1]> : tensor<3xf32>}> : () -> tensor<3xf32> loc("conv.bias")
  %o = tosa.conv2d %t, %wc, %bc, %z, %z {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x2x2x4xf32>, tensor<3x2x2x4xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x3xf32> loc("conv")
  %r = tosa.clamp %o {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<?x1x1x3xf32>) -> tensor<?x1x1x3xf32> loc("relu")
  %inv = "tosa.const"() <{values = dense<100.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %qs = tosa.mul %r, %inv, %sh : (tensor<?x1x1x3xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<?x1x1x3xf32>
  %qc = tosa.clamp %qs {min_val = -108.0 : f32, max_val = 147.0 : f32} : (tensor<?x1x1x3xf32>) -> tensor<?x1x1x3xf32>
  %qi = tosa.cast %qc : (tensor<?x1x1x3xf32>) -> tensor<?x1x1x3xi32>
  %qz = "tosa.const"() <{values = dense<-20> : tensor<1x1x1x1xi32>}> : () -> tensor<1x1x1x1xi32>
  %qa = tosa.add %qi, %qz : (tensor<?x1x1x3xi32>, tensor<1x1x1x1xi32>) -> tensor<?x1x1x3xi32>
  %q = tosa.cast %qa {qapeft.scale = [0.01 : f32], qapeft.zero_point = [-20]} : (tensor<?x1x1x3xi32>) -> tensor<?x1x1x3xi8> loc("out")
  return %q : tensor<?x1x1x3xi8>
}
