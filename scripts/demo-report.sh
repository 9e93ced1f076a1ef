#!/usr/bin/env bash
# Writes report.json, report.md and loss.png for the demo's output folder:
#   demo-report.sh OUT TEST_IMAGES EPOCHS [EXTRA_SEED...]
# Every number of ours comes from the files the demo's steps wrote; the
# PyTorch reference's numbers (same task and recipe, its own base weights)
# are quoted from its published results for comparison.
set -euo pipefail
OUT=$1 TEST=$2 EPOCHS=$3
shift 3
EXTRA_SEEDS=("$@")
acc() { jq -r '.accuracy' "$1"; }
pct() { awk -v a="$1" 'BEGIN { printf "%.2f", 100 * a }'; }
drop() { awk -v f="$1" -v a="$2" 'BEGIN { printf "%+.2f", 100 * (f - a) }'; }
# stats V...: "mean [min, max]" of percentages given as fractions (x100).
stats() {
  printf '%s\n' "$@" | awk '{ v = 100 * $1; s += v; if (NR == 1 || v < lo) lo = v;
    if (NR == 1 || v > hi) hi = v } END { printf "%.2f [%.2f, %.2f]", s / NR, lo, hi }'
}
# dstats F1 A1 F2 A2 ...: "mean [min, max]" of the drops F - A in points.
dstats() {
  printf '%s %s\n' "$@" | awk '{ v = 100 * ($1 - $2); s += v; if (NR == 1 || v < lo) lo = v;
    if (NR == 1 || v > hi) hi = v } END { printf "%+.2f [%+.2f, %+.2f]", s / NR, lo, hi }'
}

base=$(acc "$OUT/base.json")
base_source=$(acc "$OUT/base-source.json")
float=$(acc "$OUT/float-lora/eval.json")
# Adapter size: rank 4 A and B of the five layers, in float32 and in the
# target's weight bits (they are merged into the weights on deployment).
params=$(grep -o 'qapeft.param "[a-z0-9]*\.lora_[ab]" trainable dense<[^:]*: tensor<[0-9x]*xf32>' \
  "$OUT/float-lora/trained.mlir" | sed 's/.*tensor<\([0-9x]*\)xf32>/\1/' \
  | awk -F'x' '{ n = 1; for (i = 1; i <= NF; ++i) n *= $i; s += n } END { print s }')

rows=()
json_rows=()
for target in tflite-int8 int4w-int8a; do
  wbits=8; [ "$target" = int4w-int8a ] && wbits=4
  for method in lora-ptq qa-lora qa-lora-exact; do
    dir="$OUT/$target/$method"
    [ -d "$dir" ] || continue
    sim=$(acc "$dir/int-sim.json")
    fq=$(acc "$dir/eval.json")
    tfl="n/a" exact="n/a"
    if [ -f "$dir/tflite-accuracy.txt" ]; then
      tfl=$(awk '{ split($2, p, "/"); print p[1] / p[2] }' "$dir/tflite-accuracy.txt")
      grep -q '^identical' "$dir/tflite-compare.txt" && exact=yes || exact=no
    fi
    secs="" rss=""
    [ -f "$dir/train.seconds" ] && secs=$(cat "$dir/train.seconds") && rss=$(cat "$dir/train.rss")
    [ -z "$secs" ] && secs=$(cat "$OUT/float-lora/train.seconds") && rss=$(cat "$OUT/float-lora/train.rss")
    tflpct="n/a"; [ "$tfl" != "n/a" ] && tflpct=$(pct "$tfl")
    agree=$(jq -r '.outputs[0].identical' "$dir/compare.json")
    maxlsb=$(jq -r '.outputs[0].max_lsb' "$dir/compare.json")
    rows+=("| $target | $method | $(pct "$fq") | $(pct "$sim") | $(pct "$agree") / $maxlsb | $tflpct | $exact | $(drop "$float" "$sim") | $((params * wbits / 8)) | $(printf '%.0f' "$secs") | $((rss / 1024)) |")
    json_rows+=("{\"target\": \"$target\", \"method\": \"$method\", \"fake_quant_accuracy\": $fq, \"int_sim_accuracy\": $sim, \"fake_quant_vs_int_identical_outputs\": $agree, \"fake_quant_vs_int_max_lsb\": $maxlsb, \"tflite_accuracy\": $( [ "$tfl" = n/a ] && echo null || echo "$tfl" ), \"tflite_bit_exact\": $( [ "$exact" = n/a ] && echo null || { [ "$exact" = yes ] && echo true || echo false; } ), \"drop_vs_float_lora_points\": $(drop "$float" "$sim"), \"adapter_bytes_quantized\": $((params * wbits / 8)), \"train_seconds\": $secs, \"train_peak_rss_kib\": $rss}")
  done
done

