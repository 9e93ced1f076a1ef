#!/usr/bin/env bash
# The activation conformance matrix: int8 LOGISTIC and TANH for several input
# quantizations, each lowered from the QA-PEFT form (gen-activation-case.sh)
# to a tosa.table, exported, and run on the real TFLite interpreter with its
# builtin kernels and with XNNPACK, on all 256 int8 codes (one input of
# -128 .. 127); the outputs must equal qapeft-sim's bit for
# bit. Prints "ok CASE MODE" per comparison; stops at the first mismatch.
#
#   run-activation-matrix.sh "RUNNER" WORKDIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
runner=$1 work=$2
mkdir -p "$work"
qapeft-sim make-npy --dtype i8 --shape 1x16x16x1 --values iota:-128 \
  -o "$work/all-i8.npy"
cases=(
  # kind    in_scale  in_zp
  "sigmoid  0.05      -3.0"
  "sigmoid  0.0123    17.0"
  "sigmoid  0.25      -128.0"
  "tanh     0.05      -3.0"
  "tanh     0.02      0.0"
  "tanh     0.125     100.0"
)
for c in "${cases[@]}"; do
  read -r kind s z <<<"$c"
  name="$kind-$s-$z"
  "$here/gen-activation-case.sh" "$kind" "$s" "$z" > "$work/$name.mlir"
  qapeft-opt "$work/$name.mlir" --qapeft-lower-to-integer -o "$work/$name.int.mlir"
  qapeft-translate --qapeft-to-tflite "$work/$name.int.mlir" -o "$work/$name.tflite"
  qapeft-sim run "$work/$name.int.mlir" --input "$work/all-i8.npy" -o "$work/$name.sim.npy"
  for mode in builtin xnnpack; do
    # shellcheck disable=SC2086 # RUNNER is a command line
    $runner "$work/$name.tflite" -i "$work/all-i8.npy" -o "$work/$name.$mode.npy" --kernels "$mode"
    # shellcheck disable=SC2086
    $runner --compare "$work/$name.$mode.npy" "$work/$name.sim.npy" > "$work/$name.$mode.log" || {
      cat "$work/$name.$mode.log"; echo "MISMATCH $name $mode"; exit 1; }
    echo "ok $name $mode"
  done
done
