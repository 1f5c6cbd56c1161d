#!/usr/bin/env bash
# A speed anchor that does not depend on another framework's build: in one run, the machine's
# practical fp32 speed in libtorch (the faster of a 2048x2048 matrix product, which runs on
# libtorch's BLAS, and a 512-channel 3x3 convolution, which runs on oneDNN), the MNIST CNN's training
# rate as a fraction of it (about 193 MFLOP per training image: forward and backward), and a bound
# on the MLP's time per batch outside its kernels: the whole training step at batch 1 on one thread
# (the same calls on the same thread as at any batch size, with kernels on one example) less the
# Adam update's kernels timed alone. Writes benchmarks/results/anchor.txt.
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
trace=$(mktemp --suffix=.json)
trap 'rm -f "$raw" "$trace"' EXIT
load=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq 1 "$repeats"); do
  "${java_cmd[@]}" --task peak 2>/dev/null | tail -1 >> "$raw"
  "${java_cmd[@]}" --model cnn --task train --batch 128 --batches 30 --warmup 5 --profile "$trace" 2>/dev/null | tail -1 >> "$raw"
  "${java_cmd[@]}" --model mlp --task train --batch 128 --batches 2000 --warmup 30 2>/dev/null | tail -1 >> "$raw"
  DLKIT_THREADS=1 "${java_cmd[@]}" --model mlp --task train --batch 1 --batches 5000 --warmup 100 2>/dev/null | tail -1 >> "$raw"
  DLKIT_THREADS=1 "${java_cmd[@]}" --model mlp --task update 2>/dev/null | tail -1 >> "$raw"
done
/usr/bin/python3 - "$raw" benchmarks/results/anchor.txt "$threads" "$repeats" "$load" <<'PY'
import json, os, statistics, sys, time
raw, out, threads, repeats, load = sys.argv[1:6]
rows = [json.loads(l) for l in open(raw) if l.strip()]
peak = statistics.median(r["peak_gflops"] for r in rows if "peak_gflops" in r)
blas = statistics.median(r["blas_gflops"] for r in rows if "blas_gflops" in r)
onednn = statistics.median(r["onednn_gflops"] for r in rows if "onednn_gflops" in r)
cnn_rows = [r for r in rows if r.get("model") == "cnn"]
cnn = statistics.median(r["images_per_s"] for r in cnn_rows)
# Of the 193 MFLOP per image, the three convolutions' forward, weight-gradient and (but the
# first's) input-gradient passes are 174.3 MFLOP; libtorch's profiler times them.
conv_ms = statistics.median(r["conv_ms"] for r in cnn_rows)
cnn_profiled = statistics.median(r["profiled_ms"] for r in cnn_rows)
conv_gflops = 174.3e6 * 128 / (conv_ms / 1e3) / 1e9
mlp = statistics.median(r["images_per_s"] for r in rows if r.get("model") == "mlp" and r.get("batch") == 128
                        and "images_per_s" in r)
step1 = statistics.median(1e3 / r["images_per_s"] for r in rows if r.get("model") == "mlp" and r.get("batch") == 1)
update = statistics.median(r["update_ms"] for r in rows if "update_ms" in r)
cnn_gflops = cnn * 193e6 / 1e9
batch_ms = 128 / mlp * 1e3
# Java, JNI and libtorch's dispatch make the same calls on the same thread whatever the batch size;
# at batch 1 the kernels are small, and the update's (101,770 parameters) are taken out.
bound = step1 - update
verdict = "met" if bound <= 0.3 else "NOT met"
lines = [f"speed anchor, {time.strftime('%Y-%m-%d %H:%M')}, {threads} threads, median of {repeats} runs, load before: {load}",
         f"libtorch fp32 peak: {peak:.1f} GFLOP/s, the faster of a 2048x2048 matrix product (BLAS: {blas:.1f}) and a 512-channel 3x3 convolution (oneDNN: {onednn:.1f})",
         f"MNIST CNN training, batch 128: {cnn:.0f} images/s x 193 MFLOP = {cnn_gflops:.1f} GFLOP/s = {100 * cnn_gflops / peak:.0f}% of the peak (target >= 80%: {'met' if cnn_gflops >= 0.8 * peak else 'NOT met'})",
         f"  under the profiler, {cnn_profiled:.0f} ms a batch; the convolutions (forward and backward, 174.3 MFLOP an image) take {conv_ms:.0f} ms of it: {conv_gflops:.1f} GFLOP/s = {100 * conv_gflops / peak:.0f}% of the peak, a ceiling for the whole step",
         f"MLP 784-128-10 training, batch 128: {mlp:.0f} images/s = {batch_ms:.3f} ms a batch",
         f"  outside its kernels: at most {bound:.3f} ms a batch (target <= 0.3 ms: {verdict}): the whole step at batch 1 on one thread takes {step1:.3f} ms, of which {update:.3f} ms in the Adam update's kernels timed alone"]
tmp = out + ".tmp"
open(tmp, "w").write("\n".join(lines) + "\n")
os.replace(tmp, out)
print("\n".join(lines))
PY
