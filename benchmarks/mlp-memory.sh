#!/usr/bin/env bash
# Memory across a hyper-parameter search: resident set size after each trial (must stay flat).
# Usage: benchmarks/mlp-memory.sh [trials=12] [training-images-limit=12000]
# Writes benchmarks/results/mlp-memory.txt. Needs data/fashion-mnist (environment/fetch-data.sh).
set -euo pipefail
source "$(dirname "$0")/common.sh"
# One intra-op thread by default (as benchmarks/fit-overhead.sh): two OpenMP threads fighting other
# processes on a shared 2-core machine run many times slower. DLKIT_THREADS=2 to use both cores.
export DLKIT_THREADS="${DLKIT_THREADS:-1}"
bench_java -Xmx4g dlkit.tune.MlpBench memory "$@"
