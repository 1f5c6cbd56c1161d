#!/usr/bin/env bash
# Seed 003's network at batch 1: updates per second of the hand-written ScratchNet loop, Fit,
# PyTorch's Python loop and the seed's NumPy loop, on the same 1,000 MNIST images. Interleaved (the
# order rotates each repeat), repeated; writes medians and ranges to
# benchmarks/results/from-scratch-speed.txt atomically and prints them.
#
# Usage: benchmarks/from-scratch-speed.sh [repeats=3] [epochs=5]
# Env:   DLKIT_DATA (folder with mnist/), THREADS (1: intra-op threads on every side)
set -euo pipefail
source "$(dirname "$0")/common.sh"
repeats="${1:-3}"
epochs="${2:-5}"
threads="${THREADS:-1}"
data="${DLKIT_DATA:-$PWD/data}"
[ -f "$data/mnist/train-images-idx3-ubyte" ] || [ -f "$data/mnist/train-images-idx3-ubyte.gz" ] || {
  echo "no MNIST under $data/mnist: set DLKIT_DATA" >&2; exit 2; }
export DLKIT_DATA="$data" DLKIT_THREADS="$threads" OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads"

cp=$(bench_classpath)
kernel_env=$(kernel_env_words)
# shellcheck disable=SC2206
java_cmd=(env $kernel_env "$(java_bin)" "${JAVA_OPTS_DLKIT[@]}" -Dai.djl.offline=true -cp "$cp" dlkit.scratch.StepBench)
py=/usr/bin/python3
impls=(scratch fit numpy)
if "$py" -c 'import torch' 2>/dev/null; then
  impls+=(pytorch)
else
  echo "PyTorch for Python is not installed ($py -c 'import torch' fails): measuring without it." >&2
fi
openblas=/usr/lib/x86_64-linux-gnu/openblas-openmp
py_env=()
[ -d "$openblas" ] && py_env=(env LD_LIBRARY_PATH="$openblas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}")

raw=$(mktemp)
trap 'rm -f "$raw"' EXIT
start_load=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq 1 "$repeats"); do
  n=${#impls[@]}
  for k in $(seq 0 $((n - 1))); do
    impl=${impls[$(( (k + r) % n ))]}
    case "$impl" in
      scratch|fit) line=$("${java_cmd[@]}" "$impl" "$epochs" 2>/dev/null | tail -1) ;;
      *) line=$(cd benchmarks && "${py_env[@]}" "$py" from_scratch_speed.py --impl "$impl" --data "$data/mnist" \
                 --epochs "$epochs" --threads "$threads" | tail -1) ;;
    esac
    echo "{\"repeat\": $r, \"load1\": $(cut -d' ' -f1 /proc/loadavg), \"result\": $line}" | tee -a "$raw"
  done
done
"$py" - "$raw" benchmarks/results/from-scratch-speed.txt "$repeats" "$epochs" "$threads" "$start_load" <<'PY'
import json, os, statistics, sys, time
raw, out, repeats, epochs, threads, load = sys.argv[1:7]
rows = [json.loads(l) for l in open(raw) if l.strip()]
names = {"scratch": "ScratchNet loop (dlkit.scratch)", "fit": "Fit (dlkit.train, autograd)",
         "pytorch": "PyTorch Python loop (autograd)", "numpy": "NumPy loop (the seed's code)"}
lines = [f"Seed 003 network (784-128-10 sigmoid, no biases) at batch 1 on 1,000 MNIST images: updates/s, "
         f"median [min-max] of {repeats} interleaved repeats of {epochs} epochs after a 1-epoch warm-up, "
         f"{threads} thread(s) per side, {time.strftime('%Y-%m-%d %H:%M')}",
         f"load average at start: {load}; (1 min) during the runs: max {max(r['load1'] for r in rows)}"]
medians = {}
for impl in ["scratch", "fit", "pytorch", "numpy"]:
    v = [r["result"]["updates_per_s"] for r in rows if r["result"]["impl"] == impl]
    if not v:
        continue
    medians[impl] = statistics.median(v)
    version = next((r["result"].get("version", "") for r in rows if r["result"]["impl"] == impl), "")
    lines.append(f"{names[impl]:38s} {medians[impl]:8.0f} [{min(v):.0f}-{max(v):.0f}]" + (f"   {version}" if version else ""))
if "pytorch" in medians:
    for impl in ["scratch", "fit"]:
        lines.append(f"{names[impl]} / PyTorch: {medians[impl] / medians['pytorch']:.2f}")
full = 100_000
for impl, m in medians.items():
    lines.append(f"100 epochs x 1,000 updates at this rate, {names[impl]}: {full / m:.0f} s")
tmp = out + ".tmp"
with open(tmp, "w") as f:
    f.write("\n".join(lines) + "\n")
os.replace(tmp, out)
print("\n".join(lines))
PY
