#!/usr/bin/env bash
# The entry of an int16x8 region (int8 -> int16) on the real interpreter,
# for every int8 code:
#
#   run-region-entry.sh "RUNNER" WORKDIR IN_SCALE IN_ZP OUT_SCALE...
#
# For each (IN_SCALE, IN_ZP, OUT_SCALE) triple: the model of
# gen-region-entry.sh, lowered for a TFLite target (rounding single), is
# exported (a DEQUANTIZE + QUANTIZE pair) with batch 64, so that one input
# holds all 256 int8 codes; the interpreter's outputs on its builtin kernels
# and with XNNPACK (which takes the DEQUANTIZE) are compared with
# `qapeft-sim run` on the integer graph, bit for bit.
set -euo pipefail
runner=$1 work=$2
shift 2
here=$(dirname "$0")
mkdir -p "$work"
qapeft-sim make-npy --dtype i8 --shape 64x4 --values iota:-128 -o "$work/codes.npy"
k=0
while [ $# -ge 3 ]; do
  case="$work/case$k"
  "$here/gen-region-entry.sh" "$1" "$2" "$3" > "$case.qa.mlir"
  qapeft-opt "$case.qa.mlir" --qapeft-lower-to-integer="rounding=single" -o "$case.mlir"
  qapeft-translate --qapeft-to-tflite --batch=64 "$case.mlir" -o "$case.tflite"
  qapeft-sim run "$case.mlir" --input "$work/codes.npy" -o "$case.sim.npy"
  for kernels in builtin xnnpack; do
    # shellcheck disable=SC2086 # RUNNER is a command line
    $runner "$case.tflite" -i "$work/codes.npy" -o "$case.$kernels.npy" --kernels "$kernels"
    echo "$1 $2 -> $3 $kernels:"
    # shellcheck disable=SC2086
    $runner --compare "$case.$kernels.npy" "$case.sim.npy"
  done
  shift 3
  k=$((k + 1))
done
