#!/usr/bin/env bash
# dlkit's fit versus PyTorch for Python: same MNIST IDX data, batch, optimizer (Adam 1e-3) and threads.
# Interleaved (the order alternates each repeat), repeated; prints medians, ranges and dlkit/PyTorch
# ratios and writes them to benchmarks/results/vs-pytorch.{txt,json} atomically.
#
# Usage: benchmarks/bench-vs-pytorch.sh [repeats=5]
# Env:   DLKIT_DATA (folder with mnist/), THREADS (2), SCALE (1.0: multiplies the batch counts),
#        CASES (space-separated subset of: mlp128 mlp32 cnn128 evalcnn), MEMORY_FITS (100; 0 = skip)
set -euo pipefail
source "$(dirname "$0")/common.sh"
repeats="${1:-5}"
threads="${THREADS:-2}"
scale="${SCALE:-1.0}"
cases="${CASES:-mlp128 mlp32 cnn128 evalcnn}"
memory_fits="${MEMORY_FITS:-100}"
data="${DLKIT_DATA:-$PWD/data}"
[ -f "$data/mnist/train-images-idx3-ubyte" ] || [ -f "$data/mnist/train-images-idx3-ubyte.gz" ] || {
  echo "no MNIST under $data/mnist: set DLKIT_DATA" >&2; exit 2; }
export DLKIT_DATA="$data" DLKIT_THREADS="$threads" OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads"

cp=$(bench_classpath)
# The JVM runs with the dlkit kernel's malloc settings, as in a notebook (not the Python side).
kernel_env=$(kernel_env_words)
# shellcheck disable=SC2206
java_cmd=(env $kernel_env "$(java_bin)" "${JAVA_OPTS_DLKIT[@]}" -Xmx6g -Dai.djl.offline=true -cp "$cp" dlkit.train.SpeedBench)

# PyTorch: Debian's python3-torch; the OpenMP OpenBLAS is 10x faster than the default (README.md).
py=/usr/bin/python3
pytorch=yes
if ! "$py" -c 'import torch' 2>/dev/null; then
  pytorch=no
  echo "PyTorch for Python is not installed ($py -c 'import torch' fails): measuring dlkit only." >&2
fi
openblas=/usr/lib/x86_64-linux-gnu/openblas-openmp
py_env=()
[ -d "$openblas" ] && py_env=(env LD_LIBRARY_PATH="$openblas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}")

args_for() {  # case -> common arguments
  local n
  case "$1" in
    mlp128) n=$(awk "BEGIN{print int(2000*$scale)}"); echo "--model mlp --task train --batch 128 --batches $n --warmup 30" ;;
    mlp32) n=$(awk "BEGIN{print int(5000*$scale)}"); echo "--model mlp --task train --batch 32 --batches $n --warmup 100" ;;
    cnn128) n=$(awk "BEGIN{print int(30*$scale)}"); echo "--model cnn --task train --batch 128 --batches $n --warmup 5" ;;
    evalcnn) echo "--model cnn --task eval --batch 1000" ;;
    *) echo "unknown case $1" >&2; exit 2 ;;
  esac
}

raw=$(mktemp)
trap 'rm -f "$raw"' EXIT
echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$raw"
echo "# dlkit JVM: $kernel_env, untimed warm-up fits for ${WARMUP_SECONDS:-10} s before each timed fit" | tee -a "$raw"
for r in $(seq 1 "$repeats"); do
  for c in $cases; do
    a=$(args_for "$c")
    sides=(dlkit pytorch)
    (( r % 2 == 0 )) && sides=(pytorch dlkit)
    for side in "${sides[@]}"; do
      if [ "$side" = pytorch ]; then
        [ "$pytorch" = yes ] || continue
        # shellcheck disable=SC2086
        line=$("${py_env[@]}" "$py" benchmarks/pytorch_bench.py --data "$DLKIT_DATA/mnist" --threads "$threads" $a | tail -1)
      else
        # shellcheck disable=SC2086
        line=$("${java_cmd[@]}" $a 2>/dev/null | tail -1)
      fi
      load=$(cut -d' ' -f1 /proc/loadavg)
      echo "{\"case\": \"$c\", \"repeat\": $r, \"load1\": $load, \"result\": $line}" | tee -a "$raw"
    done
  done
done
if [ "$memory_fits" -gt 0 ]; then
  line=$("${java_cmd[@]}" --model mlp --task memory --batch 128 --batches "$memory_fits" 2>/dev/null | tail -1)
  echo "{\"case\": \"memory\", \"repeat\": 1, \"load1\": $(cut -d' ' -f1 /proc/loadavg), \"result\": $line}" | tee -a "$raw"
fi
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$raw"
"$py" benchmarks/summarize.py "$raw" benchmarks/results/vs-pytorch "$pytorch" "$threads" "$repeats"
