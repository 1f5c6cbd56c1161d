#!/usr/bin/env bash
# Times a 25x25 loss grid on 2,500 Fashion-MNIST examples: dlkit.landscape.Landscape (in place, one
# forward pass) against a naive per-point model rebuild; writes benchmarks/results/landscape-grid.txt.
# Usage: benchmarks/landscape-grid.sh [size=25] [examples=2500] [repeats=3]   (DLKIT_DATA must hold fashion-mnist)
set -euo pipefail
source "$(dirname "$0")/common.sh"
# One intra-op thread by default, as in benchmarks/fit-overhead.sh: on the shared 2-core machine two
# OpenMP threads fighting other processes ran the grid 13x slower (176 ms/point against 13 ms/point).
# DLKIT_THREADS=2 measures with both cores.
export DLKIT_THREADS="${DLKIT_THREADS:-1}"
bench_java -Xmx4g dlkit.landscape.LandscapeBench "${1:-25}" "${2:-2500}" "${3:-3}" \
    benchmarks/results/landscape-grid.txt
