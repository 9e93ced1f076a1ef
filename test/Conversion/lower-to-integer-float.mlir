// RUN: qapeft-opt %s --verify-diagnostics --qapeft-lower-to-integer

// A float model (no fake quant) cannot be lowered.
// expected-error@+1 {{cannot lower to integer: the input of @forward is not fake quantized (run --qapeft-insert-fake-quant and calibrate first)}}
func.func @forward(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
