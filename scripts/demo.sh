#!/usr/bin/env bash
# The end-to-end demo (README "make demo"): adapt the example CNN to the
# "new sensor" task (Fashion-MNIST rotated 15 degrees and inverted) with LoRA,
# once quantization-aware (QA-LoRA) and once in float followed by
# post-training quantization (LoRA + PTQ), deploy to integer TOSA, export
# .tflite and run it on the real TFLite interpreter. Every intermediate file
# is kept under out/demo/<run>/; the summary is out/demo/report.md + .json.
#
#   scripts/demo.sh            full run (1500 training steps per model)
#   scripts/demo.sh --smoke    a short run (a few steps, 1000 test images)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${QAPEFT_BUILD:-$ROOT/build}/bin"
OUT="$ROOT/out/demo"
RUNNER="node $ROOT/tools/tflite-runner/tflite-runner.js"

EPOCHS=19    # 19 x ceil(5000 / 64) = 1501 steps, as the reference's 1500
TEST_LIMIT=10000
if [ "${1:-}" = "--smoke" ]; then
  EPOCHS=1
  TEST_LIMIT=1000
fi
SEED=0
LR=5e-3

mkdir -p "$OUT/data"
step() { printf '\n== %s\n' "$*"; }
now() { date +%s.%N; }
json_field() { sed -n "s/.*\"$2\": \([0-9.e+-]*\).*/\1/p" "$1"; }

step "data: the target task (rotated + inverted Fashion-MNIST), qapeft-data"
D="$OUT/data"
IDX="$ROOT/examples/fashion-mnist/target_train_idx.npy"
"$BIN/qapeft-data" fashion-mnist --split train --indices "$IDX" --rotate 15 --invert \
  --images-out "$D/train-x.npy" --labels-out "$D/train-y.npy"
"$BIN/qapeft-data" fashion-mnist --split train --indices "$IDX" --first 256 --rotate 15 --invert \
  --images-out "$D/calib-x.npy"
"$BIN/qapeft-data" fashion-mnist --split test --first "$TEST_LIMIT" --rotate 15 --invert \
  --images-out "$D/test-x.npy" --labels-out "$D/test-y.npy"
echo "   train 5000, calibration 256, test $TEST_LIMIT images in $D"

step "the frozen base model on the target task"
BASE="$ROOT/examples/cnn/base.mlir"
"$BIN/qapeft-sim" eval "$BASE" --data "$D/test-x.npy" --labels "$D/test-y.npy" --json \
  | tee "$OUT/base.json"

# train DIR [PASS...]: emit the training graph of DIR/prepared.mlir
# (calibrated first when it has fake quants), after the given extra passes,
# and train it; writes DIR/trained.mlir, loss.csv.
train() {
  local dir=$1
  shift
  "$BIN/qapeft-opt" "$dir/prepared.mlir" "$@" \
    --qapeft-training-graph="loss=softmax-cross-entropy optimizer=adam lr=$LR" \
    -o "$dir/train.mlir"
  local t0; t0=$(now)
  /usr/bin/time -f "%M" -o "$dir/train.rss" \
    "$BIN/qapeft-sim" train "$dir/train.mlir" --data "$D/train-x.npy" --labels "$D/train-y.npy" \
      --epochs "$EPOCHS" --batch 64 --seed "$SEED" --lr "$LR" --schedule cosine \
      --log "$dir/loss.csv" -o "$dir/trained.mlir"
  echo "$(now) - $t0" | bc > "$dir/train.seconds"
  echo "   trained in $(cat "$dir/train.seconds") s, peak RSS $(cat "$dir/train.rss") KiB"
}

