#!/usr/bin/env bash
# Writes report.json, report.md and loss.png for the demo's output folder:
#   demo-report.sh OUT TEST_IMAGES EPOCHS
# Every number comes from the files the demo's steps wrote.
set -euo pipefail
OUT=$1 TEST=$2 EPOCHS=$3
acc() { jq -r '.accuracy' "$1"; }
pct() { awk -v a="$1" 'BEGIN { printf "%.2f", 100 * a }'; }
drop() { awk -v f="$1" -v a="$2" 'BEGIN { printf "%+.2f", 100 * (f - a) }'; }

base=$(acc "$OUT/base.json")
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

{
  echo "{"
  echo "  \"test_images\": $TEST, \"epochs\": $EPOCHS,"
  echo "  \"frozen_base_accuracy\": $base, \"float_lora_accuracy\": $float,"
  echo "  \"adapter_parameters\": $params, \"adapter_bytes_float32\": $((params * 4)),"
  echo "  \"float_lora_train_seconds\": $(cat "$OUT/float-lora/train.seconds"),"
  echo "  \"float_lora_train_peak_rss_kib\": $(cat "$OUT/float-lora/train.rss"),"
  echo "  \"results\": ["
  for ((k = 0; k < ${#json_rows[@]}; ++k)); do
    sep=","; [ $k -eq $((${#json_rows[@]} - 1)) ] && sep=""
    echo "    ${json_rows[$k]}$sep"
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
  echo "Task: the example CNN (examples/cnn) adapted to Fashion-MNIST rotated by 15 degrees and inverted"
  echo "(5000 training images; $TEST test images), LoRA rank 4, alpha 8 on all five layers, Adam lr 5e-3 with"
  echo "cosine decay, batch 64, $EPOCHS epochs, seed 0. Accuracies in %, on the target test images."
  echo
  echo "- frozen base model: $(pct "$base")"
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
  [ -f "$OUT/loss.png" ] && echo && echo "![training loss](loss.png)"
} > "$OUT/report.md.tmp"
mv "$OUT/report.md.tmp" "$OUT/report.md"
