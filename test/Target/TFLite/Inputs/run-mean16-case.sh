#!/usr/bin/env bash
# Conformance of one int16 MEAN model between qapeft-sim and the real TFLite
# interpreter's builtin kernels, on gen-mean16-input.sh's inputs (sums over
# the whole range, and ties):
#
#   run-mean16-case.sh "RUNNER" MODEL.mlir WORKDIR BATCH SEED...
#
# For every seed: export, run both, and require bit-identical outputs.
set -euo pipefail
runner=$1 model=$2 work=$3 batch=$4
shift 4
here=$(dirname "$0")
mkdir -p "$work"
qapeft-translate --qapeft-to-tflite --batch="$batch" "$model" -o "$work/model.tflite"
shape=$(sed -n 's/.*func.func @forward(%arg0: tensor<?x\([0-9]*\)x\([0-9]*\)x\([0-9]*\)xi16>.*/\1 \2 \3/p' "$model")
for seed in "$@"; do
  # shellcheck disable=SC2086 # H W C
  "$here/gen-mean16-input.sh" "$batch" $shape "$seed" "$work/in$seed.npy"
  # shellcheck disable=SC2086 # RUNNER is a command line
  $runner "$work/model.tflite" -i "$work/in$seed.npy" -o "$work/tflite$seed.npy" --kernels builtin
  qapeft-sim run "$model" --input "$work/in$seed.npy" -o "$work/sim$seed.npy"
  echo "seed $seed:"
  # shellcheck disable=SC2086
  $runner --compare "$work/tflite$seed.npy" "$work/sim$seed.npy"
done
