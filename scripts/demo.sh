#!/usr/bin/env bash
# The end-to-end demo on the bundled example. It grows with the pipeline:
# each stage that exists runs here, and writes its files under out/demo/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${QAPEFT_BUILD:-$ROOT/build}/bin"
OUT="$ROOT/out/demo"
mkdir -p "$OUT"

echo "== 1. parse and verify the base model"
"$BIN/qapeft-opt" "$ROOT/examples/cnn/base.mlir" -o "$OUT/base.mlir"
echo "   wrote $OUT/base.mlir"
