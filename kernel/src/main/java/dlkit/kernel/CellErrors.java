package dlkit.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Turns JShell's compile and runtime errors into what a student can act on: the cell line (not
 * the line within JShell's snippet), each frame once, names without JShell's wrapper classes.
 *
 * <p>JShell names a frame's file {@code #<snippet id>} and numbers lines within the snippet; the
 * kernel records where each snippet started (cell and line), so a frame in a method defined three
 * cells ago reads {@code at Foo.f (cell [3], line 2)}.
 */
final class CellErrors {

    /** {@code REPL.$JShell$26.} and {@code $JShell$27$}: JShell's wrappers, never the user's names. */
    private static final Pattern WRAPPER = Pattern.compile("REPL\\.\\$JShell\\$\\d+[A-Z]?\\.|\\$JShell\\$\\d+[A-Z]?\\$|REPL\\.");

    /** Where a snippet came from. */
    record Origin(int cell, int firstLine) {}

    private final Map<String, Origin> origins = new ConcurrentHashMap<>();

    /** Records where snippet {@code id} starts: cell (execution count) and line in that cell. */
    void remember(Snippet snippet, int cell, int firstLine) {
        origins.put(snippet.id(), new Origin(cell, firstLine));
    }

    /** A compile error: the first message, then each error with its line and a caret. */
    CellError compileError(JShell jshell, Snippet snippet, String source, int firstLine) {
        List<String> lines = new ArrayList<>();
        List<Diag> diags = jshell.diagnostics(snippet).collect(Collectors.toList());
        String[] sourceLines = source.split("\n", -1);
        String message = null;
        for (Diag diag : diags) {
            if (!diag.isError()) {
                continue;
            }
            String text = clean(diag.getMessage(Locale.ROOT)).replaceAll("(?m)^(\\s*location:) class\\s*$", "$1 the cell's code");
            long pos = diag.getStartPosition();
            int lineIndex = 0;
            long lineStart = 0;
            while (pos >= 0 && lineIndex < sourceLines.length - 1 && lineStart + sourceLines[lineIndex].length() < pos) {
                lineStart += sourceLines[lineIndex].length() + 1;
                lineIndex++;
            }
            if (message == null) {
                message = text.lines().findFirst().orElse(text) + (pos >= 0 ? " (line " + (firstLine + lineIndex) + ")" : "");
            }
            lines.add(text);
            if (pos >= 0 && lineIndex < sourceLines.length) {
                lines.add(String.format("%4d | %s", firstLine + lineIndex, sourceLines[lineIndex]));
                int col = (int) Math.max(0, pos - lineStart);
                int end = (int) Math.max(col + 1, Math.min(diag.getEndPosition() - lineStart, sourceLines[lineIndex].length()));
                lines.add("     | " + " ".repeat(col) + "^" + "-".repeat(Math.max(0, end - col - 1)));
            }
        }
        if (message == null) {
            message = "the snippet could not be compiled";
            lines.add(source.strip());
        }
        return new CellError("CompilationError", message, lines);
    }

    /** A runtime error: exception class, message, and the frames of cell and library code, once each. */
    CellError runtimeError(JShell jshell, JShellException exception, int cell) {
        if (exception instanceof UnresolvedReferenceException unresolved) {
            List<String> missing = jshell.unresolvedDependencies(unresolved.getSnippet()).collect(Collectors.toList());
            return new CellError("UnresolvedReference", "'" + unresolved.getSnippet().source().strip()
                    + "' uses something not defined yet: " + String.join(", ", missing),
                    List.of("Define " + String.join(", ", missing) + " in a cell, then run this again."));
        }
        EvalException eval = (EvalException) exception;
        String name = eval.getExceptionClassName();
        String message = clean(eval.getMessage() == null ? "" : eval.getMessage());
        if (name.equals(ExitGuard.CellExit.class.getName())) {
            return new CellError("SystemExit", message + " was called in the cell: the kernel keeps running and every"
                    + " variable keeps its value", List.of("To restart the kernel, use Kernel > Restart."));
        }
        List<String> trace = new ArrayList<>();
        Throwable current = eval;
        boolean first = true;
        while (current != null) {
            if (!first) {
                String causeName = current instanceof EvalException ce ? ce.getExceptionClassName() : current.getClass().getName();
                trace.add("Caused by: " + causeName + ": " + clean(String.valueOf(current.getMessage())));
            }
            for (StackTraceElement element : current.getStackTrace()) {
                String line = frame(element, cell);
                if (line != null && (trace.isEmpty() || !trace.get(trace.size() - 1).equals(line))) {
                    trace.add(line);
                }
            }
            current = current.getCause();
            first = false;
        }
        if (name.equals("java.lang.OutOfMemoryError")) {
            message = message + " (the Java heap is full; the kernel keeps running. Free large objects, "
                    + "e.g. set variables to null, or give the kernel more memory with DLKIT_KERNEL_XMX)";
        }
        return new CellError(name, message, trace);
    }

    /** One frame, or null for JShell's and reflection's own frames. */
    private String frame(StackTraceElement element, int cell) {
        String cls = element.getClassName();
        if (cls.startsWith("jdk.jshell.") || cls.startsWith("java.lang.reflect.")
                || cls.startsWith("jdk.internal.reflect.") || cls.startsWith("java.lang.Thread")
                || cls.startsWith("dlkit.kernel.ExitGuard")) {
            return null;
        }
        String file = element.getFileName();
        if (file == null || !file.startsWith("#")) {
            return "    at " + clean(element.toString());
        }
        Origin origin = origins.get(file.substring(1));
        String method = clean(cls).isEmpty() ? "" : clean(cls) + "." + element.getMethodName();
        String where;
        if (origin == null) {
            where = "line " + element.getLineNumber() + " of an earlier snippet";
        } else {
            int line = origin.firstLine() + element.getLineNumber() - 1;
            where = origin.cell() == cell ? "line " + line : "cell [" + origin.cell() + "], line " + line;
        }
        return "    at " + (method.isEmpty() ? where : method + " (" + where + ")");
    }

    /** Removes JShell's wrapper names from a message or class name. */
    static String clean(String text) {
        return WRAPPER.matcher(text).replaceAll("");
    }
}
