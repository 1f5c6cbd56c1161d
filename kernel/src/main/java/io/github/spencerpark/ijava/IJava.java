package io.github.spencerpark.ijava;

/** IJava's entry point, for notebooks written for IJava: {@code IJava.getKernelInstance()}. */
public final class IJava {
    private IJava() {}

    /**
     * The running kernel.
     *
     * @return the kernel
     * @throws IllegalStateException outside the dlkit Jupyter kernel
     */
    public static JavaKernel getKernelInstance() {
        return dlkit.kernel.Kernel.getKernelInstance();
    }
}
