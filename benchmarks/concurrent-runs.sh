#!/usr/bin/env bash
# How much more two fits get done side by side, each on one PyTorch thread, than one fit on two
# threads: the case for training a comparison's or a search's runs two at a time on a 2-core
# machine. Interleaved rounds of SpeedBench training (batch 128): one process with
# DLKIT_THREADS=2, then two processes with DLKIT_THREADS=1 at once (their rates added), then one
# with DLKIT_THREADS=1. Writes benchmarks/results/concurrent-runs.txt.
#   benchmarks/concurrent-runs.sh [rounds=3]        Env: DLKIT_DATA (folder with mnist/)
set -euo pipefail
source "$(dirname "$0")/common.sh"
rounds="${1:-3}"
export DLKIT_DATA="${DLKIT_DATA:-$PWD/data}"
cp=$(bench_classpath)
kernel_env=$(kernel_env_words)
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT
load=$(cut -d' ' -f1-3 /proc/loadavg)
# rate MODEL THREADS BATCHES: one SpeedBench training run, its images/s
rate() {
  # shellcheck disable=SC2086
  env $kernel_env DLKIT_THREADS="$2" "$(java_bin)" "${JAVA_OPTS_DLKIT[@]}" -Xmx4g -Dai.djl.offline=true -cp "$cp" \
    dlkit.train.SpeedBench --model "$1" --task train --batch 128 --batches "$3" --warmup 10 2>/dev/null \
    | tail -1 | /usr/bin/python3 -c 'import json, sys; print(json.loads(sys.stdin.read())["images_per_s"])'
}
for r in $(seq 1 "$rounds"); do
  for spec in "mlp 3000" "optimizer-cnn-dropout 150"; do
    set -- $spec
    two=$(rate "$1" 2 "$2")
    rate "$1" 1 "$2" > "$raw.a" & rate "$1" 1 "$2" > "$raw.b" & wait
    one=$(rate "$1" 1 "$2")
    echo "$r $1 $two $(cat "$raw.a") $(cat "$raw.b") $one" >> "$raw"
  done
done
rm -f "$raw.a" "$raw.b"
/usr/bin/python3 - "$raw" benchmarks/results/concurrent-runs.txt "$load" <<'PY'
import os, statistics, sys, time
raw, out, load = sys.argv[1:4]
rows = [l.split() for l in open(raw) if l.strip()]
lines = [f"concurrent runs, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, load before: {load}",
         "SpeedBench --task train --batch 128, images/s; each round: one process with 2 threads, two processes with"
         " 1 thread at once (added), one process with 1 thread",
         f"{'round':>5}  {'model':<22} {'2 threads':>10} {'2 x 1 thread':>13} {'ratio':>6} {'1 thread':>9}"]
ratios = {}
for r, model, two, a, b, one in rows:
    two, both, one = float(two), float(a) + float(b), float(one)
    ratios.setdefault(model, []).append(both / two)
    lines.append(f"{r:>5}  {model:<22} {two:>10,.0f} {both:>13,.0f} {both / two:>6.2f} {one:>9,.0f}")
for model, rs in ratios.items():
    lines.append(f"{model}: two 1-thread runs at once do {statistics.median(rs):.2f}x the work of one 2-thread run"
                 f" (median of {len(rs)} rounds; {min(rs):.2f}-{max(rs):.2f})")
tmp = out + ".part"
with open(tmp, "w") as f:
    f.write("\n".join(lines) + "\n")
os.replace(tmp, out)
print("\n".join(lines))
PY
