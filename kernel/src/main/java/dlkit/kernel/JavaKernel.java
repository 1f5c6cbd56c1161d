package dlkit.kernel;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dlkit.display.DisplaySink;
import dlkit.display.MimeBundle;
import dlkit.display.Notebook;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.kernel.util.TextColor;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

/**
 * The Java kernel: JShell running cells in this JVM, JJava speaking the Jupyter protocol.
 *
 * <p>Cells run in-process, so native libraries (DJL's PyTorch) load once and results stay live
 * objects. dlkit-lib is on the JVM's own class path and JShell's class loader delegates to it, so
 * user code and the kernel share one {@link Notebook}.
 */
final class JavaKernel extends BaseKernel implements DisplaySink {

    static final String VERSION = "0.1.0";

    /** {@code display(x)} as a statement: its id is not echoed (assign it to keep it). */
    private static final java.util.regex.Pattern DISPLAY_CALL =
            java.util.regex.Pattern.compile("\\s*display\\s*\\(.*\\)\\s*;?\\s*", java.util.regex.Pattern.DOTALL);

    private final KernelConfig config;
    private final KernelIO kernelIO;
    private final CellExecutionControl.Provider provider = new CellExecutionControl.Provider();
    private final CompletableFuture<JShell> shell = new CompletableFuture<>();
    private final Map<String, Class<?>> variableWrappers = new ConcurrentHashMap<>();
    private final List<String> startupErrors = Collections.synchronizedList(new ArrayList<>());
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cell-timeout");
        t.setDaemon(true);
        return t;
    });
    private MavenResolver maven;

    /** Why the running cell was stopped; null while it runs normally. */
    private volatile String stopReason;
    private volatile boolean cellRunning;

    private JavaKernel(KernelConfig config, KernelIO io) {
        super("dlkit-java", VERSION,
                new LanguageInfo.Builder("java")
                        .version(Runtime.version().toString())
                        .mimetype("text/x-java-source")
                        .fileExtension(".jshell")
                        .pygments("java")
                        .codemirror("text/x-java")
                        .build(),
                List.of(new HelpLink("Java API", "https://docs.oracle.com/en/java/javase/"
                                + Runtime.version().feature() + "/docs/api/index.html"),
                        new HelpLink("DJL API", "https://javadoc.io/doc/ai.djl/api/latest/index.html")),
                null, io, new CommManager(), new Renderer(), null, new MagicsRegistry(), false,
                new StringStyler.Builder()
                        .addPrimaryStyle(TextColor.BOLD_RESET_FG)
                        .addSecondaryStyle(TextColor.BOLD_RED_FG)
                        .addHighlightStyle(TextColor.BOLD_RESET_FG)
                        .build());
        this.config = config;
        this.kernelIO = io;
        Renderers.registerAll(renderer);
    }

    /** Creates the kernel; JShell starts in the background so the connection is up at once. */
    static JavaKernel start(KernelConfig config) {
        JavaKernel kernel = new JavaKernel(config, new KernelIO());
        Thread starter = new Thread(kernel::startShell, "jshell-start");
        starter.setDaemon(true);
        starter.start();
        return kernel;
    }

    // ---------------------------------------------------------------- start-up

    private void startShell() {
        try {
            JShell jshell = JShell.builder()
                    .executionEngine(provider, Map.of())
                    .out(System.out)
                    .err(System.err)
                    .build();
            KernelMain.trace("jshell built");
            addToClasspath(jshell, System.getProperty("java.class.path"));
            for (String entry : config.classpath()) {
                for (Path path : glob(entry)) {
                    jshell.addToClasspath(path.toString());
                }
            }
            Notebook.install(this);
            if (config.dlkitStartup()) {
                runStartup(jshell, "dlkit startup", readResource("startup.jsh"));
            }
            for (String entry : config.startupScriptPaths()) {
                for (Path script : glob(entry)) {
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

    private static void addToClasspath(JShell jshell, String classpath) {
        if (classpath == null) {
            return;
        }
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                jshell.addToClasspath(entry);
            }
        }
    }

    private void runStartup(JShell jshell, String source, String code) {
        try {
            evalCode(jshell, code);
        } catch (CellError e) {
            startupErrors.add("Start-up script " + source + " failed: " + e.name() + ": " + e.getMessage());
        }
    }

    private static String readResource(String name) throws IOException {
        try (InputStream in = JavaKernel.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("Missing kernel resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Expands a path that may contain a glob ({@code lib/*.jar}); a plain path must exist. */
    static List<Path> glob(String pattern) throws IOException {
        if (!pattern.contains("*") && !pattern.contains("?") && !pattern.contains("[") && !pattern.contains("{")) {
            Path path = KernelConfig.resolve(pattern);
            if (!Files.exists(path)) {
                throw new IOException("No such file or directory: " + path);
            }
            return List.of(path);
        }
        Path absolute = KernelConfig.resolve(pattern.substring(0, Math.max(0, firstGlobSegmentStart(pattern))));
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

    private JShell jshell() {
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

    // ---------------------------------------------------------------- kernel info

    /** JJava's kernel_info_reply lacks the {@code status} field that the protocol requires. */
    static final class InfoReply extends org.dflib.jjava.jupyter.messages.reply.KernelInfoReply {
        @SuppressWarnings("unused")
        private final String status = "ok";

        InfoReply(String protocol, String name, String version, LanguageInfo info, String banner, List<HelpLink> links) {
            super(protocol, name, version, info, banner, links);
        }
    }

    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env,
            Message<org.dflib.jjava.jupyter.messages.request.KernelInfoRequest> message) {
        env.setBusyDeferIdle();
        env.reply(new InfoReply(org.dflib.jjava.jupyter.messages.Header.PROTOCOL_VERISON, name, version,
                getLanguageInfo(), getBanner(), getHelpLinks()));
    }

    // ---------------------------------------------------------------- execution

    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        ExecuteRequest request = message.getContent();
        int count = executionCount.getAndIncrement();
        env.setBusyDeferIdle();
        env.publish(new PublishExecuteInput(request.getCode(), count));
        replaceOutputStreams(env);
        kernelIO.attach(env, request.isStdinEnabled());
        try {
            reportStartupErrors();
            DisplayData out = evalCell(request.getCode());
            kernelIO.detach(env);
            if (out != null && !request.isSilent()) {
                env.publish(new PublishExecuteResult(count, out));
            }
            env.defer().reply(new ExecuteReply(count, Collections.emptyMap()));
        } catch (Throwable t) {
            kernelIO.detach(env);
            CellError error = t instanceof CellError ce ? ce : internalError(t);
            env.publish(new PublishError(error.name(), error.getMessage(), styled(error)));
            ErrorReply reply = new ErrorReply(error.name(), error.getMessage(), error.traceback());
            reply.setExecutionCount(count);
            env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
        }
    }

    /** Cells print to the line-buffered streams; the kernel's own streams come back afterwards. */
    @Override
    protected void replaceOutputStreams(ShellReplyEnvironment env) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        InputStream in = System.in;
        System.setOut(kernelIO.cellOut);
        System.setErr(kernelIO.cellErr);
        System.setIn(kernelIO.in);
        env.defer(() -> {
            System.setOut(out);
            System.setErr(err);
            System.setIn(in);
        });
    }

    private List<String> styled(CellError error) {
        List<String> lines = new ArrayList<>();
        lines.add(errorStyler.secondary(error.name() + ": " + error.getMessage()));
        for (String line : error.traceback()) {
            lines.add(errorStyler.primary(line));
        }
        return lines;
    }

    private static CellError internalError(Throwable t) {
        String name = t instanceof OutOfMemoryError ? "OutOfMemoryError" : t.getClass().getName();
        List<String> trace = new ArrayList<>();
        for (StackTraceElement e : t.getStackTrace()) {
            trace.add("    at " + e);
            if (trace.size() > 20) {
                break;
            }
        }
        return new CellError(name, String.valueOf(t.getMessage()), trace);
    }

    private void reportStartupErrors() {
        synchronized (startupErrors) {
            for (String error : startupErrors) {
                System.err.println(error);
            }
            startupErrors.clear();
        }
    }

    /** Runs a cell: magics and code in order; the last code's value is the result. */
    DisplayData evalCell(String cell) {
        JShell jshell = jshell();
        Object last = CellExecutionControl.NO_VALUE;
        for (Magics.Segment segment : Magics.split(cell)) {
            if (segment instanceof Magics.Magic magic) {
                runMagic(jshell, magic);
                last = CellExecutionControl.NO_VALUE;
            } else {
                last = evalCode(jshell, ((Magics.Code) segment).source());
            }
        }
        return resultData(last);
    }

    @Override
    public Object evalRaw(String source) {
        Object value = evalCode(jshell(), source);
        return value == CellExecutionControl.NO_VALUE ? null : value;
    }

    /** Evaluates Java source snippet by snippet; returns the last snippet's value or NO_VALUE. */
    private Object evalCode(JShell jshell, String code) {
        SourceCodeAnalysis analysis = jshell.sourceCodeAnalysis();
        Object last = CellExecutionControl.NO_VALUE;
        String remaining = code;
        while (!remaining.isBlank()) {
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
            last = evalSnippet(jshell, source);
            if (last instanceof String && DISPLAY_CALL.matcher(source).matches()) {
                last = CellExecutionControl.NO_VALUE;
            }
        }
        return last;
    }

    private Object evalSnippet(JShell jshell, String source) {
        CellExecutionControl control = provider.control();
        control.reset();
        stopReason = null;
        ScheduledFuture<?> timeout = null;
        if (config.hasTimeout()) {
            timeout = timer.schedule(() -> stop("Timeout",
                    "the cell ran longer than IJAVA_TIMEOUT=" + config.timeoutMillis() + " ms"),
                    config.timeoutMillis(), TimeUnit.MILLISECONDS);
        }
        List<SnippetEvent> events;
        cellRunning = true;
        try {
            events = jshell.eval(source);
        } finally {
            cellRunning = false;
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
            if (event.status() == Snippet.Status.REJECTED) {
                throw compileError(jshell, snippet, source);
            }
            if (event.exception() != null) {
                throw runtimeError(jshell, event.exception());
            }
            value = valueOf(event, control);
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

    private static CellError compileError(JShell jshell, Snippet snippet, String source) {
        List<String> lines = new ArrayList<>();
        List<Diag> diags = jshell.diagnostics(snippet).collect(Collectors.toList());
        String[] sourceLines = source.split("\n", -1);
        StringBuilder message = new StringBuilder();
        for (Diag diag : diags) {
            if (!diag.isError()) {
                continue;
            }
            String text = diag.getMessage(Locale.ROOT);
            if (message.length() == 0) {
                message.append(text.lines().findFirst().orElse(text));
            }
            long pos = diag.getStartPosition();
            int lineIndex = 0;
            long lineStart = 0;
            while (pos >= 0 && lineIndex < sourceLines.length - 1 && lineStart + sourceLines[lineIndex].length() < pos) {
                lineStart += sourceLines[lineIndex].length() + 1;
                lineIndex++;
            }
            lines.add(text);
            if (pos >= 0 && lineIndex < sourceLines.length) {
                lines.add("    " + sourceLines[lineIndex]);
                int col = (int) Math.max(0, pos - lineStart);
                int end = (int) Math.max(col + 1, Math.min(diag.getEndPosition() - lineStart, sourceLines[lineIndex].length()));
                lines.add("    " + " ".repeat(col) + "^" + "-".repeat(Math.max(0, end - col - 1)));
            }
        }
        if (message.length() == 0) {
            message.append("the snippet could not be compiled");
            lines.add(source.strip());
        }
        return new CellError("CompilationError", message.toString(), lines);
    }

    private static CellError runtimeError(JShell jshell, JShellException exception) {
        if (exception instanceof UnresolvedReferenceException unresolved) {
            List<String> missing = jshell.unresolvedDependencies(unresolved.getSnippet()).collect(Collectors.toList());
            return new CellError("UnresolvedReference", "'" + unresolved.getSnippet().source().strip()
                    + "' uses something not defined yet: " + String.join(", ", missing),
                    List.of("Define " + String.join(", ", missing) + " in a cell, then run this again."));
        }
        EvalException eval = (EvalException) exception;
        String name = eval.getExceptionClassName();
        List<String> trace = new ArrayList<>();
        Throwable current = eval;
        boolean first = true;
        while (current != null) {
            if (!first) {
                String causeName = current instanceof EvalException ce ? ce.getExceptionClassName() : current.getClass().getName();
                trace.add("Caused by: " + causeName + ": " + current.getMessage());
            }
            for (StackTraceElement element : current.getStackTrace()) {
                String cls = element.getClassName();
                if (cls.startsWith("jdk.jshell.") || cls.startsWith("java.lang.reflect.")
                        || cls.startsWith("jdk.internal.reflect.") || cls.startsWith("java.lang.Thread")) {
                    continue;
                }
                boolean cell = cls.startsWith("REPL.") || cls.isEmpty()
                        || (element.getFileName() != null && element.getFileName().startsWith("#"));
                trace.add("    at " + (cell ? "cell code (line " + element.getLineNumber() + ")" : element.toString()));
            }
            current = current.getCause();
            first = false;
        }
        String message = eval.getMessage() == null ? "" : eval.getMessage();
        if (name.equals("java.lang.OutOfMemoryError")) {
            message = message + " (the Java heap is full; the kernel keeps running. Free large objects, "
                    + "e.g. set variables to null, or give the kernel more memory with DLKIT_KERNEL_XMX)";
        }
        return new CellError(name, message, trace);
    }

    /** Stops the running cell (interrupt or timeout). */
    private void stop(String reason, String why) {
        if (!cellRunning) {
            return;
        }
        stopReason = reason;
        JShell jshell = shell.getNow(null);
        if (jshell != null) {
            jshell.stop();
        }
    }

    @Override
    public void interrupt() {
        stop("Interrupted", "interrupted by the user");
    }

    // ---------------------------------------------------------------- results and display

    /** What a cell shows for its value; null shows nothing. */
    DisplayData resultData(Object value) {
        if (value == CellExecutionControl.NO_VALUE) {
            return null;
        }
        if (value instanceof DisplayData data) {
            return data;
        }
        if (value != null && isNoise(value)) {
            return null;
        }
        return render(value);
    }

    /**
     * True for results that would only print {@code ClassName@hash}: objects without their own
     * text or renderer, typically what chained setters return ({@code chart.addSeries(...)},
     * {@code styler.setLegendVisible(...)}).
     */
    static boolean isNoise(Object value) {
        if (value instanceof MimeBundle || value instanceof Chart || value instanceof Table
                || value instanceof java.awt.image.RenderedImage || value instanceof ai.djl.ndarray.NDArray
                || value instanceof ai.djl.ndarray.types.Shape) {
            return false;
        }
        try {
            return value.getClass().getMethod("toString").getDeclaringClass() == Object.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** Renders a value with every renderer; text/plain is always present and never huge. */
    DisplayData render(Object value) {
        DisplayData data = value == null ? new DisplayData("null") : renderer.render(value);
        limitText(data);
        return data;
    }

    /** Renders a value as the given MIME types only (plus text/plain). */
    DisplayData renderAs(Object value, String... mimeTypes) {
        if (mimeTypes == null || mimeTypes.length == 0) {
            return render(value);
        }
        DisplayData data = value == null ? new DisplayData("null") : renderer.renderAs(value, mimeTypes);
        limitText(data);
        return data;
    }

    private static void limitText(DisplayData data) {
        Object text = data.getData(MIMEType.TEXT_PLAIN);
        if (text instanceof String s && s.length() > Renderers.MAX_TEXT) {
            data.putText(Renderers.truncate(s));
        }
    }

    /** Shows data as a new output with a fresh display id; returns the id. */
    String displayData(DisplayData data) {
        String id = data.hasDisplayId() ? data.getDisplayId() : UUID.randomUUID().toString();
        data.setDisplayId(id);
        kernelIO.flush();
        kernelIO.display.display(data);
        return id;
    }

    /** Replaces the output with this id. */
    void updateDisplayData(String id, DisplayData data) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("updateDisplay needs the id that display(...) returned");
        }
        kernelIO.display.updateDisplay(id, data);
    }

    @Override
    public String display(Object value) {
        return displayData(value instanceof DisplayData data ? data : render(value));
    }

    @Override
    public void updateDisplay(String id, Object value) {
        updateDisplayData(id, value instanceof DisplayData data ? data : render(value));
    }

    // ---------------------------------------------------------------- magics

    private void runMagic(JShell jshell, Magics.Magic magic) {
        try {
            switch (magic.name()) {
                case "jars", "classpath" -> {
                    require(magic, !magic.args().isEmpty(), "a path or glob, e.g. %" + magic.name() + " lib/*.jar");
                    for (String arg : magic.args()) {
                        for (Path path : glob(arg)) {
                            jshell.addToClasspath(path.toString());
                        }
                    }
                }
                case "load" -> {
                    require(magic, magic.args().size() == 1, "one file, e.g. %load helpers.jsh (.java, .jsh or .ipynb)");
                    for (String code : loadSources(KernelConfig.resolve(magic.args().get(0)))) {
                        evalCell(code);
                    }
                }
                case "maven" -> {
                    require(magic, !magic.args().isEmpty(), "coordinates, e.g. %maven org.apache.commons:commons-lang3:3.14.0");
                    if (maven == null) {
                        maven = MavenResolver.fromEnvironment();
                    }
                    for (String coordinates : magic.args()) {
                        for (Path jar : maven.resolve(coordinates)) {
                            jshell.addToClasspath(jar.toString());
                        }
                    }
                }
                default -> throw new CellError("UnknownMagic", "%" + magic.name() + " is not a magic of this kernel",
                        List.of("Known magics: " + Magics.NAMES.stream().map(n -> "%" + n).collect(Collectors.joining(", "))));
            }
        } catch (CellError e) {
            throw e;
        } catch (Exception e) {
            throw new CellError("MagicError", "%" + magic.name() + " (line " + magic.line() + "): " + e.getMessage(),
                    List.of("%" + magic.name() + " " + String.join(" ", magic.args())));
        }
    }

    private static void require(Magics.Magic magic, boolean ok, String what) {
        if (!ok) {
            throw new CellError("MagicError", "%" + magic.name() + " needs " + what, List.of());
        }
    }

    /** The code a file contributes: its text, or every code cell of a notebook. */
    static List<String> loadSources(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("No such file: " + file);
        }
        String name = file.getFileName().toString();
        String text = Files.readString(file);
        if (name.endsWith(".java") || name.endsWith(".jsh") || name.endsWith(".jshell")) {
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

    // ---------------------------------------------------------------- editor features

    /** Where, in a masked cell, the snippet containing {@code cursor} starts. */
    private static int snippetStart(SourceCodeAnalysis analysis, String code, int cursor) {
        int start = 0;
        String remaining = code;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            if (info.completeness() != SourceCodeAnalysis.Completeness.COMPLETE
                    && info.completeness() != SourceCodeAnalysis.Completeness.COMPLETE_WITH_SEMI) {
                break;
            }
            int end = code.length() - info.remaining().length();
            if (end >= cursor || end <= start) {
                break;
            }
            start = end;
            remaining = info.remaining();
        }
        return start;
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        JShell jshell = jshell();
        SourceCodeAnalysis analysis = jshell.sourceCodeAnalysis();
        String masked = Magics.mask(code);
        int cursor = Math.max(0, Math.min(at, masked.length()));
        int start = snippetStart(analysis, masked, cursor);
        String snippet = masked.substring(start);
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions = analysis.completionSuggestions(snippet, cursor - start, anchor);
        Set<String> typed = new LinkedHashSet<>();
        Set<String> others = new LinkedHashSet<>();
        for (SourceCodeAnalysis.Suggestion suggestion : suggestions) {
            (suggestion.matchesType() ? typed : others).add(suggestion.continuation());
        }
        typed.addAll(others);
        return new ReplacementOptions(new ArrayList<>(typed), start + anchor[0], cursor);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        JShell jshell = jshell();
        SourceCodeAnalysis analysis = jshell.sourceCodeAnalysis();
        String masked = Magics.mask(code);
        int cursor = Math.max(0, Math.min(at, masked.length()));
        // Inspect the identifier under the cursor, up to its end (and an opening parenthesis).
        int end = cursor;
        while (end < masked.length() && Character.isJavaIdentifierPart(masked.charAt(end))) {
            end++;
        }
        if (end < masked.length() && masked.charAt(end) == '(') {
            end++;
        }
        int start = snippetStart(analysis, masked, cursor);
        String snippet = masked.substring(start, end);
        StringBuilder text = new StringBuilder();
        List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(snippet, snippet.length(), true);
        if (docs.isEmpty() && !snippet.endsWith("(")) {
            // A method name without its parenthesis: ask for the invocation's documentation.
            docs = analysis.documentation(snippet + "(", snippet.length() + 1, true);
        }
        for (SourceCodeAnalysis.Documentation doc : docs) {
            text.append(doc.signature()).append('\n');
            if (doc.javadoc() != null && !doc.javadoc().isBlank()) {
                String javadoc = doc.javadoc().strip();
                text.append(extraDetail || javadoc.length() < 1500 ? javadoc : javadoc.substring(0, 1500) + " ...")
                        .append("\n\n");
            }
        }
        if (text.length() == 0) {
            String expression = snippet.endsWith("(") ? snippet.substring(0, snippet.length() - 1) : snippet;
            String type = analysis.analyzeType(expression, expression.length());
            if (type != null && !type.isBlank()) {
                text.append(expression.strip()).append(" : ").append(type);
            }
        }
        return text.length() == 0 ? null : new DisplayData(text.toString().strip());
    }

    @Override
    public String isComplete(String code) {
        JShell jshell = jshell();
        SourceCodeAnalysis analysis = jshell.sourceCodeAnalysis();
        String remaining = Magics.mask(code);
        while (true) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            switch (info.completeness()) {
                case COMPLETE, COMPLETE_WITH_SEMI -> {
                    remaining = info.remaining();
                    if (remaining.isBlank()) {
                        return IS_COMPLETE_YES;
                    }
                }
                case EMPTY -> {
                    return IS_COMPLETE_YES;
                }
                case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> {
                    return indentFor(remaining);
                }
                default -> {
                    return IS_COMPLETE_BAD;
                }
            }
        }
    }

    /** The indent of the next line: the last line's, one level deeper after an opening brace. */
    private static String indentFor(String code) {
        String[] lines = code.split("\n", -1);
        String last = lines[lines.length - 1];
        String indent = last.substring(0, last.length() - last.stripLeading().length());
        return last.stripTrailing().endsWith("{") ? indent + "    " : indent;
    }

    // ---------------------------------------------------------------- shutdown

    @Override
    public void onShutdown(boolean isRestarting) {
        stop("Interrupted", "kernel shutting down");
        Notebook.install(null);
        JShell jshell = shell.getNow(null);
        if (jshell != null) {
            Thread closer = new Thread(jshell::close, "jshell-close");
            closer.setDaemon(true);
            closer.start();
        }
        super.onShutdown(isRestarting);
    }
}
