#!/usr/bin/env bash
# The MNIST notebook's full-profile training run (seed 000 settings) as a command:
#   benchmarks/mnist-cnn.sh [epochs=15]
# Writes benchmarks/results/mnist-cnn-<epochs>-epochs.json (final/best test accuracy, time).
# 15 epochs take about 30 minutes on 2 free cores; `benchmarks/mnist-cnn.sh 1` measures one epoch.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -o -pl lib test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
cp="lib/target/test-classes:lib/target/classes:$(cat lib/target/bench.cp)"
source benchmarks/kernel-env.sh
exec java -Xmx8g -Dai.djl.offline=true -cp "$cp" dlkit.models.MnistCnnBench "${1:-15}"
