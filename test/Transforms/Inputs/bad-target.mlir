// expected-error @+1 {{qapeft.target needs #qapeft.scheme entries 'activation' and 'weight'}}
module attributes {qapeft.target = {name = "broken", activation = 8 : i64}} {
  func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    return %x : tensor<?x4xf32>
  }
}
