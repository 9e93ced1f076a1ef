// lsq-lr-factor must be positive.
// RUN: qapeft-opt %s -verify-diagnostics --qapeft-training-graph="lsq-lr-factor=0"

// expected-error @+1 {{lsq-lr-factor must be > 0, got 0}}
module {
  func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    return %x : tensor<?x4xf32>
  }
}
