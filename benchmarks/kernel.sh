#!/usr/bin/env bash
# Kernel benchmark, the dlkit kernel beside ipykernel on the same machine: cold starts (hangs
# counted), cold start to first executed cell, trivial-cell round trip, and the ratios. Writes
# benchmarks/results/kernel.txt. Takes a few minutes.
#   benchmarks/kernel.sh [--starts 100] [--roundtrips 200] [--baseline python3]
set -euo pipefail
source "$(dirname "$0")/common.sh"
PYDEVD_DISABLE_FILE_VALIDATION=1 exec "$(jupyter_python)" -X frozen_modules=off benchmarks/bench_kernel.py "$@"
