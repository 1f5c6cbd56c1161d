#!/usr/bin/env bash
# Measures fit's overhead over a bare DJL loop; writes build/bench/fit.txt.
# Usage: benchmarks/fit-overhead.sh [examples=12000] [epochs=2] [repeats=5]
set -euo pipefail
source "$(dirname "$0")/common.sh"
# One intra-op thread by default: on a shared 2-core machine, two OpenMP threads fighting other
# processes make timings swing 10x; DLKIT_THREADS=2 to measure with both cores.
export DLKIT_THREADS="${DLKIT_THREADS:-1}"
bench_java -Xmx4g dlkit.train.FitBench "$@"
