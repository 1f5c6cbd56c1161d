package dlkit.kernel;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Settings read from the environment, with IJava's variable names so IJava setups keep working, and
 * JJava's ({@code JJAVA_...}) where IJava's is not set.
 *
 * <ul>
 *   <li>{@code IJAVA_CLASSPATH}: extra class path entries (path separator; globs like {@code lib/*.jar};
 *       {@code lib/} for the jars in a folder).
 *   <li>{@code IJAVA_STARTUP_SCRIPTS_PATH}: {@code .jsh} files (or globs) run at start-up, in order.
 *   <li>{@code IJAVA_STARTUP_SCRIPT}: code run at start-up, after the scripts.
 *   <li>{@code IJAVA_TIMEOUT}: cell time limit in milliseconds, or with a unit as IJava takes it
 *       ({@code 30 SECONDS}); {@code -1} (default) for none.
 *   <li>{@code IJAVA_COMPILER_OPTS}: {@code javac} options for cell code, space-separated ({@code
 *       -parameters}, {@code --enable-preview --release 17}).
 *   <li>{@code DLKIT_STARTUP}: {@code false} to skip dlkit's own imports.
 * </ul>
 */
record KernelConfig(List<String> classpath, List<String> startupScriptPaths, String startupScript,
                    long timeoutMillis, List<String> compilerOptions, boolean dlkitStartup) {

    static KernelConfig fromEnvironment() {
        return from(System.getenv());
    }

    static KernelConfig from(Map<String, String> env) {
        return new KernelConfig(
                split(setting(env, "CLASSPATH")),
                split(setting(env, "STARTUP_SCRIPTS_PATH")),
                Objects.requireNonNullElse(setting(env, "STARTUP_SCRIPT"), ""),
                parseTimeout(setting(env, "TIMEOUT")),
                words(setting(env, "COMPILER_OPTS")),
                !"false".equalsIgnoreCase(env.getOrDefault("DLKIT_STARTUP", "true").trim()));
    }

    /** IJava's variable, else JJava's of the same name. */
    private static String setting(Map<String, String> env, String name) {
        String ijava = env.get("IJAVA_" + name);
        return ijava != null ? ijava : env.get("JJAVA_" + name);
    }

    /** Milliseconds, or IJava's "amount unit" form ({@code 30 SECONDS}); -1 for no limit. */
    static long parseTimeout(String raw) {
        if (raw == null || raw.isBlank()) {
            return -1;
        }
        String[] parts = raw.trim().split("\\s+");
        try {
            long value = Long.parseLong(parts[0]);
            TimeUnit unit = parts.length == 1 ? TimeUnit.MILLISECONDS
                    : parts.length == 2 ? TimeUnit.valueOf(parts[1].toUpperCase(Locale.ROOT)) : null;
            if (unit == null) {
                throw new NumberFormatException();
            }
            return value <= 0 ? -1 : unit.toMillis(value);
        } catch (IllegalArgumentException e) { // NumberFormatException too
            throw new IllegalArgumentException("IJAVA_TIMEOUT must be a whole number of milliseconds, or a number"
                    + " and a unit such as '30 SECONDS' or '5 MINUTES' (-1 for no limit), got '" + raw + "'");
        }
    }

    private static List<String> words(String raw) {
        return raw == null || raw.isBlank() ? List.of() : List.of(raw.trim().split("\\s+"));
    }

    private static List<String> split(String raw) {
        List<String> parts = new ArrayList<>();
        if (raw != null) {
            for (String part : raw.split(File.pathSeparator)) {
                if (!part.isBlank()) {
                    parts.add(part.trim());
                }
            }
        }
        return parts;
    }

    /** True when a cell time limit is set. */
    boolean hasTimeout() {
        return timeoutMillis > 0;
    }

    /** Resolves a path against the kernel's working directory. */
    static Path resolve(String path) {
        if (path.startsWith("~" + File.separator) || path.equals("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        return Path.of(path).toAbsolutePath().normalize();
    }

    /** Expands a path that may contain a glob ({@code lib/*.jar}); a plain path must exist. */
    static List<Path> glob(String pattern) throws IOException {
        if (!pattern.contains("*") && !pattern.contains("?") && !pattern.contains("[") && !pattern.contains("{")) {
            Path path = resolve(pattern);
            if (!Files.exists(path)) {
                throw new IOException("No such file or directory: " + path);
            }
            return List.of(path);
        }
        Path absolute = resolve(pattern.substring(0, Math.max(0, firstGlobSegmentStart(pattern))));
        String rest = pattern.substring(firstGlobSegmentStart(pattern));
        var matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        List<Path> matches;
        try (var walk = Files.walk(absolute, rest.split("/").length)) {
            matches = walk.filter(p -> matcher.matches(absolute.relativize(p)))
                    .filter(p -> !Files.isDirectory(p) || !rest.endsWith(".jar"))
                    .sorted()
                    .collect(Collectors.toList());
        }
        if (matches.isEmpty()) {
            throw new IOException("Nothing matches " + pattern + " (looked in " + absolute + ")");
        }
        return matches;
    }

    private static int firstGlobSegmentStart(String pattern) {
        int firstWildcard = pattern.length();
        for (char c : new char[] {'*', '?', '[', '{'}) {
            int i = pattern.indexOf(c);
            if (i >= 0) {
                firstWildcard = Math.min(firstWildcard, i);
            }
        }
        int slash = pattern.lastIndexOf('/', firstWildcard);
        return slash + 1;
    }
}
