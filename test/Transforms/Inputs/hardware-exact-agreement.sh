#!/usr/bin/env bash
# Usage: hardware-exact-agreement.sh A.npy B.npy CAL_LOG NAME
# Compares two f32 outputs that lie on the grid of the quantizer NAME (its
# scale is read from the `qapeft-sim calibrate` report CAL_LOG) and prints
# how many elements are identical and the largest difference in LSBs
# (quantization steps). Both files must have the same shape.
set -euo pipefail
a=$1 b=$2 log=$3 name=$4
scale=$(grep "^$name: " "$log" | sed 's/.* scale \([^ ]*\) .*/\1/')
[ -n "$scale" ] || { echo "no scale for $name in $log" >&2; exit 1; }
ta=$(mktemp) tb=$(mktemp)
trap 'rm -f "$ta" "$tb"' EXIT
qapeft-sim show-npy "$a" > "$ta"
qapeft-sim show-npy "$b" > "$tb"
[ "$(head -1 "$ta")" = "$(head -1 "$tb")" ] || {
  echo "shapes differ: $(head -1 "$ta") vs $(head -1 "$tb")" >&2; exit 1; }
paste -d'\n' <(tail -n +2 "$ta" | tr ' ' '\n') <(tail -n +2 "$tb" | tr ' ' '\n') |
awk -v s="$scale" '
  NR % 2 == 1 { x = $1; next }
  { n++; d = x - $1; if (d < 0) d = -d; lsb = int(d / s + 0.5);
    if (lsb == 0) same++; if (lsb > max) max = lsb }
  END { printf "identical %d/%d (%.6f), max diff %d LSB\n", same, n, same / n, max }'
