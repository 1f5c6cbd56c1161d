#!/usr/bin/env bash
# The kernel's environment with tcmalloc (DLKIT_MALLOC=tcmalloc) against its default, glibc's malloc
# with the kernel's tunables (DLKIT_MALLOC=glibc), in interleaved rounds: MNIST CNN training rate on
# DLKIT_THREADS threads (SpeedBench trains in a thread of its own, which glibc gives an arena by
# lot, as it does a notebook cell's thread), with the process's page faults and seconds in the
# kernel; and four optimizer CNNs trained two at a time (Fit.runEach, as notebook 01's comparisons).
# Writes benchmarks/results/malloc-settings.txt.
#   benchmarks/malloc-settings.sh [rounds=3]     Env: DLKIT_DATA (folder with mnist/), DLKIT_THREADS (2)
set -euo pipefail
source "$(dirname "$0")/common.sh"
rounds="${1:-3}"
export DLKIT_DATA="${DLKIT_DATA:-$PWD/data}" DLKIT_THREADS="${DLKIT_THREADS:-2}"
[ -x /usr/bin/time ] || die "/usr/bin/time is needed to count page faults (Debian package 'time')"
cp=$(bench_classpath)
kernel=$(DLKIT_MALLOC=tcmalloc kernel_env_words)
glibc=$(DLKIT_MALLOC=glibc kernel_env_words)
[ "$kernel" != "$glibc" ] || die "DLKIT_MALLOC=tcmalloc preloads nothing here: install libtcmalloc-minimal4"
load=$(cut -d' ' -f1-3 /proc/loadavg)
out=benchmarks/results/malloc-settings.txt
{
  echo "allocators, $(date '+%Y-%m-%d %H:%M'), $(nproc) cores, DLKIT_THREADS=$DLKIT_THREADS, load before: $load"
  echo "tcmalloc: $kernel"
  echo "glibc:    $glibc"
  echo "single fit: SpeedBench --model cnn --task train --batch 128 --batches 60 --warmup 10, one process each"
  echo "two at a time: ParallelBench --model optimizer-cnn-dropout --fits 4 --examples 12000 --epochs 1 --rounds 1"
  for ((r = 1; r <= rounds; r++)); do
    for setting in glibc kernel; do
      [ "$setting" = kernel ] && words=$kernel || words=$glibc
      # shellcheck disable=SC2086
      line=$( { /usr/bin/time -f "page faults %R, %S s in the kernel" env $words "$(java_bin)" -Dai.djl.offline=true \
          -cp "$cp" dlkit.train.SpeedBench --model cnn --task train --batch 128 --batches 60 --warmup 10; } 2>&1 |
        grep -oE '"images_per_s": [0-9.]+|page faults .*' | tr '\n' ' ')
      printf 'round %d %-8s single fit %s\n' "$r" "$([ "$setting" = kernel ] && echo tcmalloc || echo glibc)" "$line"
      # shellcheck disable=SC2086
      line=$(env $words "$(java_bin)" -Dai.djl.offline=true -cp "$cp" dlkit.train.ParallelBench \
          --model optimizer-cnn-dropout --fits 4 --examples 12000 --epochs 1 --rounds 1 2>/dev/null | grep -E '^round' |
        sed 's/^round 1: //')
      printf 'round %d %-8s %s\n' "$r" "$([ "$setting" = kernel ] && echo tcmalloc || echo glibc)" "$line"
    done
  done
} > "$out.part"
mv "$out.part" "$out"
cat "$out"
