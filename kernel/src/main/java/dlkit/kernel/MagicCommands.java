package dlkit.kernel;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.eclipse.aether.artifact.Artifact;

/**
 * What the magics do. Each returns what IJava's returns (the paths added for {@code %jars} and
 * {@code %classpath}), so that a magic can be used as an expression.
 *
 * <table>
 *   <tr><td>{@code %jars glob...}</td><td>adds jars (a folder: every jar in it)</td></tr>
 *   <tr><td>{@code %classpath path...}</td><td>adds jars or class folders</td></tr>
 *   <tr><td>{@code %load file}</td><td>runs a {@code .java}/{@code .jsh} file or a notebook's code cells</td></tr>
 *   <tr><td>{@code %maven coords... [--from repo]}</td><td>adds artifacts with their runtime dependencies</td></tr>
 *   <tr><td>{@code %mavenRepo id url}</td><td>adds a repository for {@code %maven}</td></tr>
 *   <tr><td>{@code %loadFromPOM pom [scopes]}, {@code %%loadFromPOM [scopes]}</td><td>adds a POM's dependencies</td></tr>
 *   <tr><td>{@code %time code}, {@code %%time}</td><td>runs the code, then prints its wall and CPU time ({@link #timed})</td></tr>
 * </table>
 *
 * <p>Notebooks written for two other Java kernels run too: BeakerX's {@code %classpath add jar path}
 * and {@code %classpath add mvn group artifact version}, and rapaio-jupyter-kernel's {@code
 * %dependency /add coords}, {@code /add-repo id url}, {@code /resolve} and {@code /list-...}.
 */
final class MagicCommands {

    /** Where the magics act: the notebook's class path and its code. */
    interface Notebook {
        void addToClasspath(Path path);

        void runCell(String code);
    }

    /** A source file's package declaration, which JShell rejects ("illegal start of expression"). */
    private static final Pattern PACKAGE = Pattern.compile("(?m)^[ \\t]*package\\s+[\\w.]+\\s*;");

    private final Notebook notebook;
    private final ClasspathIndex classpath = new ClasspathIndex();
    private MavenResolver maven;
    /** rapaio's {@code %dependency /add}: declared, resolved together by {@code /resolve}. */
    private final List<String> declared = new ArrayList<>();
    private final List<String> resolved = new ArrayList<>();
    private List<String> lastArtifacts = List.of();

    MagicCommands(Notebook notebook) {
        this.notebook = notebook;
    }

    /** Runs a line magic by name or alias; returns its value (null for magics without one). */
    Object line(String name, List<String> args) throws Exception {
        String command = Magics.LINE.get(name);
        if (command == null) {
            throw new CellError("UnknownMagic", "%" + name + " is not a magic of this kernel", List.of(magicList()));
        }
        return switch (command) {
            case "lsmagic" -> {
                System.out.println(magicList());
                yield null;
            }
            case "jars" -> add(name, args, true);
            case "classpath" -> !args.isEmpty() && args.get(0).equals("add") ? beakerxAdd(args) : add(name, args, false);
            case "dependency" -> dependency(args);
            case "load" -> load(args);
            case "maven" -> maven(args);
            case "mavenRepo" -> mavenRepo(args);
            default -> loadFromPom(args);
        };
    }

    /** Runs a cell magic; returns its value. */
    Object cell(String name, List<String> args, String body) throws Exception {
        if (!Magics.CELL.contains(name)) {
            throw new CellError("UnknownMagic", "%%" + name + " is not a cell magic of this kernel", List.of(magicList()));
        }
        if (TextMagics.NAMES.contains(name)) {
            return TextMagics.run(name, args, body);
        }
        require(!body.isBlank(), "%%loadFromPOM needs POM elements below it, e.g. <dependency>...</dependency>");
        return addArtifacts(resolver().resolvePom(PomFragment.complete(body), args), "%%loadFromPOM");
    }

    /** Every magic, as {@code %lsmagic} prints it and an unknown magic's error lists it. */
    static String magicList() {
        return "Line magics: " + Magics.LINE.keySet().stream().sorted().map(n -> "%" + n).collect(Collectors.joining(", "))
                + "; cell magics: " + Magics.CELL.stream().map(n -> "%%" + n).collect(Collectors.joining(", "));
    }

