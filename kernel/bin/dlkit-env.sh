# Process environment for a JVM that trains with dlkit: sourced by kernel/bin/dlkit-kernel and by the
# training benchmarks (benchmarks/common.sh sources it), so that both measure and run the same way.
# Values already set in the environment win. Measurements: benchmarks/PERFORMANCE.md.
#
# Tensor-sized blocks: CNN activations are 13-26 MB at batch 128 and 100-200 MB at batch 1000. By
# default each comes from fresh mmap pages that the OS must fault in and zero on every batch (11 M
# page faults while evaluating 12k MNIST images).
# - libtorch's allocator puts blocks of 2 MB or more on transparent huge pages (its own opt-in
#   switch): 70x fewer page faults, CNN evaluation about 11 % faster.
# - glibc malloc: one arena, and blocks up to 32 MB (its maximum) reused from the heap rather than
#   mapped afresh: CNN training 5-15 % faster.
export THP_MEM_ALLOC_ENABLE="${THP_MEM_ALLOC_ENABLE:-1}"
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.arena_max=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456}"
