package org.dflib.jjava.kernel;

import java.util.List;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;

/**
 * The running kernel as notebooks written for JJava 1.0 see it (the notebook function {@code
 * kernel()}): its renderer, display, evaluation and class path. The renderer is JJava's own, the
 * one this kernel renders with. JJava's magics registry and evaluator are not offered: use the
 * magics and {@code lineMagic}/{@code cellMagic} instead.
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
        return kernel.getRenderer();
    }

    /** Shows display data now, as {@code display(data)} does. */
    public void display(DisplayData data) {
        dlkit.kernel.Display.display(data);
    }

    /** Runs code as a cell would and returns its value. */
    public Object evalRaw(String code) {
        return dlkit.kernel.Kernel.eval(code);
    }

    /** Runs code as a cell would and returns its value rendered, as the cell's result would be. */
    public DisplayData eval(String code) {
        Object value = evalRaw(code);
        return value instanceof DisplayData data ? data : dlkit.kernel.Display.render(value);
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
