#!/usr/bin/env bash
# Training throughput and peak memory of qapeft-sim against PyTorch eager on
# the example CNN with LoRA (rank 4) + fake quant, batch 64, two threads.
# Prints both measurements and the ratios (qapeft-sim / PyTorch for steps/s,
# PyTorch / qapeft-sim for memory: above 1.0 means qapeft-sim is better).
#
#   bench/train-bench.sh [STEPS]        (QAPEFT_BUILD picks the build folder)
#
# Needs the built tools, Debian's dataset-fashion-mnist and, for the peer,
# python3-torch (without it only qapeft-sim's numbers are printed).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${QAPEFT_BUILD:-$ROOT/build}"
STEPS="${1:-100}"
BATCH=64
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

"$BUILD/bin/qapeft-opt" "$ROOT/examples/cnn/base.mlir" \
  --qapeft-insert-adapters="rank=4" --qapeft-insert-fake-quant \
  --qapeft-training-graph -o "$TMP/train.mlir"
"$BUILD/bin/qapeft-sim" calibrate "$TMP/train.mlir" --fashion-mnist train \
  --limit 256 -o "$TMP/cal.mlir" >/dev/null

# One epoch over STEPS batches; qapeft-sim reports the epoch's samples/s
# (the training loop only: parsing and data loading excluded). The first
# step fills the buffer pool; over 100 steps it is noise.
/usr/bin/time -f "%M" -o "$TMP/sim.rss" "$BUILD/bin/qapeft-sim" train \
  "$TMP/cal.mlir" --fashion-mnist train --limit $((STEPS * BATCH)) \
  --epochs 1 --batch $BATCH --seed 1 --progress lines -o "$TMP/trained.mlir" \
  >"$TMP/sim.log"
sim_sps=$(sed -n 's/.*(\([0-9.]*\) samples\/s).*/\1/p' "$TMP/sim.log" | tail -1)
sim_steps=$(awk -v s="$sim_sps" -v b=$BATCH 'BEGIN { printf "%.3f", s / b }')
sim_rss=$(cat "$TMP/sim.rss")
echo "qapeft-sim: $sim_steps steps/s, peak RSS $((sim_rss / 1024)) MiB"

if ! python3 -c "import torch" 2>/dev/null; then
  echo "PyTorch: not installed (apt install python3-torch); no ratios"
  exit 0
fi
read -r _ torch_steps _ torch_rss < <(python3 "$ROOT/bench/torch_cnn.py" "$STEPS" $BATCH)
echo "PyTorch:    $torch_steps steps/s, peak RSS $((torch_rss / 1024)) MiB (torch.set_num_threads(2))"
awk -v a="$sim_steps" -v b="$torch_steps" -v m="$sim_rss" -v n="$torch_rss" 'BEGIN {
  printf "ratio steps/s (qapeft-sim / PyTorch): %.2f\n", a / b
  printf "ratio peak RSS (PyTorch / qapeft-sim): %.2f\n", n / m
}'
