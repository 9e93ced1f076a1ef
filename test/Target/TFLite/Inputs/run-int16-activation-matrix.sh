#!/usr/bin/env bash
# The int16 activation conformance matrix: int16 LOGISTIC and TANH for
# several input scales, each lowered from the QA-PEFT form
# (gen-int16-activation-case.sh) to the TOSA form of TFLite's int16 kernel,
# exported, and run on the real TFLite interpreter with its builtin kernels
# (XNNPACK has no int16 LOGISTIC / TANH) on all 65536 int16 codes (one
# input of -32768 .. 32767); the outputs must equal qapeft-sim's bit for
# bit. Prints "ok CASE" per comparison; stops at the first mismatch.
#
#   run-int16-activation-matrix.sh "RUNNER" WORKDIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
runner=$1 work=$2
mkdir -p "$work"
qapeft-sim make-npy --dtype i16 --shape 1x256x256x1 --values iota:-32768 \
  -o "$work/all-i16.npy"
cases=(
  # kind    in_scale
  "sigmoid  0.000325520833"   # 1/3072: d = 4x, TFLite's own table range
  "sigmoid  0.0005"
  "sigmoid  0.0001"
  "sigmoid  0.00048828125"    # 2^-11: not the power-of-two kernel for LOGISTIC
  "sigmoid  0.000377195"      # a calibrated-looking scale
  "sigmoid  0.0021"           # saturates from |x| ~ 5080
  "sigmoid  2.0"              # Prepare's shift 0: d = x * 24576, no rounding
  "tanh     0.000162760417"   # 1/6144: d = 2x
  "tanh     0.000325520833"
  "tanh     0.0005"
  "tanh     0.0001"
  "tanh     0.000377195"
  "tanh     0.000001"         # shift 21
)
for c in "${cases[@]}"; do
  read -r kind s _ <<<"$c"
  name="$kind-$s"
  "$here/gen-int16-activation-case.sh" "$kind" "$s" > "$work/$name.mlir"
  qapeft-opt "$work/$name.mlir" --qapeft-lower-to-integer -o "$work/$name.int.mlir"
  qapeft-translate --qapeft-to-tflite "$work/$name.int.mlir" -o "$work/$name.tflite"
  qapeft-sim run "$work/$name.int.mlir" --input "$work/all-i16.npy" -o "$work/$name.sim.npy"
  # shellcheck disable=SC2086 # RUNNER is a command line
  $runner "$work/$name.tflite" -i "$work/all-i16.npy" -o "$work/$name.builtin.npy" --kernels builtin
  # shellcheck disable=SC2086
  $runner --compare "$work/$name.builtin.npy" "$work/$name.sim.npy" > "$work/$name.log" || {
    cat "$work/$name.log"; echo "MISMATCH $name"; exit 1; }
  echo "ok $name $(cat "$work/$name.log")"
done
