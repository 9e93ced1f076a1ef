#!/usr/bin/env bash
# Writes every int16 code once, -32768 .. 32767 in order, as a NumPy int16
# array of shape (1, 256, 256, 1): the exhaustive input of an int16
# activation (65536 inputs). The same file feeds qapeft-sim and the TFLite
# interpreter.
#
#   activation-exhaustive-i16.sh OUT.npy
set -euo pipefail
out=$1
header="{'descr': '<i2', 'fortran_order': False, 'shape': (1, 256, 256, 1), }"
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
  # Little-endian two's complement, low byte first (awk's %c writes a byte).
  LC_ALL=C awk 'BEGIN { for (v = -32768; v < 32768; v++) {
    u = v < 0 ? v + 65536 : v; printf "%c%c", u % 256, int(u / 256) } }'
} > "$out.tmp"
mv "$out.tmp" "$out"
