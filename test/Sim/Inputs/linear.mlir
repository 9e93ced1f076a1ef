// A 3-class linear classifier on 2 features: logits = x W, W = [[1, 0, -1],
// [0, 1, -1]]: class 0 if x0 is largest, class 1 if x1 is, class 2 if both
// are negative.
func.func @forward(%x: tensor<?x2xf32>) -> tensor<?x3xf32> {
  %w = qapeft.param "fc.weight" dense<[[[1.0, 0.0, -1.0], [0.0, 1.0, -1.0]]]> : tensor<1x2x3xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %s3 = tosa.const_shape {values = dense<[1, -1, 2]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %x3 = tosa.reshape %x, %s3 : (tensor<?x2xf32>, !tosa.shape<3>) -> tensor<1x?x2xf32>
  %l3 = tosa.matmul %x3, %w, %zp, %zp : (tensor<1x?x2xf32>, tensor<1x2x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x?x3xf32>
  %s2 = tosa.const_shape {values = dense<[-1, 3]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %l = tosa.reshape %l3, %s2 : (tensor<1x?x3xf32>, !tosa.shape<2>) -> tensor<?x3xf32>
  return %l : tensor<?x3xf32>
}
