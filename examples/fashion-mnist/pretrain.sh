#!/usr/bin/env bash
# Pretrains the demo's base model with qapeft itself: a seeded random CNN
# (examples/cnn's architecture, PyTorch-default-like init) trained in float
# on the Fashion-MNIST train split by qapeft-sim, written as a plain TOSA
# model (named tosa.const weights) to examples/fashion-mnist/base.mlir, then
# evaluated on the source test split and on the target task's test split
# (rotated 15 degrees + inverted, the task the demo adapts the model to).
# The recipe is the PyTorch reference's: 3 epochs, batch 128, Adam with a
# constant lr 2e-3, seed 0.
#
#   examples/fashion-mnist/pretrain.sh [options]
#     --seed S           init and shuffling seed (0)
#     --epochs E         training epochs (3)
#     --train-images N   train on the first N images of the train split
#                        (default: all 60000)
#     --test-images N    evaluate on the first N test images (default 10000)
#     --work DIR         intermediate files (default out/pretrain)
#     -o FILE            the trained model (default
#                        examples/fashion-mnist/base.mlir)
#     --bin DIR          the qapeft tools (default ${QAPEFT_BUILD:-build}/bin)
#
# Files in the work folder: init-weights/ and init.mlir (the random model),
# train.mlir (with @train_step), loss.csv (per step), trained.mlir, the
# evaluations init-source.json, source.json, target.json, and summary.json.
# The output model is written last, through a temporary file, so a failed
# run leaves the previous model in place.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BIN="${QAPEFT_BUILD:-$ROOT/build}/bin"
WORK="$ROOT/out/pretrain"
OUTPUT="$HERE/base.mlir"
SEED=0 EPOCHS=3 TRAIN_IMAGES=0 TEST_IMAGES=10000
BATCH=128 LR=2e-3

die() { echo "pretrain.sh: error: $*" >&2; exit 1; }
posint() { [[ $2 =~ ^[0-9]+$ ]] || die "$1 needs a non-negative integer, got '$2'"; }
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || die "$1 needs a value (see the comment at the top of $0)"
  case $1 in
    --seed) posint "$1" "$2"; SEED=$2 ;;
    --epochs) posint "$1" "$2"; EPOCHS=$2 ;;
    --train-images) posint "$1" "$2"; TRAIN_IMAGES=$2 ;;
    --test-images) posint "$1" "$2"; TEST_IMAGES=$2 ;;
    --work) WORK=$2 ;;
    -o) OUTPUT=$2 ;;
    --bin) BIN=$2 ;;
    *) die "unknown option '$1' (see the comment at the top of $0)" ;;
  esac
  shift 2
done
for tool in qapeft-opt qapeft-sim qapeft-data; do
  [ -x "$BIN/$tool" ] || die "$BIN/$tool not found (build first: scripts/build.sh, or pass --bin)"
done
[ "$EPOCHS" -ge 1 ] || die "--epochs must be at least 1"

mkdir -p "$WORK"
step() { printf '\n== %s\n' "$*"; }
now() { date +%s.%N; }
first=()
[ "$TRAIN_IMAGES" -gt 0 ] && first=(--first "$TRAIN_IMAGES")

step "data: Fashion-MNIST train (source), test (source) and test rotated 15 + inverted (target)"
"$BIN/qapeft-data" fashion-mnist --split train "${first[@]}" \
  --images-out "$WORK/train-x.npy" --labels-out "$WORK/train-y.npy"
"$BIN/qapeft-data" fashion-mnist --split test --first "$TEST_IMAGES" \
  --images-out "$WORK/source-test-x.npy" --labels-out "$WORK/source-test-y.npy"
"$BIN/qapeft-data" fashion-mnist --split test --first "$TEST_IMAGES" --rotate 15 --invert \
  --images-out "$WORK/target-test-x.npy" --labels-out "$WORK/target-test-y.npy"

step "init: seeded random weights (seed $SEED), as TOSA MLIR"
python3 "$HERE/gen_init.py" --seed "$SEED" -o "$WORK/init-weights"
python3 "$ROOT/examples/cnn/gen_base.py" --weights "$WORK/init-weights" -o "$WORK/init.mlir"
"$BIN/qapeft-sim" eval "$WORK/init.mlir" --data "$WORK/source-test-x.npy" \
  --labels "$WORK/source-test-y.npy" --json | tee "$WORK/init-source.json"

step "training graph: every weight and bias trainable, softmax cross-entropy, Adam"
# -mlir-print-debuginfo keeps the loc("<name>") of every layer and weight:
# the trained model must carry them like any input model.
"$BIN/qapeft-opt" "$WORK/init.mlir" --qapeft-mark-trainable="names=.*\.(weight|bias)" \
  --qapeft-training-graph="loss=softmax-cross-entropy optimizer=adam lr=$LR" \
  -mlir-print-debuginfo -o "$WORK/train.mlir"

step "train: $EPOCHS epochs, batch $BATCH, lr $LR (constant), seed $SEED"
t0=$(now)
"$BIN/qapeft-sim" train "$WORK/train.mlir" --data "$WORK/train-x.npy" --labels "$WORK/train-y.npy" \
  --epochs "$EPOCHS" --batch "$BATCH" --seed "$SEED" --lr "$LR" --schedule constant \
  --log "$WORK/loss.csv" --as-constants -o "$WORK/trained.mlir"
seconds=$(printf "%.1f" "$(echo "$(now) - $t0" | bc)")
echo "   trained in $seconds s"

step "evaluate the trained model"
echo "source test (Fashion-MNIST test split):"
"$BIN/qapeft-sim" eval "$WORK/trained.mlir" --data "$WORK/source-test-x.npy" \
  --labels "$WORK/source-test-y.npy" --json | tee "$WORK/source.json"
echo "target test (rotated 15 degrees + inverted):"
"$BIN/qapeft-sim" eval "$WORK/trained.mlir" --data "$WORK/target-test-x.npy" \
  --labels "$WORK/target-test-y.npy" --json | tee "$WORK/target.json"

acc() { sed -n 's/.*"accuracy": \([0-9.]*\).*/\1/p' "$1"; }
train_n=$(( TRAIN_IMAGES > 0 ? TRAIN_IMAGES : 60000 ))
cat > "$WORK/summary.json" <<EOF
{"seed": $SEED, "epochs": $EPOCHS, "batch": $BATCH, "lr": $LR, "train_images": $train_n,
 "test_images": $TEST_IMAGES, "train_seconds": $seconds,
 "init_source_accuracy": $(acc "$WORK/init-source.json"),
 "source_accuracy": $(acc "$WORK/source.json"), "target_accuracy": $(acc "$WORK/target.json")}
EOF

step "write $OUTPUT"
tmp="$(dirname "$OUTPUT")/.$(basename "$OUTPUT").tmp.$$"
trap 'rm -f "$tmp"' EXIT
{
  echo "// The demo's base model: the examples/cnn architecture pretrained in float by"
  echo "// qapeft-sim on the Fashion-MNIST train split ($train_n images, $EPOCHS epochs, batch $BATCH,"
  echo "// Adam lr $LR, seed $SEED) from seeded random weights. GENERATED by"
  echo "// examples/fashion-mnist/pretrain.sh; do not edit (see examples/fashion-mnist/README.md)."
  cat "$WORK/trained.mlir"
} > "$tmp"
mv "$tmp" "$OUTPUT"
trap - EXIT
echo "   source test accuracy $(acc "$WORK/source.json"), target test accuracy $(acc "$WORK/target.json")"
