# Process environment for a JVM that trains with dlkit: sourced by kernel/bin/dlkit-kernel and by the
# training benchmarks (benchmarks/common.sh sources it), so that both measure and run the same way.
# The caller sets dlkit_kernel_dir to the kernel module's folder. Values already set in the
# environment win. Measurements: benchmarks/PERFORMANCE.md.
#
# Tensor-sized blocks: CNN activations are 13-26 MB at batch 128 and 100-200 MB at batch 1000. By
# default each comes from fresh mmap pages that the OS must fault in and zero on every batch (11 M
# page faults while evaluating 12k MNIST images).
# - libtorch's allocator puts blocks of 2 MB or more on transparent huge pages (its own opt-in
#   switch): 70x fewer page faults, CNN evaluation about 11 % faster.
# - glibc malloc: blocks up to 32 MB (its maximum) reused from the heap rather than mapped afresh:
#   CNN training 5-15 % faster; and one arena per fit that Fit.runEach trains at once
#   (DLKIT_PARALLEL_RUNS, default one per PyTorch thread up to 4). Fits that share one arena wait
#   for its lock: two optimizer CNNs side by side on 2 cores ran 1.1-1.2x as fast as one by one
#   with one arena, 1.4-1.5x with two. More arenas than that only add smaller, separately mapped
#   heaps (secondary arenas are capped at 64 MB each).
# - No top pad: a secondary arena unmaps a heap as soon as its blocks are all free, whatever the
#   trim threshold says, and maps a new one for the next batch (a single fit there can fault in 5x
#   as many pages); a 64 MB pad kept those heaps, but notebook 01, two fits side by side for an
#   hour, then slowed from run to run and took 3,619 s against 3,415 s without it, while notebook
#   02 (single fits) gained 61 s. benchmarks/malloc-settings.sh measures the pad.
#
# Allocator: glibc's, with the settings above. DLKIT_MALLOC=tcmalloc preloads gperftools' tcmalloc
# where installed (Debian: libtcmalloc-minimal4). It removes glibc's arena lottery for single fits
# (the MNIST CNN: a median of 1,285 images/s against 1,123, benchmarks/malloc-settings.sh), but
# notebook 01's hour of fits two at a time ran slower with it (its dropout runs 136-190 s against
# 119-146 s), so it is not the default.
case "${DLKIT_MALLOC:-glibc}" in
  tcmalloc)
    for dlkit_tcmalloc in /usr/lib/*-linux-gnu/libtcmalloc_minimal.so.4 /usr/lib64/libtcmalloc_minimal.so.4 \
        /usr/lib/libtcmalloc_minimal.so.4 ""; do
      [ -f "$dlkit_tcmalloc" ] && break
    done
    if [ -n "$dlkit_tcmalloc" ]; then
      case ":${LD_PRELOAD:-}:" in
        *":$dlkit_tcmalloc:"*) ;;
        *) export LD_PRELOAD="$dlkit_tcmalloc${LD_PRELOAD:+:$LD_PRELOAD}" ;;
      esac
    fi ;;
  glibc) ;;
  *) echo "dlkit: DLKIT_MALLOC must be 'glibc' (the default) or 'tcmalloc' (where installed), got '$DLKIT_MALLOC'" >&2
     exit 2 ;;
esac
dlkit_arenas="${DLKIT_PARALLEL_RUNS:-${DLKIT_THREADS:-$(nproc 2>/dev/null || echo 1)}}"
case "$dlkit_arenas" in ''|*[!0-9]*) dlkit_arenas=1 ;; esac # Engines reports a malformed setting
[ "$dlkit_arenas" -gt 4 ] && [ -z "${DLKIT_PARALLEL_RUNS:-}" ] && dlkit_arenas=4
[ "$dlkit_arenas" -lt 1 ] && dlkit_arenas=1
export THP_MEM_ALLOC_ENABLE="${THP_MEM_ALLOC_ENABLE:-1}"
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.arena_max=$dlkit_arenas:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456}"
#
# Matrix products: libtorch's MKL runs its generic code on processors not made by Intel. The library
# that environment/install-kernel.sh builds from kernel/src/main/native/dlkit-mkl-cpu.c lets it
# choose by the processor's instruction sets instead: on an AMD EPYC, large products 2.5x faster,
# training 10-30 % faster. DLKIT_MKL_VENDOR_CHECK=keep leaves MKL as it is.
dlkit_mkl_lib="$dlkit_kernel_dir/target/native/libdlkit-mkl-cpu.so"
case "${DLKIT_MKL_VENDOR_CHECK:-skip}" in
  skip)
    if [ -f "$dlkit_mkl_lib" ] && ! grep -q -m1 '^vendor_id.*GenuineIntel' /proc/cpuinfo 2>/dev/null; then
      case ":${LD_PRELOAD:-}:" in
        *":$dlkit_mkl_lib:"*) ;;
        *) export LD_PRELOAD="$dlkit_mkl_lib${LD_PRELOAD:+:$LD_PRELOAD}" ;;
      esac
    fi ;;
  keep) ;;
  *) echo "dlkit: DLKIT_MKL_VENDOR_CHECK must be 'skip' (MKL chooses by instruction sets) or 'keep' (MKL's own choice), got '$DLKIT_MKL_VENDOR_CHECK'" >&2
     exit 2 ;;
esac
