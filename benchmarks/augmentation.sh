#!/usr/bin/env bash
# Milliseconds per batch of dlkit.data.Augmentations (the CNN notebooks' augmentations).
# Usage: benchmarks/augmentation.sh [repeats=200]; writes benchmarks/results/augmentation.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -o -pl lib test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
cp="lib/target/test-classes:lib/target/classes:$(cat lib/target/bench.cp)"
out=benchmarks/results/augmentation.txt
tmp="$(mktemp "$out.XXXX")"
{ echo "# $(date -u +%FT%TZ) $(nproc) cores, shared machine (timings pessimistic)"
  java -Dai.djl.offline=true -cp "$cp" dlkit.data.AugmentationBench "$@"; } > "$tmp"
mv "$tmp" "$out"
cat "$out"
