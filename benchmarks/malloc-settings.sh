#!/usr/bin/env bash
# The kernel's malloc settings (kernel/bin/dlkit-env.sh) against the same settings with glibc's top
# pad of 64 MB (which the kernel once set: see dlkit-env.sh), in interleaved rounds: MNIST CNN training rate on DLKIT_THREADS threads (SpeedBench runs
# in a thread of its own, so with more than one arena allowed it trains on a secondary arena, as a
# notebook cell's thread may), with the process's page faults and the machine's huge-page faults.
# Writes benchmarks/results/malloc-settings.txt.
#   benchmarks/malloc-settings.sh [rounds=3]     Env: DLKIT_DATA (folder with mnist/), DLKIT_THREADS (2)
set -euo pipefail
source "$(dirname "$0")/common.sh"
rounds="${1:-3}"
export DLKIT_DATA="${DLKIT_DATA:-$PWD/data}" DLKIT_THREADS="${DLKIT_THREADS:-2}"
[ -x /usr/bin/time ] || die "/usr/bin/time is needed to count page faults (Debian package 'time')"
cp=$(bench_classpath)
without=$(sed 's/:glibc\.malloc\.top_pad=[0-9]*//' <<< "$(kernel_env_words)")
with=$(sed -E 's/(GLIBC_TUNABLES=[^ ]*)/\1:glibc.malloc.top_pad=67108864/' <<< "$without")
[ "$with" != "$without" ] || die "no GLIBC_TUNABLES in the kernel's environment; nothing to compare"
huge_faults() { awk '$1 == "thp_fault_alloc" { print $2 }' /proc/vmstat; }
load=$(cut -d' ' -f1-3 /proc/loadavg)
out=benchmarks/results/malloc-settings.txt
{
  echo "malloc settings, $(date '+%Y-%m-%d %H:%M'), $(nproc) cores, DLKIT_THREADS=$DLKIT_THREADS, load before: $load"
  echo "with:    $with"
  echo "without: $without"
  echo "SpeedBench --model cnn --task train --batch 128 --batches 60 --warmup 10, one process each"
  for ((r = 1; r <= rounds; r++)); do
    for setting in without with; do
      [ "$setting" = with ] && words=$with || words=$without
      before=$(huge_faults)
      # shellcheck disable=SC2086
      line=$( { /usr/bin/time -f "page faults %R" env $words "$(java_bin)" -Dai.djl.offline=true -cp "$cp" \
          dlkit.train.SpeedBench --model cnn --task train --batch 128 --batches 60 --warmup 10; } 2>&1 |
        grep -oE '"images_per_s": [0-9.]+|page faults [0-9]+' | tr '\n' ' ')
      printf 'round %d %-8s %s huge-page faults %d\n' "$r" "$setting" "$line" $(( $(huge_faults) - before ))
    done
  done
} > "$out.part"
mv "$out.part" "$out"
cat "$out"
