// A small int16x8 model with both int16 activations, for
// conformance-int16-activation.test: conv (4 filters, stride 2) -> tanh ->
// conv (2 filters, stride 2) -> sigmoid, on Fashion-MNIST-shaped input.
func.func @forward(%x: tensor<?x28x28x1xf32> loc("input")) -> tensor<?x7x7x2xf32> {
  %w1 = "tosa.const"() {values = dense<[[[[0.0111], [-0.2594], [-0.1531]], [[0.0276], [0.3581], [-0.2626]], [[0.1618], [-0.2189], [-0.0042]]], [[[-0.3002], [-0.3329], [-0.0883]], [[-0.1782], [-0.1055], [0.3867]], [[0.0283], [0.2125], [0.1172]]], [[[0.2137], [0.2242], [0.2584]], [[-0.2785], [0.1004], [-0.1483]], [[-0.1225], [0.3338], [0.0158]]], [[[-0.0791], [0.0854], [0.2283]], [[0.3452], [0.2959], [0.2932]], [[0.1396], [0.2067], [0.0655]]]]> : tensor<4x3x3x1xf32>} : () -> tensor<4x3x3x1xf32> loc("conv1.weight")
  %b1 = "tosa.const"() {values = dense<[-0.3778, 0.1571, -0.15, -0.0847]> : tensor<4xf32>} : () -> tensor<4xf32> loc("conv1.bias")
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %c1 = tosa.conv2d %x, %w1, %b1, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 2>} : (tensor<?x28x28x1xf32>, tensor<4x3x3x1xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x14x14x4xf32> loc("conv1")
  %t = tosa.tanh %c1 : (tensor<?x14x14x4xf32>) -> tensor<?x14x14x4xf32> loc("act1")
  %w2 = "tosa.const"() {values = dense<[[[[0.0333, -0.2265, -0.1469, -0.1971], [0.1035, -0.0144, -0.2981, -0.0205], [0.1955, 0.2887, 0.0027, 0.0142]], [[-0.011, 0.0069, 0.1306, -0.3785], [-0.1429, -0.1294, -0.1017, -0.1898], [-0.2257, 0.3647, -0.0251, 0.0092]], [[-0.3347, -0.3251, 0.1347, 0.2293], [-0.1276, -0.3915, 0.2105, -0.3643], [0.0137, 0.263, 0.227, 0.1062]]], [[[-0.2902, -0.1824, -0.2116, -0.2489], [0.2517, 0.2245, 0.3956, 0.1682], [0.2862, -0.0275, 0.3691, -0.3907]], [[-0.2063, 0.2991, -0.35, -0.1676], [-0.1668, -0.3729, 0.1573, -0.3851], [0.3289, 0.1981, -0.2264, 0.3027]], [[0.1746, 0.0806, 0.0362, 0.3701], [0.3301, 0.1262, 0.0078, 0.3662], [-0.2152, -0.1508, -0.3984, 0.0214]]]]> : tensor<2x3x3x4xf32>} : () -> tensor<2x3x3x4xf32> loc("conv2.weight")
  %b2 = "tosa.const"() {values = dense<[-0.3556, 0.19]> : tensor<2xf32>} : () -> tensor<2xf32> loc("conv2.bias")
  %c2 = tosa.conv2d %t, %w2, %b2, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 2>} : (tensor<?x14x14x4xf32>, tensor<2x3x3x4xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x7x7x2xf32> loc("conv2")
  %s = tosa.sigmoid %c2 : (tensor<?x7x7x2xf32>) -> tensor<?x7x7x2xf32> loc("gate")
  return %s : tensor<?x7x7x2xf32>
}
