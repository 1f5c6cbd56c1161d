package dlkit.display;

import java.util.Objects;

/**
 * Static access to the notebook's display, for library code.
 *
 * <p>In a dlkit kernel, {@link #isActive()} is true and {@link #display}/{@link #updateDisplay}
 * produce rich, in-place output. Anywhere else (tests, scripts, headless runs) they fall back to
 * printing {@code toString()}, and {@code updateDisplay} prints a new line instead of rewriting one,
 * so logs stay readable.
 */
public final class Notebook {

    private static volatile DisplaySink sink;

    private Notebook() {}

    /**
     * Connects the library to a kernel's display; called by the kernel at start-up.
     *
     * @param displaySink the kernel's display, or {@code null} to disconnect
     */
    public static void install(DisplaySink displaySink) {
        sink = displaySink;
    }

    /**
     * Tells whether rich output reaches a notebook front end.
     *
     * @return true inside a dlkit kernel
     */
    public static boolean isActive() {
        return sink != null;
    }

    /**
     * Shows an object as a new output.
     *
     * @param value what to show
     * @return an id for {@link #updateDisplay}; in a console, a placeholder
     */
    public static String display(Object value) {
        DisplaySink current = sink;
        if (current != null) {
            return current.display(value);
        }
        System.out.println(Objects.toString(value));
        return "console";
    }

    /**
     * Replaces an output shown with {@link #display}; in a console, prints a new line.
     *
     * @param id the id {@link #display} returned
     * @param value the new content
     */
    public static void updateDisplay(String id, Object value) {
        DisplaySink current = sink;
        if (current != null) {
            current.updateDisplay(id, value);
        } else {
            System.out.println(Objects.toString(value));
        }
    }
}
