#!/usr/bin/env bash
# Measures fit's overhead over a bare DJL loop; writes build/bench/fit.txt.
# Usage: environment/bench-fit.sh [examples=12000] [epochs=2] [repeats=5]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -o -pl lib test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
cp="lib/target/test-classes:lib/target/classes:$(cat lib/target/bench.cp)"
# One intra-op thread by default: on a shared 2-core machine, two OpenMP threads fighting other
# processes make timings swing 10x; DLKIT_THREADS=2 to measure with both cores.
export DLKIT_THREADS="${DLKIT_THREADS:-1}"
exec java -Xmx4g -Dai.djl.offline=true -cp "$cp" dlkit.train.FitBench "$@"