# The int8 LoRA + PTQ vs QA-LoRA pair over every seed (seed 0 in the main
# folders, the others under seeds/<seed>/), integer-simulator accuracies.
seeds=(0) s_float=("$float") s_ptq=("$(acc "$OUT/tflite-int8/lora-ptq/int-sim.json")")
s_qa=("$(acc "$OUT/tflite-int8/qa-lora/int-sim.json")")
s_exact=("$(grep -q '^identical' "$OUT/tflite-int8/qa-lora/tflite-compare.txt" && echo yes || echo no)")
for seed in "${EXTRA_SEEDS[@]}"; do
  S="$OUT/seeds/$seed"
  seeds+=("$seed")
  s_float+=("$(acc "$S/float-lora/eval.json")")
  s_ptq+=("$(acc "$S/tflite-int8/lora-ptq/int-sim.json")")
  s_qa+=("$(acc "$S/tflite-int8/qa-lora/int-sim.json")")
  # The extra seeds are deployed in the simulator only (scripts/demo.sh).
  s_exact+=("$( [ -f "$S/tflite-int8/qa-lora/tflite-compare.txt" ] || { echo "not run"; exit; }
    grep -q '^identical' "$S/tflite-int8/qa-lora/tflite-compare.txt" && echo yes || echo no)")
done
ptq_pairs=() qa_pairs=() seed_json=()
for k in "${!seeds[@]}"; do
  ptq_pairs+=("${s_float[$k]}" "${s_ptq[$k]}")
  qa_pairs+=("${s_float[$k]}" "${s_qa[$k]}")
  seed_json+=("{\"seed\": ${seeds[$k]}, \"float_lora\": ${s_float[$k]}, \"lora_ptq_int8\": ${s_ptq[$k]}, \"qa_lora_int8\": ${s_qa[$k]}, \"qa_lora_int8_tflite_bit_exact\": $(case ${s_exact[$k]} in yes) echo true ;; no) echo false ;; *) echo null ;; esac)}")
done
seed_list=$(IFS=,; echo "${seeds[*]}")