# deploy DIR: merge + lower DIR/$2 to integer, run it in the simulator and,
# for TFLite targets, on the real interpreter; checks they agree bit for bit.
deploy() {
  local dir=$1 model=$2 target=$3
  "$BIN/qapeft-opt" "$dir/$model" --qapeft-deploy -o "$dir/int.mlir"
  if grep -q 'qapeft.fake_quant' "$dir/$model"; then
    # Output codes of the fake-quant model vs the integer graph.
    "$BIN/qapeft-sim" compare "$dir/$model" "$dir/int.mlir" --data "$D/test-x.npy" --json \
      > "$dir/compare.json"
  fi
  "$BIN/qapeft-sim" eval "$dir/int.mlir" --data "$D/test-x.npy" --labels "$D/test-y.npy" \
    --json > "$dir/int-sim.json"
  echo "   integer graph in qapeft-sim: $(cat "$dir/int-sim.json")"
  case $target in
    tflite-int8)
      "$BIN/qapeft-sim" quantize "$dir/int.mlir" --data "$D/test-x.npy" -o "$dir/test-xq.npy"
      "$BIN/qapeft-sim" run "$dir/int.mlir" --input "$dir/test-xq.npy" -o "$dir/int-sim-out.npy"
      "$BIN/qapeft-translate" --qapeft-to-tflite --batch="$TEST_LIMIT" "$dir/int.mlir" \
        -o "$dir/model.tflite"
      $RUNNER "$dir/model.tflite" --kernels builtin -i "$dir/test-xq.npy" \
        -o "$dir/tflite-out.npy" --accuracy "$D/test-y.npy" | tee "$dir/tflite-accuracy.txt"
      $RUNNER --compare "$dir/tflite-out.npy" "$dir/int-sim-out.npy" | tee "$dir/tflite-compare.txt"
      ;;
    *) echo "   (no TFLite run: $target is not a TFLite target)" ;;
  esac
}

step "float LoRA (rank 4, alpha 8, all five layers)"
F="$OUT/float-lora"
mkdir -p "$F"
"$BIN/qapeft-opt" "$BASE" --qapeft-insert-adapters="adapter=lora rank=4 alpha=8 ops=conv2d,matmul seed=$SEED" \
  -o "$F/prepared.mlir"
train "$F"
"$BIN/qapeft-sim" eval "$F/trained.mlir" --data "$D/test-x.npy" --labels "$D/test-y.npy" --json \
  | tee "$F/eval.json"

for target in tflite-int8 int4w-int8a; do
  step "LoRA + PTQ for $target: quantize the trained float LoRA model"
  P="$OUT/$target/lora-ptq"
  mkdir -p "$P"
  "$BIN/qapeft-opt" "$F/trained.mlir" --qapeft-strip-training-graph \
    --qapeft-attach-target="target=$target" --qapeft-insert-fake-quant -o "$P/prepared.mlir"
  "$BIN/qapeft-sim" calibrate "$P/prepared.mlir" --data "$D/calib-x.npy" -o "$P/calibrated.mlir" > /dev/null
  "$BIN/qapeft-sim" eval "$P/calibrated.mlir" --data "$D/test-x.npy" --labels "$D/test-y.npy" \
    --json > "$P/eval.json"
  deploy "$P" calibrated.mlir "$target"

  step "QA-LoRA for $target: fake quant during training"
  Q="$OUT/$target/qa-lora"
  mkdir -p "$Q"
  "$BIN/qapeft-opt" "$BASE" \
    --qapeft-prepare="target=$target adapter=lora rank=4 alpha=8 ops=conv2d,matmul seed=$SEED" \
    -o "$Q/uncalibrated.mlir"
  "$BIN/qapeft-sim" calibrate "$Q/uncalibrated.mlir" --data "$D/calib-x.npy" -o "$Q/prepared.mlir" > /dev/null
  train "$Q"
  "$BIN/qapeft-sim" eval "$Q/trained.mlir" --data "$D/test-x.npy" --labels "$D/test-y.npy" \
    --json > "$Q/eval.json"
  echo "   fake-quant model in qapeft-sim: $(cat "$Q/eval.json")"
  deploy "$Q" trained.mlir "$target"

  if [ "$target" = tflite-int8 ]; then
    step "QA-LoRA for $target, hardware-exact: the training forward computes the device's integers"
    X="$OUT/$target/qa-lora-exact"
    mkdir -p "$X"
    cp "$Q/prepared.mlir" "$X/prepared.mlir"
    train "$X" --qapeft-hardware-exact
    "$BIN/qapeft-sim" eval "$X/trained.mlir" --data "$D/test-x.npy" --labels "$D/test-y.npy" \
      --json > "$X/eval.json"
    echo "   fake-quant model in qapeft-sim: $(cat "$X/eval.json")"
    deploy "$X" trained.mlir "$target"
  fi
done

step "report"
"$ROOT/scripts/demo-report.sh" "$OUT" "$TEST_LIMIT" "$EPOCHS"
echo "   wrote $OUT/report.md and $OUT/report.json"
