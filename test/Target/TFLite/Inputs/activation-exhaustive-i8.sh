#!/usr/bin/env bash
# Writes every int8 code once, -128 .. 127 in order, as a NumPy int8 array of
# shape (1, 16, 16, 1): the exhaustive input of a lookup-table activation
# (256 inputs). The same file feeds qapeft-sim and the TFLite interpreter.
#
#   activation-exhaustive-i8.sh OUT.npy
set -euo pipefail
out=$1
header="{'descr': '|i1', 'fortran_order': False, 'shape': (1, 16, 16, 1), }"
# Magic (6) + version (2) + length (2) + header + '\n', padded to 64 bytes.
pad=$(( 64 - (10 + ${#header} + 1) % 64 ))
[ "$pad" -eq 64 ] && pad=0
len=$(( ${#header} + pad + 1 ))
{
  printf '\x93NUMPY\x01\x00'
  printf "\\x$(printf %02x $(( len & 255 )))\\x$(printf %02x $(( len >> 8 )))"
  printf '%s' "$header"
  printf '%*s' "$pad" ''
  printf '\n'
  for v in $(seq 128 255) $(seq 0 127); do printf "\\x$(printf %02x "$v")"; done
} > "$out.tmp"
mv "$out.tmp" "$out"
