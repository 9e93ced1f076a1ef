#!/usr/bin/env bash
# int16 SOFTMAX on the real TFLite interpreter (builtin kernels) against
# qapeft-sim, bit for bit:
#
#   run-softmax16-matrix.sh "RUNNER" WORKDIR
#
# 11 lowered cases (row lengths 1 .. 1000, input scales 7e-7 .. 8; at 8 the
# kernel's int32 scaling of differences wraps, and so does the simulator)
# and 3 with beta 0.5, 2 and 3.7: 14 models, 56 comparisons.
# Each lowered case (row length, input scale) is written by
# gen-softmax16-case.sh, lowered to qapeft.tflite_softmax on i16 and exported
# (SOFTMAX int16, version 3); each beta case is integer IR written here
# (beta != 1 has no float-model spelling). Every model runs on:
#  - "near": 8 rows whose codes lie within a random span of 0.5 .. 40 (in
#    units of 1 / (input_scale * beta)) below a random row max, so that the
#    exps cover the whole exp table and the sums every reciprocal segment;
#  - "random": 8 rows over all int16 codes (--make-inputs, seed 1);
#  - "saturating": 6 hand-made rows: all 32767, all -32768, one-hot,
#    alternating extremes, a ramp, a near-tie (32766 everywhere, 32767 last);
# and the "near" rows also on the runtime as shipped (--kernels xnnpack),
# whose XNNPACK delegate leaves int16 SOFTMAX to the builtin kernel.
# Prints "ok CASE INPUT" or "MISMATCH CASE INPUT" per comparison.
set -euo pipefail
runner=$1 work=$2
here=$(dirname "$0")
mkdir -p "$work"

# near ROWS COLS SCALE_TIMES_BETA SEED: comma-separated int16 codes.
near() {
  awk -v R="$1" -v C="$2" -v s="$3" -v seed="$4" 'BEGIN {
    x = seed * 7919 + 13
    split("0.5 2 5 10 12 20 40 3", spans, " ")
    for (r = 0; r < R; ++r) {
      x = (x * 1103515245 + 12345) % 2147483648
      m = int(x % 65536) - 32768
      span = spans[r % 8 + 1] / s
      if (span > 65535) span = 65535
      for (j = 0; j < C; ++j) {
        x = (x * 1103515245 + 12345) % 2147483648
        v = m - int((x / 2147483648) * span)
        if (v < -32768) v = -32768
        printf "%s%d", (r + j ? "," : ""), v } } }'
}

saturating() { # COLS
  awk -v c="$1" 'BEGIN {
    for (r = 0; r < 6; ++r) for (j = 0; j < c; ++j) {
      if (r == 0) v = 32767; else if (r == 1) v = -32768;
      else if (r == 2) v = (j == 0) ? 32767 : -32768;
      else if (r == 3) v = (j % 2) ? 32767 : -32768;
      else if (r == 4) v = int(-32768 + (65535 * j) / (c > 1 ? c - 1 : 1));
      else v = (j == c - 1) ? 32767 : 32766;
      printf "%s%d", (r + j ? "," : ""), v } }'
}

# run_case NAME COLS SCALE*BETA: runs the three inputs on $dir/int.mlir.
run_case() {
  local name=$1 cols=$2 sb=$3
  qapeft-translate --qapeft-to-tflite --batch=8 "$dir/int.mlir" -o "$dir/b8.tflite"
  qapeft-translate --qapeft-to-tflite --batch=6 "$dir/int.mlir" -o "$dir/b6.tflite"
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
  qapeft-sim make-npy --dtype i16 --shape "8x$cols" \
    --values "$(near 8 "$cols" "$sb" "$cols")" -o "$dir/near.npy"
  compare "$dir/near.npy" "$dir/b8.tflite" near
  compare "$dir/near.npy" "$dir/b8.tflite" xnnpack xnnpack
  # shellcheck disable=SC2086
  $runner "$dir/b8.tflite" --make-inputs "$dir/in" --seed 1
  compare "$dir/in/input0.npy" "$dir/b8.tflite" random
  qapeft-sim make-npy --dtype i16 --shape "6x$cols" \
    --values "$(saturating "$cols")" -o "$dir/sat.npy"
  compare "$dir/sat.npy" "$dir/b6.tflite" saturating
}

# Lowered from the float model (beta 1).
while read -r name cols scale; do
  dir="$work/$name"
  mkdir -p "$dir"
  "$here/gen-softmax16-case.sh" "$cols" "$scale" > "$dir/model.mlir"
  qapeft-opt "$dir/model.mlir" --qapeft-lower-to-integer -o "$dir/int.mlir"
  run_case "$name" "$cols" "$scale"
done <<CASES
c1 1 0.7
c2 2 0.000305175781
c3 3 0.0123
c10 10 0.001
c37 37 0.05
c100 100 0.0000305175781
c257 257 0.00025
c1000 1000 0.0003
c16 16 2.0
c8 8 0.0000007
w6 6 8.0
CASES

# Integer IR with beta != 1, with the multiplier and shift SoftmaxPrepare
# derives from input_scale * beta (the exporter refuses any other).
while read -r name cols scale beta mult shift; do
  dir="$work/$name"
  mkdir -p "$dir"
  t="tensor<?x${cols}xi16>"
  cat > "$dir/int.mlir" <<MLIR
func.func @forward(%x: $t {qapeft.scale = [$scale : f32], qapeft.zero_point = [0]}) -> ($t {qapeft.scale = [3.05175781E-5 : f32], qapeft.zero_point = [0]}) {
  %y = qapeft.tflite_softmax %x {input_scale = $scale : f32, beta = $beta : f32, input_multiplier = $mult : i32, input_shift = $shift : i32, qapeft.scale = [3.05175781E-5 : f32], qapeft.zero_point = [0]} : $t
  return %y : $t
}
MLIR
  run_case "$name" "$cols" "$(awk -v a="$scale" -v b="$beta" 'BEGIN { print a * b }')"
done <<CASES
b05 20 0.002 0.5 1759191844 3
b2 50 0.0001 2.0 1407353373 1
b37 64 0.00004 3.7 2082882931 0
CASES
