// A float softmax over the last axis as TOSA spells it, with no quantizers:
// the starting point of the int16x8 QA-PEFT flow in softmax16-qat-flow.test.
func.func @forward(%x: tensor<?x10xf32>) -> tensor<?x10xf32> {
  %m = tosa.reduce_max %x {axis = 1 : i32} : (tensor<?x10xf32>) -> tensor<?x1xf32>
  %d = tosa.sub %x, %m : (tensor<?x10xf32>, tensor<?x1xf32>) -> tensor<?x10xf32>
  %e = tosa.exp %d : (tensor<?x10xf32>) -> tensor<?x10xf32>
  %s = tosa.reduce_sum %e {axis = 1 : i32} : (tensor<?x10xf32>) -> tensor<?x1xf32>
  %i = tosa.reciprocal %s : (tensor<?x1xf32>) -> tensor<?x1xf32>
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %p = tosa.mul %e, %i, %sh : (tensor<?x10xf32>, tensor<?x1xf32>, tensor<1xi8>) -> tensor<?x10xf32> loc("softmax")
  return %p : tensor<?x10xf32>
}
