package dlkit.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * IJava's magics, parsed: line magics ({@code %name args}), cell magics ({@code %%name args} on
 * the first line, the rest of the cell as the body) and line magics used as expressions ({@code
 * List<String> added = %jars lib/*.jar}).
 *
 * <p>A line that is only a magic runs in the kernel between the code around it, in order, so a
 * {@code %maven} line can come first and the code below it uses the new classes. A magic after an
 * {@code =} becomes a call to {@link Kernel#lineMagic}, as IJava desugars it, and returns what the
 * magic returns.
 */
final class Magics {

    /** Line magics and their aliases (IJava's names), mapped to the command that runs them. */
    static final Map<String, String> LINE = Map.ofEntries(
            Map.entry("jars", "jars"),
            Map.entry("classpath", "classpath"),
            Map.entry("dependency", "dependency"),
            Map.entry("load", "load"),
            Map.entry("maven", "maven"),
            Map.entry("addMavenDependency", "maven"),
            Map.entry("addMavenDependencies", "maven"),
            Map.entry("mavenRepo", "mavenRepo"),
            Map.entry("addMavenRepo", "mavenRepo"),
            Map.entry("loadFromPOM", "loadFromPOM"),
            Map.entry("time", "time"),
            Map.entry("lsmagic", "lsmagic"));

    /** Cell magics. */
    static final List<String> CELL = Stream.concat(Stream.of("loadFromPOM", "time"),
            TextMagics.NAMES.stream()).toList();

    private static final Pattern MAGIC_LINE = Pattern.compile("^[ \\t]*%([A-Za-z][\\w-]*)(.*)$");
    private static final Pattern CELL_MAGIC = Pattern.compile("^\\s*%%([A-Za-z][\\w-]*)([^\\n]*)(?:\\n(.*))?$",
            Pattern.DOTALL);
    private static final Pattern MAGIC_EXPRESSION = Pattern.compile("=\\s*%([A-Za-z][\\w-]*)(.*)$");

    private Magics() {}

    /** A piece of a cell: Java code, or one magic with its arguments. */
    sealed interface Segment permits Code, Magic {}

    /** Java source, run by JShell; {@code firstLine} is its first line in the cell, from 1. */
    record Code(String source, int firstLine) implements Segment {}

    /** {@code %name args}; {@code text} is the line after the name; {@code line} the cell line it came from, from 1. */
    record Magic(String name, List<String> args, String text, int line) implements Segment {}

    /** {@code %%name args} and the rest of the cell. */
    record CellMagic(String name, List<String> args, String body) {}

    /** The cell magic a cell starts with, or null. */
    static CellMagic cellMagic(String cell) {
        Matcher m = CELL_MAGIC.matcher(cell);
        if (!m.matches()) {
            return null;
        }
        return new CellMagic(m.group(1), arguments(m.group(2)), m.group(3) == null ? "" : m.group(3));
    }

    /**
     * Splits a cell into code and magic lines, keeping their order; magics after {@code =} are
     * rewritten into {@link Kernel#lineMagic} calls inside the code.
     */
    static List<Segment> split(String cell) {
        List<Segment> segments = new ArrayList<>();
        StringBuilder code = new StringBuilder();
        int codeStart = 1;
        String[] lines = cell.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = MAGIC_LINE.matcher(lines[i]);
            if (m.matches()) {
                if (!code.toString().isBlank()) {
                    segments.add(new Code(code.toString(), codeStart));
                }
                code.setLength(0);
                codeStart = i + 2;
                segments.add(new Magic(m.group(1), arguments(m.group(2)), m.group(2).strip(), i + 1));
            } else {
                code.append(expression(lines[i]));
                if (i < lines.length - 1) {
                    code.append('\n');
                }
            }
        }
        if (!code.toString().isBlank()) {
            segments.add(new Code(code.toString(), codeStart));
        }
        return segments;
    }

    /** {@code x = %jars a b;} becomes {@code x = dlkit.kernel.Kernel.lineMagic("jars", List.of("a", "b"));}. */
    static String expression(String line) {
        Matcher m = MAGIC_EXPRESSION.matcher(line);
        if (!m.find() || insideString(line.substring(0, m.start()))) {
            return line;
        }
        String rest = m.group(2).stripTrailing();
        if (rest.endsWith(";")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        StringBuilder call = new StringBuilder("= dlkit.kernel.Kernel.lineMagic(").append(literal(m.group(1)))
                .append(", java.util.List.of(");
        // %time takes Java code, whose quotes and spaces must reach it as written.
        List<String> args = m.group(1).equals("time") ? List.of(rest.strip()) : arguments(rest);
        for (int i = 0; i < args.size(); i++) {
            call.append(i > 0 ? ", " : "").append(literal(args.get(i)));
        }
        call.append("));"); // the magic takes the rest of the line, so the statement ends here
        return line.substring(0, m.start()) + call;
    }

    private static boolean insideString(String prefix) {
        boolean inside = false;
        for (int i = 0; i < prefix.length(); i++) {
            if (prefix.charAt(i) == '"' && (i == 0 || prefix.charAt(i - 1) != '\\')) {
                inside = !inside;
            }
        }
        return inside;
    }

    /** A Java string literal for any text. */
    static String literal(String text) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Replaces magic lines (and a leading cell magic) by spaces, so offsets stay valid for code analysis. */
    static String mask(String cell) {
        if (cellMagic(cell) != null) {
            return " ".repeat(cell.length());
        }
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
