#!/usr/bin/env bash
# The MLP-tuning notebook's full-profile searches (baseline and enhanced, 30 trials each on 48,000
# Fashion-MNIST images), pruned by successive halving and, with "both", in full, each from an empty
# run cache, side by side with the wall-time and accuracy targets. Writes
# benchmarks/results/pruned-search.txt and each search's trial curves (pruned-search-*.png).
# Usage: benchmarks/pruned-search.sh [minEpochs=2] [reduction=3] [pruned|both=both]
# Env: DLKIT_DATA (folder with fashion-mnist/), DLKIT_THREADS (2, as the notebook kernel).
set -euo pipefail
source "$(dirname "$0")/common.sh"
export DLKIT_THREADS="${DLKIT_THREADS:-2}"
bench_java -Xmx8g -Ddlkit.profile=full dlkit.tune.MlpBench search "${1:-2}" "${2:-3}" "${3:-both}"
/usr/bin/python3 "$(dirname "$0")/pruned_search_summary.py"
