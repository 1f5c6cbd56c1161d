#!/usr/bin/env bash
# Memory across a hyper-parameter search: resident set size after each trial (must stay flat).
# Usage: benchmarks/mlp-memory.sh [trials=12] [training-images-limit=12000]
# Writes benchmarks/results/mlp-memory.txt. Needs data/fashion-mnist (environment/fetch-data.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -o -pl lib test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
# One intra-op thread by default (as environment/bench-fit.sh): two OpenMP threads fighting other
# processes on a shared 2-core machine run many times slower. DLKIT_THREADS=2 to use both cores.
export DLKIT_THREADS="${DLKIT_THREADS:-1}"
cp="lib/target/test-classes:lib/target/classes:$(cat lib/target/bench.cp)"
source benchmarks/kernel-env.sh  # the kernel's allocator settings, as in a notebook
exec java -Xmx4g -Dai.djl.offline=true -cp "$cp" dlkit.tune.MlpBench memory "$@"
