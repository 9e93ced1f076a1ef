// x - 0.5 -> LOGISTIC -> TANH on Fashion-MNIST-shaped input, for
// insert-fake-quant-fixed-activations.test.
func.func @forward(%x: tensor<?x28x28x1xf32>) -> tensor<?x28x28x1xf32> {
  %c = "tosa.const"() {values = dense<-0.5> : tensor<1x1x1x1xf32>} : () -> tensor<1x1x1x1xf32>
  %a = tosa.add %x, %c : (tensor<?x28x28x1xf32>, tensor<1x1x1x1xf32>) -> tensor<?x28x28x1xf32> loc("shift")
  %s = tosa.sigmoid %a : (tensor<?x28x28x1xf32>) -> tensor<?x28x28x1xf32> loc("sig")
  %t = tosa.tanh %s : (tensor<?x28x28x1xf32>) -> tensor<?x28x28x1xf32> loc("th")
  return %t : tensor<?x28x28x1xf32>
}
