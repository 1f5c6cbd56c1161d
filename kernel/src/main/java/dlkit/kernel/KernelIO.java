package dlkit.kernel;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.JupyterIO;

/**
 * JJava's notebook streams, with attach/detach visible to the kernel, and the line-buffered
 * {@link #cellOut} / {@link #cellErr} that cells print to.
 */
final class KernelIO extends JupyterIO {

    private final LineBufferedOutput outLines = new LineBufferedOutput(out);
    private final LineBufferedOutput errLines = new LineBufferedOutput(err);

    /** What a cell's {@code System.out} is while it runs. */
    final PrintStream cellOut = new PrintStream(outLines, false, StandardCharsets.UTF_8);

    /** What a cell's {@code System.err} is while it runs. */
    final PrintStream cellErr = new PrintStream(errLines, false, StandardCharsets.UTF_8);

    KernelIO() {
        super(StandardCharsets.UTF_8);
        ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stream-flush");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flushStale, 50, 50, TimeUnit.MILLISECONDS);
    }

    private void flushStale() {
        // PrintStream hands every print to its stream at once, so only the line buffers hold text.
        outLines.flushIfStale();
        errLines.flushIfStale();
    }

    /** Routes stdout, stderr, stdin and displays to the request being executed. */
    void attach(ShellReplyEnvironment env, boolean stdinEnabled) {
        setEnv(env);
        setJupyterInEnabled(stdinEnabled);
    }

    /** Passes on everything printed so far, e.g. before a display so that the order is kept. */
    void flush() {
        cellOut.flush();
        cellErr.flush();
        out.flush();
        err.flush();
    }

    /** Flushes what the cell printed and stops routing to its request. */
    void detach(ShellReplyEnvironment env) {
        flush();
        retractEnv(env);
    }
}
