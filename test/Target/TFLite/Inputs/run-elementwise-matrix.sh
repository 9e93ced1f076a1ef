#!/usr/bin/env bash
# The elementwise conformance matrix: ADD, SUB and MUL cases from
# gen-elementwise-case.sh (scales and zero points chosen so that rounding
# ties, saturation and large/small scale ratios occur; broadcasting; fused
# activations; int8 and int16x8), lowered by --qapeft-lower-to-integer and
# compared bit for bit with qapeft-sim by conformance-elementwise.sh (batch
# 8, one seed), for
#   builtin: TFLite's builtin kernels (rounding=single: the elementwise
#            kernels' gemmlowp arithmetic, see LowerElementwise.cpp)
#   xnnpack: the XNNPACK delegate (rounding=fp32-half-even: XNNPACK's qs8
#            add/subtract fixed point and fp32 multiply requantization)
# Prints "ok CASE MODE" per comparison; stops at the first mismatch.
#
#   run-elementwise-matrix.sh "RUNNER" WORKDIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
runner=$1 work=$2
mkdir -p "$work"
cases=(
  # op  shape1  shape2    s1      z1   s2     z2   so     zo   act    bits modes
  "add  4x4x3   4x4x3     0.0625  -3   0.05   7    0.08   2    none   8 builtin,xnnpack"
  "add  5x3     5x3       0.02    10   0.3    -20  0.25   -5   relu   8 builtin,xnnpack"
  "add  4x4x3   =1x1x1x3  0.1     0    0.1    0    0.2    0    relu6  8 builtin"
  "add  3x5     3x5       0.004   0    0.005  0    0.003  -128 relun1 8 builtin"
  "sub  4x4x3   4x4x3     0.0625  -3   0.05   7    0.08   2    none   8 builtin,xnnpack"
  "sub  5x3     =1x5x3    0.03    -7   0.0625 4    0.04   9    relu   8 builtin,xnnpack"
  "sub  3x5     3x5       0.5     0    0.002  0    0.01   0    none   8 builtin"
  "mul  4x4x3   4x4x3     0.0625  -3   0.05   7    0.08   2    none   8 builtin"
  "mul  5x3     5x3       0.02    10   0.3    -20  0.05   -5   relu6  8 builtin,xnnpack"
  "mul  4x4x3   =1x1x1x3  0.1     3    0.2    -1   0.01   0    relu   8 builtin,xnnpack"
  "mul  3x5     3x5       0.9     0    0.8    0    0.5    0    none   8 builtin,xnnpack"
  "add  4x4x3   4x4x3     0.0002  0    0.00015 0   0.0003 0    none   16 builtin,xnnpack"
  "sub  5x3     5x3       0.0001  0    0.0004 0    0.0002 0    relu   16 builtin"
  "mul  4x4x3   4x4x3     0.002   0    0.0015 0    0.0001 0    none   16 builtin,xnnpack"
)
for c in "${cases[@]}"; do
  read -r op sh1 sh2 s1 z1 s2 z2 so zo act bits modes <<<"$c"
  name="$op-${sh1//=/s}-${sh2//=/s}-$act-i$bits-$s1-$s2-$so"
  "$here/gen-elementwise-case.sh" "$op" "$sh1" "$sh2" "$s1" "$z1.0" "$s2" "$z2.0" "$so" "$zo.0" "$act" "$bits" > "$work/$name.mlir"
  for mode in ${modes//,/ }; do
    rounding=single
    [ "$mode" = xnnpack ] && rounding=fp32-half-even
    qapeft-opt "$work/$name.mlir" --qapeft-lower-to-integer="rounding=$rounding" -o "$work/$name.$mode.mlir"
    "$here/conformance-elementwise.sh" "$runner" "$work/$name.$mode.mlir" "$mode" "$work/$name.$mode" 8 1 > "$work/$name.$mode.log" || {
      cat "$work/$name.$mode.log"; echo "MISMATCH $name $mode"; exit 1; }
    echo "ok $name $mode"
  done
done