{
  echo "{"
  echo "  \"test_images\": $TEST, \"epochs\": $EPOCHS,"
  echo "  \"base_model\": \"examples/fashion-mnist/base.mlir\","
  echo "  \"frozen_base_source_accuracy\": $base_source,"
  echo "  \"frozen_base_accuracy\": $base, \"float_lora_accuracy\": $float,"
  echo "  \"adapter_parameters\": $params, \"adapter_bytes_float32\": $((params * 4)),"
  echo "  \"float_lora_train_seconds\": $(cat "$OUT/float-lora/train.seconds"),"
  echo "  \"float_lora_train_peak_rss_kib\": $(cat "$OUT/float-lora/train.rss"),"
  echo "  \"results\": ["
  for ((k = 0; k < ${#json_rows[@]}; ++k)); do
    sep=","; [ $k -eq $((${#json_rows[@]} - 1)) ] && sep=""
    echo "    ${json_rows[$k]}$sep"
  done
  echo "  ],"
  echo "  \"int8_pair_by_seed\": ["
  for ((k = 0; k < ${#seed_json[@]}; ++k)); do
    sep=","; [ $k -eq $((${#seed_json[@]} - 1)) ] && sep=""
    echo "    ${seed_json[$k]}$sep"
  done
  echo "  ]"
  echo "}"
} > "$OUT/report.json.tmp"
jq . "$OUT/report.json.tmp" > /dev/null
mv "$OUT/report.json.tmp" "$OUT/report.json"

if command -v gnuplot > /dev/null; then
  gnuplot <<GP
set terminal pngcairo size 900,500
set output "$OUT/loss.png.tmp"
set datafile separator ","
set key autotitle columnhead
set xlabel "training step"
set ylabel "training loss (batch, log scale)"
set logscale y
set title "LoRA on the rotated+inverted Fashion-MNIST task"
plot "$OUT/float-lora/loss.csv" using 2:4 with lines title "float LoRA", \
     "$OUT/tflite-int8/qa-lora/loss.csv" using 2:4 with lines title "QA-LoRA int8", \
     "$OUT/int4w-int8a/qa-lora/loss.csv" using 2:4 with lines title "QA-LoRA int4 weights"
GP
  mv "$OUT/loss.png.tmp" "$OUT/loss.png"
fi

{
  echo "# qapeft demo report"
  echo
  echo "Base model: \`examples/fashion-mnist/base.mlir\`, the examples/cnn architecture pretrained by qapeft"
  echo "itself: seeded random init, then float training in qapeft-sim on the 60000 Fashion-MNIST train images"
  echo "(3 epochs, batch 128, Adam lr 2e-3, seed 0; \`examples/fashion-mnist/pretrain.sh\`)."
  echo
  echo "Task: that base adapted to Fashion-MNIST rotated by 15 degrees and inverted (5000 training images;"
  echo "$TEST test images), LoRA rank 4, alpha 8 on all five layers, Adam lr 5e-3 with cosine decay, batch 64,"
  echo "$EPOCHS epochs, seed 0. Accuracies in %, on the target test images."
  echo
  echo "- frozen base model: $(pct "$base") on the target task, $(pct "$base_source") on the source task"
  echo "- float LoRA (upper bound): $(pct "$float")"
  echo "- adapter: $params parameters, $((params * 4)) bytes in float32"
  echo
  echo "| target | method | fake-quant sim | integer sim | identical output codes fake-quant vs integer (%) / max LSB | TFLite runtime | TFLite == sim bit for bit | drop vs float LoRA (points) | adapter bytes (quantized) | train s | train peak RSS MiB |"
  echo "|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "lora-ptq: float LoRA, then merge and post-training quantization (calibrated on 256 target images)."
  echo "qa-lora: LoRA trained with the target's fake quantization, then the same merge and lowering."
  echo "qa-lora-exact: the same with --qapeft-hardware-exact: the training forward computes each quantized"
  echo "layer with the target's integer arithmetic, so the trained model and the device agree bit for bit."
  echo "int4w-int8a has no TFLite run (TFLite of this runtime's era has no int4 weights)."
  echo "Training time and peak RSS are for qapeft-sim train (lora-ptq reuses the float LoRA training)."
  echo
  echo "## int8: LoRA + PTQ vs QA-LoRA over seeds ${seed_list}"
  echo
  echo "Integer-simulator accuracy (= the TFLite runtime's where it ran), mean [min, max] over the seeds;"
  echo "drop = float LoRA minus the method, per seed, in points. Seeds other than 0 are deployed in the"
  echo "simulator only (no TFLite run), to keep the demo within its 10-minute budget."
  echo
  echo "| seed | float LoRA | LoRA + PTQ int8 | QA-LoRA int8 | QA-LoRA int8 TFLite == sim |"
  echo "|---|---:|---:|---:|---|"
  for k in "${!seeds[@]}"; do
    echo "| ${seeds[$k]} | $(pct "${s_float[$k]}") | $(pct "${s_ptq[$k]}") ($(drop "${s_float[$k]}" "${s_ptq[$k]}")) | $(pct "${s_qa[$k]}") ($(drop "${s_float[$k]}" "${s_qa[$k]}")) | ${s_exact[$k]} |"
  done
  echo "| all | $(stats "${s_float[@]}") | $(stats "${s_ptq[@]}") (drop $(dstats "${ptq_pairs[@]}")) | $(stats "${s_qa[@]}") (drop $(dstats "${qa_pairs[@]}")) | |"
  echo
  echo "## Next to the PyTorch reference"
  echo
  echo "The same task, LoRA configuration and quantization were run once in PyTorch 1.13.1 (the project's"
  echo "reference measurement, numbers quoted). Its base model is PyTorch's own pretraining with the same"
  echo "architecture and recipe, not ours, so the numbers compare but are not identical. Reference: mean"
  echo "[min, max] over seeds 0, 1, 2 (drops per seed vs float LoRA); ours: seed 0 unless noted."
  echo
  echo "| | PyTorch reference | qapeft (this run) |"
  echo "|---|---:|---:|"
  echo "| frozen base, source test | 88.59 | $(pct "$base_source") |"
  echo "| frozen base, target test | 10.25 | $(pct "$base") |"
  echo "| float LoRA | 83.68 [83.56, 83.86] | $(stats "${s_float[@]}") (seeds ${seed_list}) |"
  echo "| W8A8 LoRA + PTQ (drop) | 83.66 (+0.02 [-0.04, +0.09]) | $(stats "${s_ptq[@]}") ($(dstats "${ptq_pairs[@]}")) (seeds ${seed_list}) |"
  echo "| W8A8 QA-LoRA (drop) | 83.69 (-0.02 [-0.05, +0.00]) | $(stats "${s_qa[@]}") ($(dstats "${qa_pairs[@]}")) (seeds ${seed_list}) |"
  if [ -d "$OUT/int4w-int8a/lora-ptq" ] && [ -d "$OUT/int4w-int8a/qa-lora" ]; then
    w4p=$(acc "$OUT/int4w-int8a/lora-ptq/int-sim.json") w4q=$(acc "$OUT/int4w-int8a/qa-lora/int-sim.json")
    echo "| W4A8 LoRA + PTQ (drop) | 82.07 (+1.60 [+0.85, +2.51]) | $(pct "$w4p") ($(drop "$float" "$w4p")) |"
    echo "| W4A8 QA-LoRA (drop) | 83.33 (+0.35 [+0.24, +0.52]) | $(pct "$w4q") ($(drop "$float" "$w4q")) |"
  fi
  [ -f "$OUT/loss.png" ] && echo && echo "![training loss](loss.png)"
} > "$OUT/report.md.tmp"
mv "$OUT/report.md.tmp" "$OUT/report.md"
