package dlkit.kernel;

import java.util.List;

/**
 * IJava's and JJava's kernel functions, statically imported into every notebook: run code from code, and the
 * functions magics desugar to.
 *
 * <pre>{@code
 * Object two = eval("1 + 1");
 * List<String> added = lineMagic("jars", List.of("lib/*.jar"));   // what %jars lib/*.jar does
 * cellMagic("loadFromPOM", List.of(), "<dependency>...</dependency>");
 * getKernelInstance().getRenderer().createRegistration(Money.class)...   // IJava's kernel access
 * kernel().getRenderer().createRegistration(Money.class)...              // JJava's
 * }</pre>
 */
public final class Kernel {

    private static volatile JavaKernel kernel;

    private Kernel() {}

    static void install(JavaKernel running) {
        kernel = running;
    }

    private static JavaKernel running() {
        JavaKernel current = kernel;
        if (current == null) {
            throw new IllegalStateException("eval, lineMagic, cellMagic, kernel and getKernelInstance work inside the dlkit Jupyter kernel only");
        }
        return current;
    }

    /**
     * Runs Java code as if it were a cell of its own (magics included) and returns its value.
     *
     * @param code the code
     * @return the value of its last expression, or null
     * @throws RuntimeException the code's error, with the message the notebook would show
     */
    public static Object eval(String code) {
        return running().evalRaw(code);
    }

    /**
     * Runs a line magic, as {@code %name args} does.
     *
     * @param name the magic, e.g. {@code jars}
     * @param args its arguments
     * @param <T> what the caller expects (unchecked, as in IJava)
     * @return what the magic returns, e.g. the paths {@code %jars} added; null for magics without a value
     */
    @SuppressWarnings("unchecked")
    public static <T> T lineMagic(String name, List<String> args) {
        return (T) running().lineMagic(name, args);
    }

    /**
     * Runs a cell magic, as a cell starting with {@code %%name args} does.
     *
     * @param name the magic, e.g. {@code loadFromPOM}
     * @param args its arguments
     * @param body the rest of the cell
     * @param <T> what the caller expects (unchecked, as in IJava)
     * @return what the magic returns
     */
    @SuppressWarnings("unchecked")
    public static <T> T cellMagic(String name, List<String> args, String body) {
        return (T) running().cellMagic(name, args, body);
    }

    /**
     * The running kernel as IJava's {@code getKernelInstance()} gives it, for notebooks written for
     * IJava: its renderer (register how your own types are shown), display, eval and class path.
     *
     * @return the kernel, seen through IJava's API
     */
    public static io.github.spencerpark.ijava.JavaKernel getKernelInstance() {
        return new io.github.spencerpark.ijava.JavaKernel(running());
    }

    /**
     * The running kernel as JJava 1.0's {@code kernel()} gives it, for notebooks written for JJava:
     * JJava's own renderer, display, eval and class path.
     *
     * @return the kernel, seen through JJava's API
     */
    public static org.dflib.jjava.kernel.JavaKernel kernel() {
        return new org.dflib.jjava.kernel.JavaKernel(running());
    }

    /**
     * The running kernel as JJava's own classes take it ({@code BaseKernel.notebookKernel()}), for
     * kernel extensions and libraries written for JJava (DFLib's {@code DFLibJupyter.init}).
     *
     * @return the kernel
     */
    public static org.dflib.jjava.jupyter.kernel.BaseKernel notebookKernel() {
        return running();
    }

    /**
     * Prints formatted text, as JJava's notebook function {@code printf} does.
     *
     * @param format a {@link String#format} pattern
     * @param args its arguments
     */
    public static void printf(String format, Object... args) {
        System.out.printf(format, args);
    }
}
