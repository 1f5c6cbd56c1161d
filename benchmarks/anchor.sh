#!/usr/bin/env bash
# A speed anchor that does not depend on another framework's build: in one run, the machine's
# practical fp32 speed in libtorch (a 2048x2048 matrix product), the MNIST CNN's training rate as a
# fraction of it (about 193 MFLOP per training image: forward and backward), and the MLP's time per
# batch beyond what its arithmetic needs at that speed. Writes benchmarks/results/anchor.txt.
#   benchmarks/anchor.sh [repeats=3]        Env: DLKIT_DATA (folder with mnist/), THREADS (2)
set -euo pipefail
source "$(dirname "$0")/common.sh"
repeats="${1:-3}"
threads="${THREADS:-2}"
export DLKIT_DATA="${DLKIT_DATA:-$PWD/data}" DLKIT_THREADS="$threads"
cp=$(bench_classpath)
kernel_env=$(kernel_env_words)
# shellcheck disable=SC2206
java_cmd=(env $kernel_env "$(java_bin)" "${JAVA_OPTS_DLKIT[@]}" -Xmx6g -Dai.djl.offline=true -cp "$cp" dlkit.train.SpeedBench)
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT
load=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq 1 "$repeats"); do
  "${java_cmd[@]}" --task peak 2>/dev/null | tail -1 >> "$raw"
  "${java_cmd[@]}" --model cnn --task train --batch 128 --batches 30 --warmup 5 2>/dev/null | tail -1 >> "$raw"
  "${java_cmd[@]}" --model mlp --task train --batch 128 --batches 2000 --warmup 30 2>/dev/null | tail -1 >> "$raw"
done
/usr/bin/python3 - "$raw" benchmarks/results/anchor.txt "$threads" "$repeats" "$load" <<'PY'
import json, os, statistics, sys, time
raw, out, threads, repeats, load = sys.argv[1:6]
rows = [json.loads(l) for l in open(raw) if l.strip()]
peak = statistics.median(r["matmul_gflops"] for r in rows if "matmul_gflops" in r)
gemm_ms = statistics.median(r["mlp_gemm_ms"] for r in rows if "mlp_gemm_ms" in r)
cnn = statistics.median(r["images_per_s"] for r in rows if r.get("model") == "cnn")
mlp = statistics.median(r["images_per_s"] for r in rows if r.get("model") == "mlp" and "images_per_s" in r)
cnn_gflops = cnn * 193e6 / 1e9
mlp_flop = 3 * 2 * (784 * 128 + 128 * 10) * 128           # forward and backward of one batch of 128
batch_ms = 128 / mlp * 1e3
kernel_ms = mlp_flop / (peak * 1e9) * 1e3
lines = [f"speed anchor, {time.strftime('%Y-%m-%d %H:%M')}, {threads} threads, median of {repeats} runs, load before: {load}",
         f"libtorch fp32 matrix product 2048x2048: {peak:.1f} GFLOP/s (the machine's practical peak)",
         f"MNIST CNN training, batch 128: {cnn:.0f} images/s x 193 MFLOP = {cnn_gflops:.1f} GFLOP/s = {100 * cnn_gflops / peak:.0f}% of the peak (target >= 80%: {'met' if cnn_gflops >= 0.8 * peak else 'NOT met'})",
         f"MLP 784-128-10 training, batch 128: {mlp:.0f} images/s = {batch_ms:.3f} ms a batch. Its arithmetic ({mlp_flop / 1e6:.1f} MFLOP) would take {kernel_ms:.3f} ms at the peak;"
         f" its five matrix products, timed alone at their own shapes, take {gemm_ms:.3f} ms",
         f"  beyond the matrix products as timed: {batch_ms - gemm_ms:.3f} ms a batch (target <= 0.3 ms: {'met' if batch_ms - gemm_ms <= 0.3 else 'NOT met'});"
         f" beyond the arithmetic at the peak: {batch_ms - kernel_ms:.3f} ms"]
tmp = out + ".tmp"
open(tmp, "w").write("\n".join(lines) + "\n")
os.replace(tmp, out)
print("\n".join(lines))
PY
