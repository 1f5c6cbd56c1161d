package dlkit.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * Runs cells in JShell, in this JVM: starts JShell and the start-up imports and scripts in the
 * background, splits a cell into its magics and Java snippets, evaluates them in order, reads
 * each result as the live object, and stops a cell on interrupt or time-out.
 *
 * <p>JShell starts before anything else of the kernel: its first compilation (javac starting
 * cold, about a second) is most of a cold start, so the rest of the start-up overlaps it.
 */
final class Cells {

    /** {@code display(x)} as a statement: its id is not echoed (assign it to keep it). */
    private static final Pattern DISPLAY_CALL = Pattern.compile("\\s*display\\s*\\(.*\\)\\s*;?\\s*", Pattern.DOTALL);

    private final KernelConfig config;
    private final CellExecutionControl.Provider provider = new CellExecutionControl.Provider();
    private final CompletableFuture<JShell> shell = new CompletableFuture<>();
    /** Completed once display calls reach the notebook; user start-up scripts wait for it. */
    private final CompletableFuture<Void> displayReady = new CompletableFuture<>();
    private final Map<String, Class<?>> variableWrappers = new ConcurrentHashMap<>();
    private final List<String> startupErrors = Collections.synchronizedList(new ArrayList<>());
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cell-timeout");
        t.setDaemon(true);
        return t;
    });
    private final CellErrors errors = new CellErrors();
    /** Jars added to the class path and not yet announced to {@link #onJarsAdded}'s listener. */
    private final List<Path> addedJars = Collections.synchronizedList(new ArrayList<>());
    private volatile Consumer<List<Path>> jarsAdded = jars -> { };
    private final MagicCommands magics = new MagicCommands(new MagicCommands.Notebook() {
        @Override
        public void addToClasspath(Path path) {
            jshell().addToClasspath(path.toString());
            addedJars.add(path);
        }

        @Override
        public void runCell(String code) {
            run(code);
        }
    });
    /** How many snippets are being evaluated: more than 1 while a cell's eval(...) runs. */
    private final AtomicInteger depth = new AtomicInteger();
    /** The notebook's on-demand imports over the start-up ones; set when JShell has started. */
    private volatile ImportShadows shadows;
    /** The execution count of the cell being run. */
    private volatile int cell;
    /** Why the running cell was stopped; null while it runs normally. */
    private volatile String stopReason;

    private Cells(KernelConfig config) {
        this.config = config;
    }

    /** Creates the cells' JShell and starts it in the background. */
    static Cells start(KernelConfig config) {
        Cells cells = new Cells(config);
        Thread starter = new Thread(cells::startShell, "jshell-start");
        starter.setDaemon(true);
        starter.start();
        return cells;
    }

    /** Is told of the jars each magic (and IJAVA_CLASSPATH) added: JJava extensions install from them. */
    void onJarsAdded(Consumer<List<Path>> listener) {
        jarsAdded = listener;
    }

    private void announceJars() {
        List<Path> jars;
        synchronized (addedJars) {
            jars = List.copyOf(addedJars);
            addedJars.clear();
        }
        if (!jars.isEmpty()) {
            jarsAdded.accept(jars);
        }
    }

    /** Display calls reach the notebook from now on (user start-up scripts wait for this). */
    void displayInstalled() {
        displayReady.complete(null);
    }

    /** The execution count of the cell about to run, for error messages that name cells. */
    void begin(int count) {
        cell = count;
    }

    /** Start-up errors not reported yet; reported with the first cell. */
    List<String> takeStartupErrors() {
        synchronized (startupErrors) {
            List<String> taken = List.copyOf(startupErrors);
            startupErrors.clear();
            return taken;
        }
    }

    // ---------------------------------------------------------------- start-up

    /** {@code -g}, then IJAVA_COMPILER_OPTS. */
    private String[] compilerOptions() {
        List<String> options = new ArrayList<>(List.of("-g"));
        options.addAll(config.compilerOptions());
        return options.toArray(String[]::new);
    }

    private void startShell() {
        KernelMain.trace("jshell start");
        try {
            JShell jshell = JShell.builder()
                    .executionEngine(provider, Map.of())
                    .compilerOptions(compilerOptions()) // -g: local variable names in messages ("because \"s\" is null")
                    .out(System.out)
                    .err(System.err)
                    .build();
            KernelMain.trace("jshell built");
            // JShell compiles against this JVM's class path already; adding it again doubled what
            // javac scans. IJAVA_CLASSPATH adds to it.
            for (String entry : config.classpath()) {
                // IJava's rule: a path ending in / stands for what is in that folder, here its jars
                for (Path path : KernelConfig.glob(entry.endsWith("/") ? entry + "*.jar" : entry)) {
                    jshell.addToClasspath(path.toString());
                    addedJars.add(path); // announced before the first cell
                }
            }
            KernelMain.trace("jshell classpath");
            // IJava's notebook functions are there whatever the start-up settings.
            String startup = config.dlkitStartup() ? readResource("startup.jsh") : "";
            String imports = "import static dlkit.kernel.StartupImports.*;\n"
                    + "import static dlkit.kernel.Display.*;\nimport static dlkit.kernel.Kernel.*;\n" + startup;
            shadows = new ImportShadows(startup); // before the imports: their one-by-one fallback evaluates snippets
            runImports(jshell, imports);
            KernelMain.trace("jshell imports");
            displayReady.join(); // the user's scripts may display; the dlkit imports do not
            for (String entry : config.startupScriptPaths()) {
                for (Path script : KernelConfig.glob(entry.endsWith("/") ? entry + "*" : entry)) {
                    runStartup(jshell, script.toString(), Files.readString(script));
                }
            }
            if (!config.startupScript().isBlank()) {
                runStartup(jshell, "IJAVA_STARTUP_SCRIPT", config.startupScript());
            }
            KernelMain.trace("jshell ready");
            shell.complete(jshell);
        } catch (Throwable e) {
            shell.completeExceptionally(e);
        }
    }

    /**
     * Evaluates import lines as one snippet (see {@link StartupImports}), or one by one when they
     * are not all imports or one of them fails, so that the others still count.
     */
    private void runImports(JShell jshell, String imports) {
        boolean onlyImports = imports.lines().map(String::strip)
                .allMatch(line -> line.isEmpty() || (line.startsWith("import ") && line.endsWith(";")));
        if (onlyImports) {
            List<SnippetEvent> events = jshell.eval(imports);
            if (!events.isEmpty() && events.get(0).status() == Snippet.Status.VALID) {
                return;
            }
            events.forEach(event -> jshell.drop(event.snippet()));
        }
        runStartup(jshell, "start-up imports", imports);
    }

    private void runStartup(JShell jshell, String source, String code) {
        try {
            evalCode(jshell, code, 1);
        } catch (CellError e) {
            startupErrors.add("Start-up script " + source + " failed: " + e.name() + ": " + e.getMessage());
        }
    }

    private static String readResource(String name) throws IOException {
        try (InputStream in = Cells.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("Missing kernel resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** JShell, once started; a cell that comes sooner waits for it. */
    JShell jshell() {
        try {
            return shell.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CellError("Interrupted", "Interrupted while JShell was starting", List.of());
        } catch (ExecutionException e) {
            throw new CellError("KernelStartError", "JShell could not start: " + e.getCause(),
                    List.of(String.valueOf(e.getCause())));
        }
    }

    // ---------------------------------------------------------------- evaluation

    /** A cell's code: its cell magic, or its magic lines and code in order; returns the last value. */
    Object run(String code) {
        JShell jshell = jshell();
        announceJars(); // IJAVA_CLASSPATH's, at the first cell
        Magics.CellMagic cellMagic = Magics.cellMagic(code);
        if (cellMagic != null) {
            Object value = cellMagic(cellMagic.name(), cellMagic.args(), cellMagic.body());
            // %%loadFromPOM's value (the jars added) is not the cell's result; %%time's is its code's,
            // %%html's the HTML.
            return cellMagic.name().equals("loadFromPOM") || value == null ? CellExecutionControl.NO_VALUE : value;
        }
        Object last = CellExecutionControl.NO_VALUE;
        for (Magics.Segment segment : Magics.split(code)) {
            if (segment instanceof Magics.Magic magic && magic.name().equals("time")) {
                last = MagicCommands.timed(() -> evalCode(jshell, magic.text(), magic.line()));
            } else if (segment instanceof Magics.Magic magic) {
                try {
                    lineMagic(magic.name(), magic.args());
                } catch (CellError e) {
                    throw new CellError(e.name(), e.getMessage() + " (from the %" + magic.name() + " on line " + magic.line()
                            + ")", e.traceback());
                }
                last = CellExecutionControl.NO_VALUE;
            } else {
                Magics.Code part = (Magics.Code) segment;
                last = evalCode(jshell, part.source(), part.firstLine());
            }
        }
        return last;
    }

    /** Evaluates Java source snippet by snippet; returns the last snippet's value or NO_VALUE. */
    private Object evalCode(JShell jshell, String code, int firstLine) {
        SourceCodeAnalysis analysis = jshell.sourceCodeAnalysis();
        Object last = CellExecutionControl.NO_VALUE;
        String remaining = code;
        while (!remaining.isBlank()) {
            int start = code.length() - remaining.length();
            while (start < code.length() && Character.isWhitespace(code.charAt(start))) {
                start++;
            }
            int line = firstLine + (int) code.substring(0, start).chars().filter(c -> c == '\n').count();
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            String source;
            switch (info.completeness()) {
                case COMPLETE, COMPLETE_WITH_SEMI -> {
                    source = info.source();
                    remaining = info.remaining();
                }
                case EMPTY -> {
                    return last;
                }
                default -> {
                    // Incomplete or unparsable: let JShell compile it and report why.
                    source = remaining;
                    remaining = "";
                }
            }
            // From its first character: JShell numbers a snippet's lines from there.
            last = evalSnippet(jshell, source.stripLeading(), line);
            if (last instanceof String && DISPLAY_CALL.matcher(source).matches()) {
                last = CellExecutionControl.NO_VALUE;
            }
        }
        return last;
    }

    private Object evalSnippet(JShell jshell, String source, int line) {
        CellExecutionControl control = provider.control();
        boolean outermost = depth.getAndIncrement() == 0; // eval(...) inside a cell nests
        ScheduledFuture<?> timeout = null;
        if (outermost) {
            control.reset();
            stopReason = null;
            if (config.hasTimeout()) {
                timeout = timer.schedule(() -> stop("Timeout"), config.timeoutMillis(), TimeUnit.MILLISECONDS);
            }
        }
        List<SnippetEvent> events;
        try {
            events = jshell.eval(source);
        } finally {
            depth.decrementAndGet();
            if (timeout != null) {
                timeout.cancel(false);
            }
        }
        String reason = stopReason;
        if (control.wasStopped() || reason != null) {
            String name = reason == null ? "Interrupted" : reason;
            throw new CellError(name, "Cell stopped: " + (reason == null || reason.equals("Interrupted")
                    ? "interrupted by the user" : "the cell ran longer than IJAVA_TIMEOUT="
                    + config.timeoutMillis() + " ms"),
                    List.of("Variables assigned before the stop keep their values; the kernel is ready."));
        }
        Object value = CellExecutionControl.NO_VALUE;
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                continue;
            }
            Snippet snippet = event.snippet();
            errors.remember(snippet, cell, line);
            if (event.status() == Snippet.Status.REJECTED) {
                throw errors.compileError(jshell, snippet, source, line);
            }
            if (event.exception() != null) {
                throw errors.runtimeError(jshell, event.exception(), cell);
            }
            value = valueOf(event, control);
            String shadowed = shadows.afterSnippet(jshell, event);
            if (shadowed != null) {
                System.out.println(shadowed);
            }
            if (snippet instanceof VarSnippet var && var.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
                // JShell imports every live declaration into each later snippet, so each kept $1
                // temporary made every later cell compile slower (40 ms more after 600 cells).
                jshell.drop(var);
            }
        }
        return value;
    }

    private Object valueOf(SnippetEvent event, CellExecutionControl control) {
        Snippet snippet = event.snippet();
        if (snippet instanceof VarSnippet var) {
            if (control.lastWrapper() != null) {
                variableWrappers.put(var.name(), control.lastWrapper());
            }
            if (var.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
                return fallback(CellExecutionControl.readField(control.lastWrapper(), var.name()), event);
            }
        } else if (snippet instanceof ExpressionSnippet expression
                && expression.subKind() == Snippet.SubKind.VAR_VALUE_SUBKIND) {
            return fallback(CellExecutionControl.readField(variableWrappers.get(expression.name()),
                    expression.name()), event);
        }
        return CellExecutionControl.NO_VALUE;
    }

    /** When the object cannot be read, shows JShell's own text of it. */
    private static Object fallback(Object value, SnippetEvent event) {
        if (value != CellExecutionControl.NO_VALUE) {
            return value;
        }
        return event.value() == null ? CellExecutionControl.NO_VALUE : new DisplayData(event.value());
    }

    /** Stops the running cell (interrupt or timeout); nothing when no cell runs. */
    void stop(String reason) {
        if (depth.get() == 0) {
            return;
        }
        stopReason = reason;
        JShell jshell = shell.getNow(null);
        if (jshell != null) {
            jshell.stop();
        }
    }


    // ---------------------------------------------------------------- magics

    /** Runs a line magic ({@code %name args}, or {@code lineMagic(...)} in code). */
    Object lineMagic(String name, List<String> args) {
        if (name.equals("time")) {
            return MagicCommands.timed(() -> run(String.join(" ", args)));
        }
        try {
            Object value = magics.line(name, args);
            announceJars();
            return value;
        } catch (CellError e) {
            throw e;
        } catch (Exception e) {
            throw new CellError("MagicError", "%" + name + ": " + e.getMessage(),
                    List.of("%" + name + " " + String.join(" ", args)));
        }
    }

    /** Runs a cell magic ({@code %%name args} and a body). */
    Object cellMagic(String name, List<String> args, String body) {
        if (name.equals("time")) {
            return MagicCommands.timed(() -> run(body));
        }
        try {
            Object value = magics.cell(name, args, body);
            announceJars();
            return value;
        } catch (CellError e) {
            throw e;
        } catch (Exception e) {
            throw new CellError("MagicError", "%%" + name + ": " + e.getMessage(),
                    List.of("%%" + name + " " + String.join(" ", args)));
        }
    }

    /** Stops any running cell and closes JShell in the background (shutdown). */
    void close() {
        stop("Interrupted");
        JShell jshell = shell.getNow(null);
        if (jshell != null) {
            Thread closer = new Thread(jshell::close, "jshell-close");
            closer.setDaemon(true);
            closer.start();
        }
    }
}
