#!/usr/bin/env bash
# Measures how long loading a dataset takes; writes build/bench/data-load.txt.
# Usage: environment/bench-data.sh [dataset=mnist] [runs=7]   (fetch the data first: environment/fetch-data.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -o -pl lib test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
cp="lib/target/test-classes:lib/target/classes:$(cat lib/target/bench.cp)"
exec java -Dai.djl.offline=true -Ddlkit.data="${DLKIT_DATA:-$PWD/data}" -cp "$cp" dlkit.data.LoadBenchmark "$@"
