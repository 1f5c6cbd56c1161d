package dlkit.kernel;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * IJava's display functions, statically imported into every notebook.
 *
 * <pre>{@code
 * String id = display(chart);          // show now, keep the id
 * updateDisplay(id, chartAfterEpoch);  // replace that output in place
 * display(table, "text/plain");        // only some MIME types
 * render(image, "image/png")           // as a cell's last expression
 * }</pre>
 */
public final class Display {

    private static volatile JavaKernel kernel;

    private Display() {}

    static void install(JavaKernel running) {
        kernel = running;
    }

    private static JavaKernel kernel() {
        JavaKernel current = kernel;
        if (current == null) {
            throw new IllegalStateException("display(...) works inside the dlkit Jupyter kernel only; "
                    + "outside it use dlkit.display.Notebook, which falls back to printing");
        }
        return current;
    }

    /**
     * Shows a value as a new output of the running cell.
     *
     * @param value what to show (charts, tables, images, arrays, any object)
     * @return the output's id, for {@link #updateDisplay(String, Object)}
     */
    public static String display(Object value) {
        return kernel().display(value);
    }

    /**
     * Shows a value rendered as the given MIME types only (text/plain is always added).
     *
     * @param value what to show
     * @param mimeTypes e.g. {@code "text/html"} or {@code "image/png"}
     * @return the output's id
     */
    public static String display(Object value, String... mimeTypes) {
        JavaKernel k = kernel();
        return k.displayData(k.renderAs(value, mimeTypes));
    }

    /**
     * Renders a value without showing it; as a cell's last expression it becomes the cell's output.
     *
     * @param value what to render
     * @param mimeTypes the MIME types wanted; none means every type the value supports
     * @return the rendered bundle
     */
    public static DisplayData render(Object value, String... mimeTypes) {
        return kernel().renderAs(value, mimeTypes);
    }

    /**
     * Replaces an output shown with {@link #display(Object)}.
     *
     * @param id the id display returned
     * @param value the new content
     */
    public static void updateDisplay(String id, Object value) {
        kernel().updateDisplay(id, value);
    }

    /**
     * Replaces an output with a value rendered as the given MIME types.
     *
     * @param id the id display returned
     * @param value the new content
     * @param mimeTypes the MIME types wanted
     */
    public static void updateDisplay(String id, Object value, String... mimeTypes) {
        JavaKernel k = kernel();
        k.updateDisplayData(id, k.renderAs(value, mimeTypes));
    }
}
