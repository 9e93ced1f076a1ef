// A residual block for the mixed-precision tests: a 1x1 conv c1 and a
// residual add res of its output and the block input (8 channels, so that
// --qapeft-prepare's rank-4 LoRA adapter fits the weight).
func.func @forward(%x: tensor<?x4x4x8xf32>) -> tensor<?x4x4x8xf32> {
  %w = "tosa.const"() {values = dense<[[[[-0.5, -0.2, 0.1, 0.4, -0.4, -0.1, 0.2, 0.5]]], [[[0.2, 0.5, -0.3, 0.0, 0.3, -0.5, -0.2, 0.1]]], [[[-0.2, 0.1, 0.4, -0.4, -0.1, 0.2, 0.5, -0.3]]], [[[0.5, -0.3, 0.0, 0.3, -0.5, -0.2, 0.1, 0.4]]], [[[0.1, 0.4, -0.4, -0.1, 0.2, 0.5, -0.3, 0.0]]], [[[-0.3, 0.0, 0.3, -0.5, -0.2, 0.1, 0.4, -0.4]]], [[[0.4, -0.4, -0.1, 0.2, 0.5, -0.3, 0.0, 0.3]]], [[[0.0, 0.3, -0.5, -0.2, 0.1, 0.4, -0.4, -0.1]]]]> : tensor<8x1x1x8xf32>} : () -> tensor<8x1x1x8xf32> loc("c1.weight")
  %b = "tosa.const"() {values = dense<[-0.1, 0.0, 0.1, -0.1, 0.0, 0.1, -0.1, 0.0]> : tensor<8xf32>} : () -> tensor<8xf32> loc("c1.bias")
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x4x4x8xf32>, tensor<8x1x1x8xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x4x4x8xf32> loc("c1")
  %s = tosa.add %c, %x : (tensor<?x4x4x8xf32>, tensor<?x4x4x8xf32>) -> tensor<?x4x4x8xf32> loc("res")
  return %s : tensor<?x4x4x8xf32>
}
