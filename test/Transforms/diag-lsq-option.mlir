// An unknown lsq= value is an error at the module.
// RUN: qapeft-opt %s -verify-diagnostics --qapeft-insert-fake-quant="lsq=scales"

// expected-error @+1 {{unknown lsq 'scales'; expected none, activation, weight or all}}
module {
  func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    return %x : tensor<?x4xf32>
  }
}
