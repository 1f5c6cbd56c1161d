#!/usr/bin/env bash
# An estimate of notebook 01's full-profile wall time, for when running it (hours on 2 cores) is not
# practical: its training runs times the optimizer CNN's measured training and evaluation rates on
# Fashion-MNIST-sized images, with and without its three dropout layers, one run at a time: with
# runs side by side (Fit.runEach, the default on 2 threads) the notebook takes less, 1.14-1.28x
# less in its measured full run (benchmarks/PERFORMANCE.md). Writes benchmarks/results/optimizers-full-estimate.txt (atomically),
# which benchmarks/writeup-cost.sh shows while no measured optimizers-full.txt exists.
#   benchmarks/optimizers-estimate.sh        Env: DLKIT_THREADS (1, as benchmarks/notebook.sh)
set -euo pipefail
source "$(dirname "$0")/common.sh"
export DLKIT_THREADS=${DLKIT_THREADS:-1} DLKIT_DATA="${DLKIT_DATA:-$PWD/data}"
cp=$(bench_classpath)
kernel_env=$(kernel_env_words)
# shellcheck disable=SC2206
java_cmd=(env $kernel_env "$(java_bin)" "${JAVA_OPTS_DLKIT[@]}" -Xmx6g -Dai.djl.offline=true -cp "$cp" dlkit.train.SpeedBench)
load=$(cut -d' ' -f1-3 /proc/loadavg)
train=$("${java_cmd[@]}" --model optimizer-cnn --task train --batch 128 --batches 200 --warmup 10 2>/dev/null | tail -1)
dropout=$("${java_cmd[@]}" --model optimizer-cnn-dropout --task train --batch 128 --batches 200 --warmup 10 2>/dev/null | tail -1)
eval=$("${java_cmd[@]}" --model optimizer-cnn --task eval --batch 1000 2>/dev/null | tail -1)
/usr/bin/python3 - "$train" "$dropout" "$eval" "$DLKIT_THREADS" "$load" <<'PY'
import json, os, sys, time
train, dropout, evaluation = (json.loads(a)["images_per_s"] for a in sys.argv[1:4])
threads, load = sys.argv[4], sys.argv[5]
# The notebook's full profile (Profile.pick(..., 20) epochs, seeds 1-3, Fashion-MNIST split 0.2):
# 8 optimizer settings x 3 seeds ("SGD lr 20" counted in full: in the standard profile two of its
# three runs trained every epoch at chance level, only one stopped as diverged), 7 x 3 with
# dropout, and the 2 x 6 dropout sweep (its two runs without dropout compute what two of the
# comparison's runs did, but under other names, so they train again).
plain, with_dropout, epochs, training, validation = 8 * 3 + 2, 7 * 3 + (2 * 6 - 2), 20, 48_000, 12_000
runs = plain + with_dropout
seconds = epochs * (plain * training / train + with_dropout * training / dropout + runs * validation / evaluation)
lines = [
    f"01-optimizers.ipynb, profile full, ESTIMATE {time.strftime('%Y-%m-%d %H:%M')}, DLKIT_THREADS={threads}, load before: {load}",
    f"estimated wall time: {seconds:.0f} s = {seconds / 3600:.1f} h (training and validation only)",
    f"{runs} runs x {epochs} epochs x {training:,} training images at {train:,.0f} images/s"
    f" ({plain} runs) or {dropout:,.0f} images/s with dropout ({with_dropout} runs),"
    f" and {validation:,} validation images at {evaluation:,.0f} images/s",
    "rates: SpeedBench --model optimizer-cnn and optimizer-cnn-dropout (CifarOptimizerCnn on 1x28x28 images,"
    " batch 128 training, 1000 evaluation)",
    "not counted: start-up, data loading, figures (under a minute in the standard profile)",
    "assumes one run at a time (DLKIT_PARALLEL_RUNS=1); runs trained side by side took 1.14-1.28x less in the"
    " measured full run",
]
out = "benchmarks/results/optimizers-full-estimate.txt"
open(out + ".tmp", "w").write("\n".join(lines) + "\n")
os.replace(out + ".tmp", out)
print("\n".join(lines))
PY
