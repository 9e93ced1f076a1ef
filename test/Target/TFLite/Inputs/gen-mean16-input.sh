#!/usr/bin/env bash
# Writes a NumPy int16 array of shape (N, H, W, C) for the int16 MEAN
# conformance tests, from a 32-bit LCG seeded with SEED. Each (image,
# channel) window gets one of four kinds of codes, so that the sums cover
# the whole range and the float path's ties (mean * scale = k + 0.5) occur:
# uniform over int16, a random centre +- 50, a random centre +- 3, and a
# constant.
#
#   gen-mean16-input.sh N H W C SEED OUT.npy
set -euo pipefail
n=$1 h=$2 w=$3 c=$4 seed=$5 out=$6
header="{'descr': '<i2', 'fortran_order': False, 'shape': ($n, $h, $w, $c), }"
# Magic (6) + version (2) + length (2) + header + '\n', padded to 64 bytes.
pad=$(( 64 - (10 + ${#header} + 1) % 64 ))
[ "$pad" -eq 64 ] && pad=0
len=$(( ${#header} + pad + 1 ))
bytes=$(awk -v n="$n" -v h="$h" -v w="$w" -v c="$c" -v s="$seed" '
  # 69069 * 2^32 < 2^53: exact in the doubles of awk.
  function rnd() { s = (s * 69069 + 1) % 4294967296; return int(s / 65536) }
  function code(lo, hi) { return lo + rnd() % (hi - lo + 1) }
  BEGIN {
    for (b = 0; b < n; ++b)
      for (k = 0; k < c; ++k) {
        kind[b, k] = rnd() % 4
        centre[b, k] = code(0, 65535) - 32768
      }
    for (b = 0; b < n; ++b)
      for (i = 0; i < h * w; ++i)
        for (k = 0; k < c; ++k) {
          m = kind[b, k]
          if (m == 0) v = code(0, 65535) - 32768
          else {
            d = m == 1 ? 50 : m == 2 ? 3 : 0
            v = centre[b, k] + code(0, 2 * d) - d
            if (v > 32767) v = 32767
            if (v < -32768) v = -32768
          }
          if (v < 0) v += 65536
          printf "\\x%02x\\x%02x", v % 256, int(v / 256)
        }
  }')
{
  printf '\x93NUMPY\x01\x00'
  printf "\\x$(printf %02x $(( len & 255 )))\\x$(printf %02x $(( len >> 8 )))"
  printf '%s' "$header"
  printf '%*s' "$pad" ''
  printf '\n'
  printf "$bytes"
} > "$out.tmp"
mv "$out.tmp" "$out"
