#!/usr/bin/env bash
# Kernel benchmark: 100 cold starts (hangs counted), median cold start to first executed cell,
# median trivial-cell round trip. Writes build/bench/kernel.txt. Takes a few minutes.
#   environment/bench-kernel.sh [--starts N] [--roundtrips N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
PYDEVD_DISABLE_FILE_VALIDATION=1 exec /usr/bin/python3 -X frozen_modules=off kernel/bench/bench_kernel.py "$@"
