// sigmoid -> tanh -> softmax, for fixed-activations-int16.test.
func.func @forward(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %s = tosa.sigmoid %x : (tensor<?x8xf32>) -> tensor<?x8xf32> loc("sig")
  %t = tosa.tanh %s : (tensor<?x8xf32>) -> tensor<?x8xf32> loc("th")
  %m = tosa.reduce_max %t {axis = 1 : i32} : (tensor<?x8xf32>) -> tensor<?x1xf32> loc("sm")
  %d = tosa.sub %t, %m : (tensor<?x8xf32>, tensor<?x1xf32>) -> tensor<?x8xf32>
  %e = tosa.exp %d : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %r = tosa.reduce_sum %e {axis = 1 : i32} : (tensor<?x8xf32>) -> tensor<?x1xf32>
  %i = tosa.reciprocal %r : (tensor<?x1xf32>) -> tensor<?x1xf32>
  %sh = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %y = tosa.mul %e, %i, %sh : (tensor<?x8xf32>, tensor<?x1xf32>, tensor<1xi8>) -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}
