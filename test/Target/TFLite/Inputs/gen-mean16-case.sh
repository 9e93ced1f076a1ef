#!/usr/bin/env bash
# Writes a QA-PEFT-form model of an int16 global average pool
# (tosa.avg_pool2d over the whole H x W input, TFLite's int16 MEAN over
# [1, 2]) for the int16 MEAN tests:
#
#   gen-mean16-case.sh H W C IN_SCALE OUT_SCALE [flat] [IN_ZP OUT_ZP] > model.mlir
#
# Activations are symmetric int16 (zero point 0, as TFLite's int16 MEAN
# requires); IN_ZP / OUT_ZP override that for the diagnostics tests. With
# "flat" the pooled [N, 1, 1, C] is reshaped to [N, C].
set -euo pipefail
h=$1 w=$2 c=$3 sin=$4 sout=$5 flat=${6:-} zin=${7:-0.0} zout=${8:-0.0}
scheme="<bits = 16, storage = i16, symmetric = true>"
[ "$zin" != 0.0 ] || [ "$zout" != 0.0 ] && scheme="<bits = 16, storage = i16>"
in="tensor<?x${h}x${w}x${c}xf32>"
pooled="tensor<?x1x1x${c}xf32>"
out=$pooled
[ "$flat" = flat ] && out="tensor<?x${c}xf32>"
cat <<MLIR
func.func @forward(%x: $in) -> $out {
  %xs = "tosa.const"() {values = dense<$sin> : tensor<f32>} : () -> tensor<f32>
  %xz = "tosa.const"() {values = dense<$zin> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme $scheme : $in, tensor<f32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %p = tosa.avg_pool2d %xq, %zp, %zp {acc_type = f32, kernel = array<i64: $h, $w>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : ($in, tensor<1xf32>, tensor<1xf32>) -> $pooled loc("gap")
  %os = "tosa.const"() {values = dense<$sout> : tensor<f32>} : () -> tensor<f32>
  %oz = "tosa.const"() {values = dense<$zout> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %p scale %os zero_point %oz scheme $scheme : $pooled, tensor<f32> loc("gap.q")
MLIR
if [ "$flat" = flat ]; then
  echo "  %s = tosa.const_shape {values = dense<[-1, $c]> : tensor<2xindex>} : () -> !tosa.shape<2>"
  echo "  %r = tosa.reshape %o, %s : ($pooled, !tosa.shape<2>) -> $out loc(\"flat\")"
  echo "  return %r : $out"
else
  echo "  return %o : $out"
fi
echo "}"
