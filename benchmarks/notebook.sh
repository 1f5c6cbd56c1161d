#!/usr/bin/env bash
# Measures one notebook from scratch: runs it on a profile with an empty run cache, then records the
# wall time and everything the notebook printed (findings, final losses, per-run progress lines) in
# benchmarks/results/<notebook>-<profile>.txt (written atomically) and prints it.
#   benchmarks/notebook.sh notebooks/06-autoencoder.ipynb full
#   benchmarks/notebook.sh notebooks/01-optimizers.ipynb standard
# DLKIT_THREADS (default 1) sets PyTorch's intra-op threads: on the shared 2-core machine two
# threads fighting other processes trained the autoencoder 8x slower than one.
set -euo pipefail
source "$(dirname "$0")/common.sh"
notebook=${1:?usage: benchmarks/notebook.sh NOTEBOOK.ipynb [quick|standard|full]}
profile=${2:-standard}
export DLKIT_THREADS=${DLKIT_THREADS:-1}
stem=$(basename "$notebook" .ipynb)
out=build/bench/$stem-$profile
# A fresh run cache for this measure, kept afterwards: if the kernel is killed part-way,
# `DLKIT_RUNS=$runs environment/run-notebooks.sh ...` finishes from the runs already done.
runs=$PWD/$out/runs
rm -rf "$runs" && mkdir -p "$runs"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date +%s)
DLKIT_RUNS=$runs environment/run-notebooks.sh --profile "$profile" --check --out "$out" "$notebook"
wall=$(( $(date +%s) - start ))
result=benchmarks/results/${stem#[0-9][0-9]-}-$profile.txt
/usr/bin/python3 benchmarks/notebook_results.py "$out/$stem.ipynb" "$result" "$profile" "$wall" "$DLKIT_THREADS" "$load_before"
