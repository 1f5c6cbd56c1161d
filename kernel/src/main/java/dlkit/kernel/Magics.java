package dlkit.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IJava's line magics: a line starting with {@code %name} runs a kernel command instead of Java.
 *
 * <p>A cell is split into code and magic lines, run in order; {@code %maven} can come first and
 * the code below it uses the new classes.
 */
final class Magics {

    /** The magics this kernel knows. */
    static final List<String> NAMES = List.of("jars", "classpath", "load", "maven");

    private static final Pattern MAGIC_LINE = Pattern.compile("^[ \\t]*%([A-Za-z][\\w-]*)(.*)$");

    private Magics() {}

    /** A piece of a cell: Java code, or one magic with its arguments. */
    sealed interface Segment permits Code, Magic {}

    /** Java source, run by JShell. */
    record Code(String source) implements Segment {}

    /** {@code %name args}; {@code line} is the cell line it came from, from 1. */
    record Magic(String name, List<String> args, int line) implements Segment {}

    /** Splits a cell into code and magic lines, keeping their order. */
    static List<Segment> split(String cell) {
        List<Segment> segments = new ArrayList<>();
        StringBuilder code = new StringBuilder();
        String[] lines = cell.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = MAGIC_LINE.matcher(lines[i]);
            if (m.matches()) {
                if (!code.toString().isBlank()) {
                    segments.add(new Code(code.toString()));
                }
                code.setLength(0);
                segments.add(new Magic(m.group(1), arguments(m.group(2)), i + 1));
            } else {
                code.append(lines[i]);
                if (i < lines.length - 1) {
                    code.append('\n');
                }
            }
        }
        if (!code.toString().isBlank()) {
            segments.add(new Code(code.toString()));
        }
        return segments;
    }

    /** Replaces magic lines by spaces, so offsets into the cell stay valid for code analysis. */
    static String mask(String cell) {
        String[] lines = cell.split("\n", -1);
        StringBuilder out = new StringBuilder(cell.length());
        for (int i = 0; i < lines.length; i++) {
            out.append(MAGIC_LINE.matcher(lines[i]).matches() ? " ".repeat(lines[i].length()) : lines[i]);
            if (i < lines.length - 1) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** Splits magic arguments on whitespace; single or double quotes keep spaces. */
    static List<String> arguments(String raw) {
        List<String> args = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        boolean inArg = false;
        for (char c : raw.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    current.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inArg = true;
            } else if (Character.isWhitespace(c)) {
                if (inArg) {
                    args.add(current.toString());
                    current.setLength(0);
                    inArg = false;
                }
            } else {
                current.append(c);
                inArg = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("Unclosed " + quote + " quote in magic arguments: " + raw.trim());
        }
        if (inArg) {
            args.add(current.toString());
        }
        return args;
    }
}
