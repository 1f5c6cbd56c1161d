#!/usr/bin/env bash
# Times a 25x25 loss grid on 2,500 Fashion-MNIST examples: dlkit.landscape.Landscape (in place, one
# forward pass) against a naive per-point model rebuild; writes benchmarks/results/landscape-grid.txt.
# Usage: benchmarks/landscape-grid.sh [size=25] [examples=2500] [repeats=3]   (DLKIT_DATA must hold fashion-mnist)
set -euo pipefail
source "$(dirname "$0")/common.sh"
# Both cores by default (the target is for 2 cores); DLKIT_THREADS=1 measures with one.
export DLKIT_THREADS="${DLKIT_THREADS:-2}"
bench_java -Xmx4g dlkit.landscape.LandscapeBench "${1:-25}" "${2:-2500}" "${3:-3}" \
    benchmarks/results/landscape-grid.txt
