#!/usr/bin/env bash
# Training throughput and peak memory of qapeft-sim against PyTorch eager on
# the example CNN with LoRA (rank 4, alpha 8, every conv / FC layer) + int8
# fake quant, batch 64, Adam, two threads, in the same run.
#
#   bench/train-bench.sh [STEPS] [WARMUP] [REPEATS]     (defaults 50 5 3)
#
# QAPEFT_BUILD picks the build folder (default build/). Both sides run
# WARMUP untimed steps, then STEPS timed ones; a side's steps/s is 1 / the
# median step time. The two sides run alternately REPEATS times and the
# median over the repeats is reported, so that a load spike from another
# process hits both, next to the best repeat of each side. Peak RSS is each process's ru_maxrss (everything:
# libraries, the model, the data of WARMUP + STEPS batches).
#
# Both sides train the same model from the same numbers: qapeft-step-bench
# dumps the module's parameters (base weights, seeded LoRA A, calibrated
# ranges) and bench/torch_cnn.py loads them; both feed the batches in file
# order, so their per-step losses must agree (checked below).
#
# Needs the built tools, Debian's dataset-fashion-mnist, and for the peer
# Debian's python3-torch, which this script installs with apt-get when it is
# missing (about 1 GB; set QAPEFT_BENCH_NO_INSTALL=1 to get an error instead).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${QAPEFT_BUILD:-$ROOT/build}"
STEPS="${1:-50}"
WARMUP="${2:-5}"
REPEATS="${3:-3}"
BATCH=64
# Debian's python3-torch is installed for the system interpreter; a python3
# earlier on PATH (pyenv, venv) does not see it.
PYTHON=/usr/bin/python3

die() { echo "train-bench.sh: error: $*" >&2; exit 1; }
for n in "$STEPS" "$WARMUP" "$REPEATS"; do
  [[ "$n" =~ ^[0-9]+$ ]] || die "STEPS, WARMUP and REPEATS must be integers"
done
((STEPS >= 1 && REPEATS >= 1)) || die "STEPS and REPEATS must be positive"
for tool in qapeft-opt qapeft-sim qapeft-step-bench; do
  [ -x "$BUILD/bin/$tool" ] ||
    die "$BUILD/bin/$tool is missing: build first (scripts/build.sh)"
done
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] ||
  die "Fashion-MNIST is missing: apt-get install dataset-fashion-mnist"

if ! "$PYTHON" -c "import torch, numpy" 2>/dev/null; then
  [ "${QAPEFT_BENCH_NO_INSTALL:-0}" = 1 ] &&
    die "PyTorch is missing: apt-get install python3-torch"
  echo "PyTorch is missing: installing Debian's python3-torch (about 1 GB," \
    "a few minutes) for the comparison..."
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get install -y --no-install-recommends python3-torch >&2 ||
    die "installing python3-torch failed (run: apt-get install python3-torch)"
  "$PYTHON" -c "import torch, numpy" ||
    die "python3-torch is installed but '$PYTHON -c \"import torch\"' fails"
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# The model: the example CNN prepared for TFLite int8 (LoRA on every conv and
# FC layer, fake quant on the input, every activation and every effective
# weight), calibrated on 256 training images, with an Adam training graph.
"$BUILD/bin/qapeft-opt" "$ROOT/examples/cnn/base.mlir" \
  --qapeft-prepare="target=tflite-int8 adapter=lora rank=4 alpha=8 ops=conv2d,matmul" \
  --qapeft-training-graph="loss=softmax-cross-entropy optimizer=adam lr=1e-3" \
  -o "$TMP/train.mlir"
"$BUILD/bin/qapeft-sim" calibrate "$TMP/train.mlir" --fashion-mnist train \
  --limit 256 -o "$TMP/cal.mlir" >/dev/null

