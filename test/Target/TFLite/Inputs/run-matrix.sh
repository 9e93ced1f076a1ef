#!/usr/bin/env bash
# The generated conformance matrix: convolution cases from gen-conv-case.sh,
# each lowered by --qapeft-lower-to-integer twice, for
#   builtin: TFLite's builtin kernels, single rounding (tflite-int8)
#   xnnpack: the XNNPACK delegate, fp32 requantization (tflite-int8-xnnpack)
# and a few of them once more as int16x8 on the builtin kernels
# (tflite-int16x8: int16 activations, i48 accumulators, 16-bit multipliers),
# and compared bit for bit with qapeft-sim by conformance.sh (one seed, batch
# 4). Prints "ok CASE MODE" per comparison; stops at the first mismatch.
#
#   run-matrix.sh "RUNNER" WORKDIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
runner=$1 work=$2
mkdir -p "$work"
cases=(
  # kind       k stride pad   cin cout act
  "conv        1 1      valid 3   4    none"
  "conv        2 2      valid 3   4    relu"
  "conv        3 1      valid 3   4    relu6"
  "conv        3 1      same  3   4    relu"
  "conv        3 2      same  3   4    relu6"
  "conv        3 2      torch 3   4    relu"
  "conv        5 1      same  3   4    none"
  "depthwise   3 1      same  4   4    relu"
  "depthwise   3 2      same  4   4    none"
  "depthwise   3 2      torch 4   4    relu6"
  "depthwise   5 1      valid 4   4    relu"
)
int16cases=(
  "conv        1 1      valid 3   4    none"
  "conv        3 2      torch 3   4    relu"
  "depthwise   3 1      same  4   4    relu6"
)
for c in "${cases[@]}"; do
  read -r kind k stride pad cin cout act <<<"$c"
  name="$kind-k$k-s$stride-$pad-$act"
  "$here/gen-conv-case.sh" "$kind" "$k" "$stride" "$pad" "$cin" "$cout" "$act" > "$work/$name.mlir"
  for mode in builtin xnnpack; do
    rounding=single
    [ "$mode" = xnnpack ] && rounding=fp32-half-even
    qapeft-opt "$work/$name.mlir" --qapeft-lower-to-integer="rounding=$rounding" -o "$work/$name.$mode.mlir"
    "$here/conformance.sh" "$runner" "$work/$name.$mode.mlir" "$mode" "$work/$name.$mode" 4 1 > "$work/$name.$mode.log" || {
      cat "$work/$name.$mode.log"; echo "MISMATCH $name $mode"; exit 1; }
    echo "ok $name $mode"
  done
done
for c in "${int16cases[@]}"; do
  read -r kind k stride pad cin cout act <<<"$c"
  name="$kind-k$k-s$stride-$pad-$act-int16x8"
  "$here/gen-conv-case.sh" "$kind" "$k" "$stride" "$pad" "$cin" "$cout" "$act" 16 > "$work/$name.mlir"
  qapeft-opt "$work/$name.mlir" --qapeft-lower-to-integer -o "$work/$name.int.mlir"
  "$here/conformance.sh" "$runner" "$work/$name.int.mlir" builtin "$work/$name" 4 1 > "$work/$name.log" || {
    cat "$work/$name.log"; echo "MISMATCH $name builtin"; exit 1; }
  echo "ok $name builtin"
done
