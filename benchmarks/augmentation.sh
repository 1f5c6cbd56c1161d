#!/usr/bin/env bash
# Milliseconds per batch of dlkit.data.Augmentations (the CNN notebooks' augmentations).
# Usage: benchmarks/augmentation.sh [repeats=200]; writes benchmarks/results/augmentation.txt.
set -euo pipefail
source "$(dirname "$0")/common.sh"
out=benchmarks/results/augmentation.txt
tmp="$(mktemp "$out.XXXX")"
{ echo "# $(date -u +%FT%TZ) $(nproc) cores, shared machine (timings pessimistic)"
  bench_java dlkit.data.AugmentationBench "$@"; } > "$tmp"
mv "$tmp" "$out"
cat "$out"
