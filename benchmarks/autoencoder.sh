#!/usr/bin/env bash
# Autoencoder (notebook 06) measured from scratch: runs the notebook on a profile (default full:
# 60,000 images, 20 epochs, plain and denoising model) with an empty run cache, then records the
# final losses, test MSE, training times and the wall time in benchmarks/results/autoencoder-<profile>.txt.
#   benchmarks/autoencoder.sh [quick|standard|full]
# DLKIT_THREADS (default 1) sets PyTorch's intra-op threads: on a shared 2-core machine two threads
# fighting other processes were 8x slower than one.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-full}
export DLKIT_THREADS=${DLKIT_THREADS:-1}
out=build/bench/autoencoder-$profile
runs=$(mktemp -d)
trap 'rm -rf "$runs"' EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date +%s)
DLKIT_RUNS=$runs environment/run-notebooks.sh --profile "$profile" --check --out "$out" notebooks/06-autoencoder.ipynb
wall=$(( $(date +%s) - start ))
result=benchmarks/results/autoencoder-$profile.txt
/usr/bin/python3 - "$out/06-autoencoder.ipynb" "$result" "$profile" "$wall" "$DLKIT_THREADS" "$load_before" <<'PY'
import json, os, platform, re, sys, time
notebook, result, profile, wall, threads, load = sys.argv[1:7]
lines = [f"autoencoder notebook, profile {profile}, {time.strftime('%Y-%m-%d %H:%M')}, "
         f"{os.cpu_count()} cores shared with other jobs (load before: {load}), DLKIT_THREADS={threads}",
         f"notebook wall time (kernel start to end, both models trained from scratch): {wall} s"]
for cell in json.load(open(notebook))["cells"]:
    text = ""  # a cell's printf output arrives in pieces: join them before splitting lines
    for o in cell.get("outputs", []):
        part = o.get("text") or o.get("data", {}).get("text/plain", "")
        text += ("".join(part) if isinstance(part, list) else part) + ("" if o["output_type"] == "stream" else "\n")
    for line in text.splitlines():
        if True:
            if re.match(r"(epoch \d+/\d+ |test MSE|training loss at|training time|- |  so |the noisy|on noisy|nearest)", line):
                lines.append(line)
tmp = result + ".tmp"
with open(tmp, "w") as f:
    f.write("\n".join(lines) + "\n")
os.replace(tmp, result)
print("\n".join(lines))
PY
