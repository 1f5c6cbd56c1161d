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
/usr/bin/python3 - "$out/$stem.ipynb" "$result" "$profile" "$wall" "$DLKIT_THREADS" "$load_before" <<'PY'
import json, os, sys, time
notebook, result, profile, wall, threads, load = sys.argv[1:7]
lines = [f"{os.path.basename(notebook)}, profile {profile}, {time.strftime('%Y-%m-%d %H:%M')}, "
         f"{os.cpu_count()} cores shared with other jobs (load before: {load}), DLKIT_THREADS={threads}",
         f"notebook wall time (kernel start to end, every run trained from scratch): {wall} s"]
for cell in json.load(open(notebook))["cells"]:
    text = ""  # a cell's printf output arrives in pieces: join them before splitting lines
    for o in cell.get("outputs", []):
        if o["output_type"] == "stream":
            text += "".join(o["text"])
        elif o["output_type"] == "display_data":  # Fit's progress: its last state is the run's summary
            part = o.get("data", {}).get("text/plain", "")
            text += ("".join(part) if isinstance(part, list) else part) + "\n"
    lines += [line for line in text.splitlines() if line.strip() and not line.startswith("dlkit: PyTorch")]
tmp = result + ".tmp"
with open(tmp, "w") as f:
    f.write("\n".join(lines) + "\n")
os.replace(tmp, result)
print("\n".join(lines))
PY
