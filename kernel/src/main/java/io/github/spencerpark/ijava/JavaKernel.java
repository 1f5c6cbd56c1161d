package io.github.spencerpark.ijava;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import java.util.List;

/**
 * The running kernel as notebooks written for IJava see it ({@code IJava.getKernelInstance()} or
 * the notebook function {@code getKernelInstance()}): its renderer, display, evaluation and class
 * path. IJava's magics registry and Maven resolver are not offered: use the magics ({@code %maven},
 * {@code %jars}, ...) and {@code lineMagic}/{@code cellMagic} instead.
 */
public final class JavaKernel {
    private final org.dflib.jjava.jupyter.kernel.BaseKernel kernel;

    /**
     * Wraps the dlkit kernel.
     *
     * @param kernel the running kernel
     */
    public JavaKernel(org.dflib.jjava.jupyter.kernel.BaseKernel kernel) {
        this.kernel = kernel;
    }

    /** The renderer: register how your own types are shown. */
    public Renderer getRenderer() {
        return new Renderer(kernel.getRenderer());
    }

    /** Shows display data now, as {@code display(data)} does. */
    public void display(org.dflib.jjava.jupyter.kernel.display.DisplayData data) {
        dlkit.kernel.Display.display(data);
    }

    /** Runs code as a cell would and returns its value. */
    public Object evalRaw(String code) {
        return dlkit.kernel.Kernel.eval(code);
    }

    /** Runs code as a cell would and returns its value rendered, as the cell's result would be. */
    public DisplayData eval(String code) {
        Object value = evalRaw(code);
        return new DisplayData(value instanceof org.dflib.jjava.jupyter.kernel.display.DisplayData data ? data
                : dlkit.kernel.Display.render(value));
    }

    /** Adds jars or class folders (globs allowed), as {@code %classpath} does; returns what was added. */
    public List<String> addToClasspath(String path) {
        return dlkit.kernel.Kernel.lineMagic("classpath", List.of(path));
    }

    /** The kernel's banner (name and version). */
    public String getBanner() {
        return kernel.getBanner();
    }
}
