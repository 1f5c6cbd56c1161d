package dlkit.kernel;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import dlkit.display.DisplaySink;
import dlkit.display.MimeBundle;
import dlkit.display.Notebook;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
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
 * The Java kernel: JJava speaking the Jupyter protocol, {@link Cells} running the code in JShell
 * in this JVM, and results and displays rendered for the notebook.
 *
 * <p>Cells run in-process, so native libraries (DJL's PyTorch) load once and results stay live
 * objects. dlkit-lib is on the JVM's own class path and JShell's class loader delegates to it, so
 * user code and the kernel share one {@link Notebook}.
 */
final class JavaKernel extends BaseKernel implements DisplaySink {

    private final KernelIO kernelIO;
    private final Cells cells;
    private final Renderers.Registry registry;
    private final KernelExtensions extensions = KernelExtensions.fromEnvironment();

    private JavaKernel(KernelIO io, Cells cells, Renderers.Registry registry) {
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
                null, io, new CommManager(), registry, null, new MagicsRegistry(), false,
                new StringStyler.Builder()
                        .addPrimaryStyle(TextColor.BOLD_RESET_FG)
                        .addSecondaryStyle(TextColor.BOLD_RED_FG)
                        .addHighlightStyle(TextColor.BOLD_RESET_FG)
                        .build());
        this.kernelIO = io;
        this.cells = cells;
        this.registry = registry;
    }

    /** What {@code System.in} reads in a cell: lines asked from the notebook. */
    InputStream input() {
        return kernelIO.input();
    }

    /** Creates the kernel; its cells' JShell starts first (see {@link Cells}). */
    static JavaKernel start(KernelConfig config) {
        Cells cells = Cells.start(config);
        JavaKernel kernel = new JavaKernel(new KernelIO(), cells, new Renderers.Registry());
        Renderers.registerAll(kernel.renderer);
        cells.onJarsAdded(jars -> kernel.extensions.install(jars, kernel));
        Notebook.install(kernel);
        cells.displayInstalled();
        return kernel;
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
        if (count == 1) {
            KernelMain.trace("first execute request");
        }
        env.setBusyDeferIdle();
        env.publish(new PublishExecuteInput(request.getCode(), count));
        CellOutput output = new CellOutput(env, count);
        output.begin();
        kernelIO.attach(env, request.isStdinEnabled());
        cells.begin(count);
        try {
            reportStartupErrors();
            DisplayData out = evalCell(request.getCode());
            finish(env, output);
            if (out != null && !request.isSilent()) {
                env.publish(new PublishExecuteResult(count, out));
            }
            env.defer().reply(new ExecuteReply(count, Collections.emptyMap()));
            if (count == 1) {
                KernelMain.trace("first cell evaluated");
            }
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
        cells.takeStartupErrors().forEach(System.err::println);
    }

    /** Runs a cell; the last code's value is the result. */
    DisplayData evalCell(String cell) {
        return resultData(cells.run(cell));
    }

    @Override
    public Object evalRaw(String source) {
        Object value = cells.run(extensions.forEvaluation(source));
        return value == CellExecutionControl.NO_VALUE ? null : value;
    }

    @Override
    public void interrupt() {
        cells.stop("Interrupted");
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
        if (value != null && isNoise(value) && !registry.renders(value)) {
            return null;
        }
        return render(value);
    }

    /**
     * True for results that would only print {@code ClassName@hash}: objects without their own
     * text or renderer, typically what chained setters return ({@code chart.addSeries(...)},
     * {@code styler.setLegendVisible(...)}). A type with a registered renderer is shown.
     */
    static boolean isNoise(Object value) {
        if (value.getClass().isArray() || value instanceof MimeBundle || value instanceof Chart || value instanceof Table
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
        DisplayData data = value == null ? new DisplayData("null")
                : value.getClass().isArray() ? new DisplayData(Renderers.arrayText(value)) : renderer.render(value);
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
        return cells.lineMagic(name, args);
    }

    /** Runs a cell magic ({@code %%name args} and a body). */
    Object cellMagic(String name, List<String> args, String body) {
        return cells.cellMagic(name, args, body);
    }

    // ---------------------------------------------------------------- editor features

    @Override
    public ReplacementOptions complete(String code, int at) {
        return Completions.complete(cells.jshell(), code, at);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        return Completions.inspect(cells.jshell(), code, at, extraDetail);
    }

    @Override
    public String isComplete(String code) {
        return Completions.isComplete(cells.jshell(), code);
    }


    // ---------------------------------------------------------------- shutdown

    @Override
    public void onShutdown(boolean isRestarting) {
        cells.close();
        Notebook.install(null);
        super.onShutdown(isRestarting);
    }
}
