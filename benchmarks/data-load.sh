#!/usr/bin/env bash
# Measures how long loading a dataset takes; writes build/bench/data-load.txt.
# Usage: benchmarks/data-load.sh [dataset=mnist] [runs=7]   (fetch the data first: environment/fetch-data.sh)
set -euo pipefail
source "$(dirname "$0")/common.sh"
bench_java -Ddlkit.data="${DLKIT_DATA:-$PWD/data}" dlkit.data.LoadBenchmark "$@"
