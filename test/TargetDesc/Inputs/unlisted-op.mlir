// An op outside tflite-int8's op list, without expected-* annotations, for
// the exit-status runs of check-target.mlir.
module {
  func.func @forward(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
    %0 = tosa.erf %x : (tensor<1x8xf32>) -> tensor<1x8xf32>
    return %0 : tensor<1x8xf32>
  }
}
