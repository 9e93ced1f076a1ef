func.func @forward(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %y = tosa.sin %x : (tensor<?x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