    private List<String> add(String name, List<String> args, boolean jarsOnly) throws IOException {
        require(!args.isEmpty(), "%" + name + " needs a path or glob, e.g. %" + name + " lib/*.jar");
        List<String> added = new ArrayList<>();
        for (String arg : args) {
            for (Path path : KernelConfig.glob(arg)) {
                if (jarsOnly && Files.isDirectory(path)) {
                    try (var jars = Files.list(path)) {
                        for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                            added.add(addPath(jar));
                        }
                    }
                } else {
                    added.add(addPath(path));
                }
            }
        }
        return added;
    }

    /** BeakerX's {@code %classpath add jar path...} and {@code %classpath add mvn g a v} (or {@code g:a:v}). */
    private List<String> beakerxAdd(List<String> args) throws IOException {
        String kind = args.size() > 1 ? args.get(1) : "";
        List<String> rest = args.subList(Math.min(2, args.size()), args.size());
        if (kind.equals("jar")) {
            return add("classpath add jar", rest, true);
        }
        require(kind.equals("mvn") && (rest.size() == 1 || rest.size() == 3), "%classpath add takes BeakerX's forms:"
                + " %classpath add jar lib/x.jar, or %classpath add mvn group artifact version (or group:artifact:version)");
        return maven(List.of(rest.size() == 3 ? String.join(":", rest) : rest.get(0)));
    }

    /** rapaio-jupyter-kernel's {@code %dependency}: declare with {@code /add}, then {@code /resolve} them together. */
    private Object dependency(List<String> args) {
        String verb = args.isEmpty() ? "" : args.get(0);
        List<String> rest = args.subList(Math.min(1, args.size()), args.size());
        switch (verb) {
            case "/add" -> {
                require(!rest.isEmpty(), "%dependency /add needs coordinates, e.g. %dependency /add com.google.code.gson:gson:2.10.1");
                declared.add(rest.get(0)); // --optional: every declared dependency is resolved alike here
                return null;
            }
            case "/add-repo" -> {
                require(rest.size() >= 2, "%dependency /add-repo needs a name and a URL, e.g. %dependency /add-repo google https://maven.google.com/");
                return mavenRepo(rest.subList(0, 2));
            }
            case "/resolve" -> {
                List<String> coordinates = List.copyOf(declared);
                declared.clear(); // as rapaio does: a failed resolve clears the candidates too
                lastArtifacts = coordinates.isEmpty() ? List.of() : maven(coordinates);
                resolved.addAll(coordinates);
                return lastArtifacts;
            }
            case "/list-repos" -> resolver().repositories().forEach(System.out::println);
            case "/list-dependencies" -> {
                declared.forEach(d -> System.out.println("proposed " + d));
                resolved.forEach(d -> System.out.println("resolved " + d));
            }
            case "/list-artifacts" -> lastArtifacts.forEach(System.out::println);
            default -> throw new IllegalArgumentException("%dependency takes /add coords, /add-repo name url, /resolve,"
                    + " /list-repos, /list-dependencies or /list-artifacts, not '" + verb + "'");
        }
        return null;
    }

    private String addPath(Path path) {
        if (classpath.add(path)) {
            notebook.addToClasspath(path);
        }
        return path.toAbsolutePath().toString();
    }

    private Object load(List<String> args) throws IOException {
        require(args.size() == 1, "%load needs one file, e.g. %load helpers.jsh (.java, .jsh or .ipynb)");
        Path file = KernelConfig.resolve(args.get(0));
        List<String> sources = loadSources(file);
        if (file.toString().endsWith(".java") && PACKAGE.matcher(Files.readString(file)).find()) {
            System.out.println("%load " + file.getFileName() + ": its package line is left out; JShell defines"
                    + " classes at the top level, so use their simple names");
        }
        for (String code : sources) {
            notebook.runCell(code);
        }
        return null;
    }


    private List<String> maven(List<String> args) {
        List<String> coordinates = new ArrayList<>();
        Set<String> from = new LinkedHashSet<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--from")) {
                require(i + 1 < args.size(), "--from needs a repository id (see %mavenRepo)");
                from.add(args.get(++i));
            } else if (!args.get(i).equals("-v") && !args.get(i).equals("--verbose")) {
                coordinates.add(args.get(i));
            }
        }
        require(!coordinates.isEmpty(), "%maven needs coordinates, e.g. %maven org.apache.commons:commons-lang3:3.14.0");
        List<String> added = new ArrayList<>();
        for (String c : coordinates) {
            added.addAll(addArtifacts(resolver().resolve(c, from), "%maven " + c));
        }
        return added;
    }

    private Object mavenRepo(List<String> args) {
        require(args.size() == 2, "%mavenRepo needs an id and a URL, e.g. %mavenRepo snapshots https://example.org/maven2/");
        resolver().addRepository(args.get(0), args.get(1));
        System.out.println("%mavenRepo: " + args.get(0) + " = " + args.get(1));
        return null;
    }

    private List<String> loadFromPom(List<String> args) throws IOException {
        require(!args.isEmpty(), "%loadFromPOM needs a POM file, e.g. %loadFromPOM pom.xml [scopes...]");
        String pom = Files.readString(KernelConfig.resolve(args.get(0)));
        return addArtifacts(resolver().resolvePom(pom, args.subList(1, args.size())), "%loadFromPOM " + args.get(0));
    }

    /** Adds the jars the kernel lacks and prints one line saying what was added and what was not. */
    private List<String> addArtifacts(List<Artifact> artifacts, String what) {
        List<String> added = new ArrayList<>();
        List<String> present = new ArrayList<>();
        List<String> shadowed = new ArrayList<>();
        for (Artifact a : artifacts) {
            String kernel = classpath.kernelVersion(a);
            String label = a.getArtifactId() + " " + a.getVersion();
            if (kernel == null) {
                added.add(addPath(a.getFile().toPath()));
            } else if (kernel.equals(a.getVersion())) {
                present.add(label);
            } else {
                shadowed.add(a.getArtifactId() + " " + a.getVersion() + " (kernel: " + kernel + ")");
            }
        }
        StringBuilder line = new StringBuilder(what).append(": added ").append(added.size())
                .append(added.size() == 1 ? " jar" : " jars");
        if (!added.isEmpty()) {
            line.append(" (").append(added.stream().map(p -> Path.of(p).getFileName().toString())
                    .collect(Collectors.joining(", "))).append(')');
        }
        if (!present.isEmpty()) {
            line.append("; already on the kernel's class path: ").append(String.join(", ", present));
        }
        if (!shadowed.isEmpty()) {
            line.append("; not added, another version is on the kernel's class path: ").append(String.join(", ", shadowed));
        }
        System.out.println(line);
        return added;
    }

    private MavenResolver resolver() {
        if (maven == null) {
            maven = MavenResolver.fromEnvironment();
        }
        return maven;
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException(what);
        }
    }

    /** The code a file contributes: its text, or every code cell of a notebook. */
    static List<String> loadSources(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("No such file: " + file);
        }
        String name = file.getFileName().toString();
        String text = Files.readString(file);
        if (name.endsWith(".java")) {
            Matcher m = PACKAGE.matcher(text);
            return List.of(m.find() ? text.substring(0, m.start()) + text.substring(m.end()) : text);
        }
        if (name.endsWith(".jsh") || name.endsWith(".jshell")) {
            return List.of(text);
        }
        if (name.endsWith(".ipynb")) {
            List<String> cells = new ArrayList<>();
            JsonObject notebook = JsonParser.parseString(text).getAsJsonObject();
            for (JsonElement cell : notebook.getAsJsonArray("cells")) {
                JsonObject object = cell.getAsJsonObject();
                if (!"code".equals(object.get("cell_type").getAsString())) {
                    continue;
                }
                JsonElement source = object.get("source");
                if (source.isJsonArray()) {
                    StringBuilder code = new StringBuilder();
                    for (JsonElement line : (JsonArray) source) {
                        code.append(line.getAsString());
                    }
                    cells.add(code.toString());
                } else {
                    cells.add(source.getAsString());
                }
            }
            return cells;
        }
        throw new IOException("%load reads .java, .jsh and .ipynb files, not " + name);
    }

    /**
     * {@code %time} and {@code %%time} (IPython's and JJava's): runs the code, then prints its wall
     * time and the CPU time of the whole kernel process meanwhile, libtorch's threads included;
     * returns the code's value. The times are printed when the code fails too.
     */
    static Object timed(Supplier<Object> code) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        long cpu = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
        long start = System.nanoTime();
        try {
            return code.get();
        } finally {
            double wall = (System.nanoTime() - start) / 1e9;
            String cpuText = cpu < 0 ? "CPU time: not measurable on this JVM" : String.format(Locale.ROOT,
                    "CPU time: %.3f s (every thread of the kernel)",
                    (((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() - cpu) / 1e9);
            System.out.printf(Locale.ROOT, "%s%nWall time: %.3f s%n", cpuText, wall);
        }
    }
}