field() { # field NAME LINE: the value after NAME in a result line
  awk -v k="$1" '{ for (i = 1; i < NF; ++i) if ($i == k) print $(i + 1) }' <<<"$2"
}
median() { sort -g | awk '{ v[NR] = $1 } END {
  print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "steps: $WARMUP warm-up + $STEPS timed, batch $BATCH, $REPEATS repeats;" \
  "load average before: $load_before (on $(nproc) cores)"
sim_lines=() torch_lines=() passive_lines=()
for ((r = 1; r <= REPEATS; ++r)); do
  sim_lines+=("$("$BUILD/bin/qapeft-step-bench" "$TMP/cal.mlir" \
    --steps "$STEPS" --warmup "$WARMUP" --batch $BATCH \
    --dump-params "$TMP/params")")
  torch_lines+=("$("$PYTHON" "$ROOT/bench/torch_cnn.py" "$TMP/params" \
    "$STEPS" "$WARMUP" $BATCH)")
  # GNU OpenMP's threads spin while they wait; with a third runnable process
  # on two cores that spinning costs PyTorch up to 10x (measured). Passive
  # waiting avoids it: run both and compare against the faster.
  passive_lines+=("$(OMP_WAIT_POLICY=PASSIVE "$PYTHON" \
    "$ROOT/bench/torch_cnn.py" "$TMP/params" "$STEPS" "$WARMUP" $BATCH)")
  echo "  repeat $r: ${sim_lines[-1]}"
  echo "  repeat $r: ${torch_lines[-1]}"
  echo "  repeat $r: ${passive_lines[-1]} (OMP_WAIT_POLICY=PASSIVE)"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

summary() { # summary LINES...: median and best steps/s, median peak RSS, losses
  local sps best rss
  sps=$(for l in "$@"; do field steps_per_s "$l"; done | median)
  best=$(for l in "$@"; do field steps_per_s "$l"; done | sort -g | tail -1)
  rss=$(for l in "$@"; do field peak_rss_kb "$l"; done | median)
  echo "$sps $best $rss $(field first_loss "$1") $(field mean_loss "$1")"
}
read -r sim_sps sim_best sim_rss sim_first sim_mean < <(summary "${sim_lines[@]}")
read -r torch_sps torch_best torch_rss torch_first torch_mean < <(summary "${torch_lines[@]}")
read -r passive_sps passive_best passive_rss _ _ < <(summary "${passive_lines[@]}")
torch_label="OpenMP defaults"
# The ratios use the faster PyTorch configuration (by median steps/s).
if awk -v p="$passive_sps" -v d="$torch_sps" 'BEGIN { exit !(p > d) }'; then
  awk -v a="$torch_sps" -v x="$torch_best" 'BEGIN {
    printf "PyTorch (OpenMP defaults, not used below): %.2f steps/s (best repeat %.2f)\n", a, x }'
  torch_sps=$passive_sps torch_best=$passive_best torch_rss=$passive_rss
  torch_label="OMP_WAIT_POLICY=PASSIVE"
else
  awk -v a="$passive_sps" -v x="$passive_best" 'BEGIN {
    printf "PyTorch (OMP_WAIT_POLICY=PASSIVE, not used below): %.2f steps/s (best repeat %.2f)\n", a, x }'
fi

echo "load average after: $load_after"
# The best repeat is the one least disturbed by other processes: on a busy
# machine it is the better estimate of the unloaded speed (PyTorch's two
# OpenMP threads suffer more from a third runnable process than OpenBLAS's).
awk -v a="$sim_sps" -v x="$sim_best" -v m="$sim_rss" 'BEGIN {
  printf "qapeft-sim: %8.2f steps/s (best repeat %.2f)  peak RSS %6.1f MiB\n", a, x, m / 1024 }'
awk -v a="$torch_sps" -v x="$torch_best" -v m="$torch_rss" 'BEGIN {
  printf "PyTorch:    %8.2f steps/s (best repeat %.2f)  peak RSS %6.1f MiB  (torch %s, set_num_threads(2), %s)\n",
    a, x, m / 1024, "'"$("$PYTHON" -c 'import torch; print(torch.__version__)')"'", "'"$torch_label"'" }'
awk -v a="$sim_sps" -v b="$torch_sps" -v x="$sim_best" -v y="$torch_best" -v m="$sim_rss" -v n="$torch_rss" 'BEGIN {
  printf "ratio steps/s (qapeft-sim / PyTorch): %.2f, best repeats %.2f  (>= 1: qapeft-sim faster)\n", a / b, x / y
  printf "ratio peak RSS (qapeft-sim / PyTorch): %.2f  (<= 1: qapeft-sim smaller)\n", m / n
}'
# Same model, same batches: the first loss (before any update) must agree to
# float rounding. After that the trajectories drift apart a little: Adam's
# first steps move every parameter by about lr whatever the size of its
# gradient, so a gradient that is ~0 on one side and a rounding-level
# different ~0 on the other gives opposite updates (measured: the parameters
# agree to 1e-6 after 4 steps, then losses differ by ~1 % per step); the mean
# loss over all steps must still agree within 5 %.
awk -v a="$sim_first" -v b="$torch_first" -v c="$sim_mean" -v d="$torch_mean" 'BEGIN {
  e1 = (a > b ? a - b : b - a) / b; e2 = (c > d ? c - d : d - c) / d
  printf "losses (qapeft-sim vs PyTorch): first step %.6f vs %.6f, mean over all steps %.6f vs %.6f\n", a, b, c, d
  if (e1 > 1e-4 || e2 > 5e-2) {
    print "train-bench.sh: error: the two sides do not train the same model" > "/dev/stderr"
    exit 1
  }
}'
