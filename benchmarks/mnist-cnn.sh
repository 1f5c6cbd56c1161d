#!/usr/bin/env bash
# The MNIST notebook's full-profile training run (seed 000 settings) as a command:
#   benchmarks/mnist-cnn.sh [epochs=15]
# Writes benchmarks/results/mnist-cnn-<epochs>-epochs.json (final/best test accuracy, time).
# 15 epochs take about 30 minutes on 2 free cores; `benchmarks/mnist-cnn.sh 1` measures one epoch.
set -euo pipefail
source "$(dirname "$0")/common.sh"
bench_java -Xmx8g dlkit.models.MnistCnnBench "${1:-15}"
