#!/usr/bin/env bash
# int8 SOFTMAX on the real TFLite interpreter (builtin kernels) against
# qapeft-sim, bit for bit:
#
#   run-softmax-matrix.sh "RUNNER" WORKDIR
#
# Each case (row length, input scale, input zero point) is written by
# gen-softmax-case.sh, lowered (qapeft.tflite_softmax) and exported
# (SOFTMAX int8); then run on 2 pseudo-random batches of 4 rows over all
# int8 codes and on 6 hand-made saturating rows: all 127, all -128, one-hot,
# alternating extremes, a ramp, and a near-tie (126 everywhere, 127 last);
# the first random batch also on the runtime as shipped (--kernels xnnpack).
# Prints "ok CASE INPUT" or "MISMATCH CASE INPUT" per comparison.
set -euo pipefail
runner=$1 work=$2
here=$(dirname "$0")
mkdir -p "$work"
while read -r name cols scale zp; do
  dir="$work/$name"
  mkdir -p "$dir"
  "$here/gen-softmax-case.sh" "$cols" "$scale" "$zp" > "$dir/model.mlir"
  qapeft-opt "$dir/model.mlir" --qapeft-lower-to-integer -o "$dir/int.mlir"
  qapeft-translate --qapeft-to-tflite --batch=4 "$dir/int.mlir" -o "$dir/rand.tflite"
  qapeft-translate --qapeft-to-tflite --batch=6 "$dir/int.mlir" -o "$dir/sat.tflite"
  compare() { # INPUT.npy MODEL.tflite LABEL [KERNELS]
    # shellcheck disable=SC2086 # RUNNER is a command line
    $runner "$2" -i "$1" -o "$dir/$3.tflite.npy" --kernels "${4:-builtin}"
    qapeft-sim run "$dir/int.mlir" --input "$1" -o "$dir/$3.sim.npy"
    # shellcheck disable=SC2086
    if $runner --compare "$dir/$3.tflite.npy" "$dir/$3.sim.npy" > /dev/null; then
      echo "ok $name $3"
    else
      echo "MISMATCH $name $3"
    fi
  }
  for seed in 1 2; do
    # shellcheck disable=SC2086
    $runner "$dir/rand.tflite" --make-inputs "$dir/in$seed" --seed "$seed"
    compare "$dir/in$seed/input0.npy" "$dir/rand.tflite" "random$seed"
  done
  # The shipped runtime (XNNPACK applied) keeps int8 SOFTMAX on the builtin
  # kernel: the same numbers.
  compare "$dir/in1/input0.npy" "$dir/rand.tflite" xnnpack xnnpack
  values=$(awk -v c="$cols" 'BEGIN {
    for (r = 0; r < 6; ++r) for (j = 0; j < c; ++j) {
      if (r == 0) v = 127; else if (r == 1) v = -128;
      else if (r == 2) v = (j == 0) ? 127 : -128;
      else if (r == 3) v = (j % 2) ? 127 : -128;
      else if (r == 4) v = int(-128 + (255 * j) / (c > 1 ? c - 1 : 1));
      else v = (j == c - 1) ? 127 : 126;
      printf "%s%d", (r + j ? "," : ""), v } }')
  qapeft-sim make-npy --dtype i8 --shape "6x$cols" --values "$values" -o "$dir/sat.npy"
  compare "$dir/sat.npy" "$dir/sat.tflite" saturating
done <<CASES
c10 10 0.1 -3.0
c3 3 0.0123 0.0
c37 37 0.05 20.0
c100 100 0.25 -128.0
c16 16 2.0 5.0
c1000 1000 0.00390625 100.0
c1 1 0.7 0.0
CASES
