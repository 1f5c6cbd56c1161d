/*
 * Preloaded into the kernel's JVM on x86-64 processors not made by Intel (kernel/bin/dlkit-env.sh).
 *
 * libtorch's CPU build links Intel's oneMKL for matrix products. MKL picks its code by asking this
 * function whether the processor is Intel's; on any other it falls back to its generic AVX2 code
 * whatever the processor supports. On an AMD EPYC with AVX-512 that ran a 2048x2048 float product
 * at 150 GFLOP/s against 383 GFLOP/s here (benchmarks/PERFORMANCE.md). Answering yes makes MKL
 * choose by the instruction sets the processor reports, as it does on Intel's. libtorch calls the
 * function through its symbol table, so this definition, loaded first, is the one it finds.
 */
int mkl_serv_intel_cpu_true(void) {
    return 1;
}
