// A precision override the attached target cannot run is an error at the op
// (whose location is the bare name loc("fc"), without a file position: hence
// @unknown).
// RUN: qapeft-opt %s -verify-diagnostics --qapeft-assign-precision="overrides=fc:int16x8"

module attributes {qapeft.target = {name = "int8-only", activation = #qapeft.scheme<bits = 8, storage = i8>, weight = #qapeft.scheme<bits = 8, storage = i8, symmetric = true>, precisions = [#qapeft<precision int8>]}} {
  func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
    // expected-error @unknown {{target 'int8-only' does not allow precision int16x8 (allowed: int8)}}
    %y = tosa.mul %x, %x, %shift : (tensor<?x4xf32>, tensor<?x4xf32>, tensor<1xi8>) -> tensor<?x4xf32> loc("fc")
    return %y : tensor<?x4xf32>
  }
}
