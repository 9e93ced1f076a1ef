// A small model in the form of docs/CONVENTIONS.md: conv + ReLU, then a
// fully connected layer as reshape + 1x1 conv2d + reshape.
func.func @forward(%x: tensor<?x8x8x1xf32>) -> tensor<?x10xf32> {
  %w = "tosa.const"() {values = dense<[[[[0.5], [-0.25], [0.125]], [[0.75], [1.0], [-0.5]], [[0.25], [0.0], [-1.0]]], [[[0.1], [0.2], [0.3]], [[0.4], [0.5], [0.6]], [[0.7], [0.8], [0.9]]], [[[-0.1], [-0.2], [-0.3]], [[-0.4], [-0.5], [-0.6]], [[-0.7], [-0.8], [-0.9]]], [[[1.0], [0.0], [0.0]], [[0.0], [1.0], [0.0]], [[0.0], [0.0], [1.0]]]]> : tensor<4x3x3x1xf32>} : () -> tensor<4x3x3x1xf32> loc("conv1.weight")
  %b = "tosa.const"() {values = dense<[0.1, -0.1, 0.2, 0.0]> : tensor<4xf32>} : () -> tensor<4xf32> loc("conv1.bias")
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 2, 2>} : (tensor<?x8x8x1xf32>, tensor<4x3x3x1xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x4x4x4xf32> loc("conv1")
  %r = tosa.clamp %c {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<?x4x4x4xf32>) -> tensor<?x4x4x4xf32> loc("conv1.relu")
  %s = tosa.const_shape {values = dense<[-1, 1, 1, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %f = tosa.reshape %r, %s : (tensor<?x4x4x4xf32>, !tosa.shape<4>) -> tensor<?x1x1x64xf32>
  %w2 = "tosa.const"() {values = dense<0.01> : tensor<10x1x1x64xf32>} : () -> tensor<10x1x1x64xf32> loc("fc.weight")
  %b2 = "tosa.const"() {values = dense<0.0> : tensor<10xf32>} : () -> tensor<10xf32> loc("fc.bias")
  %c2 = tosa.conv2d %f, %w2, %b2, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x1x1x64xf32>, tensor<10x1x1x64xf32>, tensor<10xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x10xf32> loc("fc")
  %s2 = tosa.const_shape {values = dense<[-1, 10]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %o = tosa.reshape %c2, %s2 : (tensor<?x1x1x10xf32>, !tosa.shape<2>) -> tensor<?x10xf32>
  return %o : tensor<?x10xf32>
}
