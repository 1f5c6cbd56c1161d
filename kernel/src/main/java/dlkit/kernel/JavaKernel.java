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
    private final CellErrors errors = new CellErrors();
    private final MagicCommands magics = new MagicCommands(new MagicCommands.Notebook() {
        @Override
        public void addToClasspath(Path path) {
            jshell().addToClasspath(path.toString());
        }

        @Override
        public void runCell(String code) {
            run(code);
        }
    });
    /** How many snippets are being evaluated: more than 1 while a cell's eval(...) runs. */
    private final java.util.concurrent.atomic.AtomicInteger depth = new java.util.concurrent.atomic.AtomicInteger();
    /** The execution count of the cell being run. */
    private volatile int cell;

    /** Why the running cell was stopped; null while it runs normally. */
    private volatile String stopReason;

    private JavaKernel(KernelConfig config, KernelIO io) {
        super("dlkit-java", dlkit.Version.get(),
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
    }

    /** What {@code System.in} reads in a cell: lines asked from the notebook. */
    java.io.InputStream input() {
        return kernelIO.in;
    }

    /**
     * Creates the kernel. JShell starts first, in the background: its first compilation (javac
     * starting cold, about a second) is most of a cold start, so everything else overlaps it.
     */
    static JavaKernel start(KernelConfig config) {
        JavaKernel kernel = new JavaKernel(config, new KernelIO());
        Thread starter = new Thread(kernel::startShell, "jshell-start");
        starter.setDaemon(true);
        starter.start();
        Renderers.registerAll(kernel.renderer);
        return kernel;
    }

    // ---------------------------------------------------------------- start-up

    private void startShell() {
        KernelMain.trace("jshell start");
        try {
            JShell jshell = JShell.builder()
                    .executionEngine(provider, Map.of())
                    .compilerOptions("-g") // local variable names in messages ("because \"s\" is null")
                    .out(System.out)
                    .err(System.err)
                    .build();
            KernelMain.trace("jshell built");
            // JShell compiles against this JVM's class path already; adding it again doubled what
            // javac scans. IJAVA_CLASSPATH adds to it.
            for (String entry : config.classpath()) {
                for (Path path : KernelConfig.glob(entry)) {
                    jshell.addToClasspath(path.toString());
                }
            }
            KernelMain.trace("jshell classpath");
            Notebook.install(this);
            // IJava's notebook functions are there whatever the start-up settings.
            runStartup(jshell, "kernel functions", "import static dlkit.kernel.Display.*;\nimport static dlkit.kernel.Kernel.*;");
            KernelMain.trace("jshell first import");
            if (config.dlkitStartup()) {
                runStartup(jshell, "dlkit startup", readResource("startup.jsh"));
            }
            for (String entry : config.startupScriptPaths()) {
                for (Path script : KernelConfig.glob(entry)) {
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

    private void runStartup(JShell jshell, String source, String code) {
        try {
            evalCode(jshell, code, 1);
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
        CellOutput output = new CellOutput(env, count);
        output.begin();
        kernelIO.attach(env, request.isStdinEnabled());
        cell = count;
        try {
            reportStartupErrors();
            DisplayData out = evalCell(request.getCode());
            finish(env, output);
            if (out != null && !request.isSilent()) {
                env.publish(new PublishExecuteResult(count, out));
            }
            env.defer().reply(new ExecuteReply(count, Collections.emptyMap()));
        } catch (Throwable t) {
            finish(env, output);
            CellError error = t instanceof CellError ce ? ce : internalError(t);
            env.publish(new PublishError(error.name(), error.getMessage(), styled(error)));
            ErrorReply reply = new ErrorReply(error.name(), error.getMessage(), error.traceback());
            reply.setExecutionCount(count);
            env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
        }
    }

    /** The cell's streams are flushed (and stdin released) before its result, error and reply. */
    private void finish(ShellReplyEnvironment env, CellOutput output) {
        kernelIO.detach(env);
        output.end();
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

    /** Runs a cell; the last code's value is the result. */
    DisplayData evalCell(String cell) {
        return resultData(run(cell));
    }

    @Override
    public Object evalRaw(String source) {
        Object value = run(source);
        return value == CellExecutionControl.NO_VALUE ? null : value;
    }

    /** A cell's code: its cell magic, or its magic lines and code in order; returns the last value. */
    private Object run(String code) {
        JShell jshell = jshell();
        Magics.CellMagic cellMagic = Magics.cellMagic(code);
        if (cellMagic != null) {
            cellMagic(cellMagic.name(), cellMagic.args(), cellMagic.body());
            return CellExecutionControl.NO_VALUE;
        }
        Object last = CellExecutionControl.NO_VALUE;
        for (Magics.Segment segment : Magics.split(code)) {
            if (segment instanceof Magics.Magic magic) {
                try {
                    lineMagic(magic.name(), magic.args());
                } catch (CellError e) {
                    throw new CellError(e.name(), e.getMessage() + " (line " + magic.line() + ")", e.traceback());
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

    /** Stops the running cell (interrupt or timeout). */
    private void stop(String reason) {
        if (depth.get() == 0) {
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
        stop("Interrupted");
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

    /** Shows data as a new output (of the calling thread's cell) with a fresh display id; returns the id. */
    String displayData(DisplayData data) {
        String id = data.hasDisplayId() ? data.getDisplayId() : UUID.randomUUID().toString();
        data.setDisplayId(id);
        CellOutput target = CellOutput.current();
        if (target != null) {
            target.display(data);
        } else {
            CellOutput.log().println("display outside a cell: " + data.getData(MIMEType.TEXT_PLAIN));
        }
        return id;
    }

    /** Replaces the output with this id. */
    void updateDisplayData(String id, DisplayData data) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("updateDisplay needs the id that display(...) returned");
        }
        CellOutput target = CellOutput.current();
        if (target != null) {
            target.updateDisplay(id, data);
        }
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

    /** Runs a line magic ({@code %name args}, or {@code lineMagic(...)} in code). */
    Object lineMagic(String name, List<String> args) {
        try {
            return magics.line(name, args);
        } catch (CellError e) {
            throw e;
        } catch (Exception e) {
            throw new CellError("MagicError", "%" + name + ": " + e.getMessage(),
                    List.of("%" + name + " " + String.join(" ", args)));
        }
    }

    /** Runs a cell magic ({@code %%name args} and a body). */
    Object cellMagic(String name, List<String> args, String body) {
        try {
            return magics.cell(name, args, body);
        } catch (CellError e) {
            throw e;
        } catch (Exception e) {
            throw new CellError("MagicError", "%%" + name + ": " + e.getMessage(),
                    List.of("%%" + name + " " + String.join(" ", args)));
        }
    }

    // ---------------------------------------------------------------- editor features

    @Override
    public ReplacementOptions complete(String code, int at) {
        return Completions.complete(jshell(), code, at);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        return Completions.inspect(jshell(), code, at, extraDetail);
    }

    @Override
    public String isComplete(String code) {
        return Completions.isComplete(jshell(), code);
    }


    // ---------------------------------------------------------------- shutdown

    @Override
    public void onShutdown(boolean isRestarting) {
        stop("Interrupted");
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
