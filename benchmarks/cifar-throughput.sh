#!/usr/bin/env bash
# Training throughput (images/s) of the CIFAR simple CNN and ResNet-20, dlkit's fit vs PyTorch, same
# machine: random 3x32x32 inputs, batch 128, Adam 1e-3, DLKIT_THREADS (default 2) threads on both sides.
#   benchmarks/cifar-throughput.sh [batches=30] [repeats=3]
# Writes benchmarks/results/cifar-throughput.txt (one JSON line per measurement).
set -euo pipefail
source "$(dirname "$0")/common.sh"
batches="${1:-30}"; repeats="${2:-3}"; threads="${DLKIT_THREADS:-2}"
export DLKIT_THREADS="$threads"
cp=$(bench_classpath)
kernel_env=$(kernel_env_words)  # the JVM only
blas=/usr/lib/x86_64-linux-gnu/openblas-openmp   # see benchmarks/README.md: the pthread build is ~10x slower
out=benchmarks/results/cifar-throughput.txt
tmp="$(mktemp "$out.XXXX")"
echo "# $(date -u +%FT%TZ) $(nproc) cores, $threads threads, load average at start $(cut -d" " -f1-3 /proc/loadavg)" > "$tmp"
for r in $(seq "$repeats"); do
  for model in cifar-cnn resnet20; do
    # shellcheck disable=SC2086
    env $kernel_env "$(java_bin)" "${JAVA_OPTS_DLKIT[@]}" -Xmx6g -Dai.djl.offline=true -cp "$cp" dlkit.train.SpeedBench --model "$model" --batch 128 \
      --batches "$batches" --warmup 5 2>/dev/null | tail -1 | tee -a "$tmp"
    LD_LIBRARY_PATH="$blas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" /usr/bin/python3 benchmarks/pytorch_bench.py \
      --model "$model" --batches "$batches" --warmup 5 --threads "$threads" | tee -a "$tmp"
  done
done
mv "$tmp" "$out"
