#!/usr/bin/env bash
# Full-profile test accuracies: the baseline and enhanced MLP configurations retrained on all 60,000
# Fashion-MNIST training images for 50 epochs (as the notebook's full profile retrains), scored on
# the 10,000 test images. Runs go to runs/ under the full profile, so the notebook reuses them when
# its search picks the same configurations.
# Usage: benchmarks/mlp-final.sh [epochs=50]; writes benchmarks/results/mlp-final.txt.
# The whole full-profile search (30 + 30 trials, then these retrainings) is the notebook itself:
#   environment/run-notebooks.sh --profile full --out build/nb-full notebooks/04-mlp-tuning.ipynb
set -euo pipefail
source "$(dirname "$0")/common.sh"
# One intra-op thread by default (as benchmarks/fit-overhead.sh): two OpenMP threads fighting other
# processes on a shared 2-core machine run many times slower. DLKIT_THREADS=2 to use both cores.
export DLKIT_THREADS="${DLKIT_THREADS:-1}"
bench_java -Xmx8g -Ddlkit.profile=full dlkit.tune.MlpBench final "$@"
