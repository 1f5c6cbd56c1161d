#!/usr/bin/env bash
# Fit.runEach in one process: 4 fits (seeds 1-4) trained one by one on every PyTorch thread against
# DLKIT_PARALLEL_RUNS at a time (default: one per thread), in interleaved rounds after a warm-up,
# for the optimizer comparison's CNN with dropout and the MNIST MLP; and whether the runs' batch
# losses came out the same every round. Writes benchmarks/results/parallel-fits.txt.
#   benchmarks/parallel-fits.sh [rounds=3]     Env: DLKIT_DATA (folder with mnist/), DLKIT_THREADS (2)
set -euo pipefail
source "$(dirname "$0")/common.sh"
rounds="${1:-3}"
export DLKIT_DATA="${DLKIT_DATA:-$PWD/data}" DLKIT_THREADS="${DLKIT_THREADS:-2}"
load=$(cut -d' ' -f1-3 /proc/loadavg)
out=benchmarks/results/parallel-fits.txt
{
  echo "Fit.runEach, $(date '+%Y-%m-%d %H:%M'), $(nproc) cores, DLKIT_THREADS=$DLKIT_THREADS, load before: $load"
  for spec in "optimizer-cnn-dropout 12000" "mlp 48000"; do
    set -- $spec
    echo "== $1: 4 fits of 1 epoch on $2 MNIST images, batch 128, Adam"
    bench_java dlkit.train.ParallelBench --model "$1" --fits 4 --examples "$2" --epochs 1 --rounds "$rounds" \
      2>/dev/null | grep -E '^(round|\{)'
  done
} > "$out.part"
mv "$out.part" "$out"
cat "$out"
