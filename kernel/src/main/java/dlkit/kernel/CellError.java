package dlkit.kernel;

import java.util.List;

/**
 * A cell that failed, in the shape Jupyter shows: error name, message and traceback lines.
 */
final class CellError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final List<String> traceback;

    CellError(String name, String message, List<String> traceback) {
        super(message);
        this.name = name;
        this.traceback = List.copyOf(traceback);
    }

    /** The error's name, e.g. {@code CompilationError} or {@code java.lang.ArithmeticException}. */
    String name() {
        return name;
    }

    /** Lines shown under the error. */
    List<String> traceback() {
        return traceback;
    }
}
