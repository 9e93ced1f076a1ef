#!/usr/bin/env bash
# Writes a QA-PEFT-form model whose only op is the entry of an int16x8 region
# in an int8 model (int8 input quantizer, the region's int16 entry
# quantizer), for the region boundary tests:
#
#   gen-region-entry.sh IN_SCALE IN_ZP OUT_SCALE > model.mlir
set -euo pipefail
sin=$1 zin=$2 sout=$3
t="tensor<?x4xf32>"
cat <<MLIR
func.func @forward(%x: $t) -> $t {
  %s = qapeft.param "input.scale" dense<$sin> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<$zin.0> : tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : $t, tensor<f32>
  %r = qapeft.region int16x8 {
    %s2 = qapeft.param "r.in.scale" dense<$sout> : tensor<f32>
    %z2 = qapeft.param "r.in.zero_point" dense<0.0> : tensor<f32>
    %e = qapeft.fake_quant %q scale %s2 zero_point %z2 scheme <bits = 16, storage = i16, symmetric = true> : $t, tensor<f32>
    qapeft.yield %e : $t
  } : $t
  return %r : $t
}
MLIR
