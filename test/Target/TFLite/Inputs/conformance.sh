#!/usr/bin/env bash
# Conformance of one integer model between qapeft's simulator and the real
# TFLite interpreter:
#
#   conformance.sh "RUNNER" MODEL.mlir KERNELS WORKDIR BATCH SEED...
#
# RUNNER is the tflite-runner command (lit's %tflite-runner), KERNELS builtin
# or xnnpack. For every seed: deterministic pseudo-random inputs over the
# whole range of the input type, `qapeft-sim run` on the .mlir and the
# exported .tflite on the interpreter; the outputs must be bit-identical.
set -euo pipefail
runner=$1 model=$2 kernels=$3 work=$4 batch=$5
shift 5
mkdir -p "$work"
qapeft-translate --qapeft-to-tflite --batch="$batch" "$model" -o "$work/model.tflite"
for seed in "$@"; do
  # shellcheck disable=SC2086 # RUNNER is a command line
  $runner "$work/model.tflite" --make-inputs "$work/in$seed" --seed "$seed"
  # shellcheck disable=SC2086
  $runner "$work/model.tflite" -i "$work/in$seed/input0.npy" \
    -o "$work/tflite$seed.npy" --kernels "$kernels"
  qapeft-sim run "$model" --input "$work/in$seed/input0.npy" -o "$work/sim$seed.npy"
  echo "seed $seed:"
  # shellcheck disable=SC2086
  $runner --compare "$work/tflite$seed.npy" "$work/sim$seed.npy"
done
