package dlkit.kernel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;

/**
 * What one cell prints and shows, sent to the notebook so that no amount of output can hang it.
 *
 * <p>Like ipykernel, text is collected and sent every {@value #FLUSH_MILLIS} ms (or once {@value
 * #FLUSH_BYTES} bytes are waiting) as one stream message, not one message per {@code println}: a
 * loop printing 50,000 lines sends a few dozen messages. Each cell sends at most {@link #limit()}
 * bytes (default 2 MB, {@code DLKIT_OUTPUT_LIMIT}); the rest goes to a file that the notebook
 * names, so the reply and the idle status always arrive.
 *
 * <p>Threads started by a cell inherit its output: what they print after the cell has ended still
 * goes to that cell, as in ipykernel. Other threads print into the cell running now, or, between
 * cells, to the kernel's log.
 */
final class CellOutput {

    static final long FLUSH_MILLIS = 100;
    static final int FLUSH_BYTES = 64 * 1024;

    private static final InheritableThreadLocal<CellOutput> OWNER = new InheritableThreadLocal<>();
    private static final Set<CellOutput> PENDING = ConcurrentHashMap.newKeySet();
    private static volatile CellOutput running;
    private static PrintStream kernelOut = System.out;
    private static PrintStream kernelErr = System.err;

    private final ShellReplyEnvironment env;
    private final int cell;
    private final long limit;
    private final Buffer out = new Buffer("stdout");
    private final Buffer err = new Buffer("stderr");
    private long sent;
    private Path restFile;
    private OutputStream rest;
    private long restBytes;
    private boolean ended;

    CellOutput(ShellReplyEnvironment env, int cell) {
        this.env = env;
        this.cell = cell;
        this.limit = limit();
    }

    /** The most bytes a cell sends to the notebook: {@code DLKIT_OUTPUT_LIMIT}, default 2,000,000. */
    static long limit() {
        String raw = System.getenv("DLKIT_OUTPUT_LIMIT");
        try {
            return raw == null || raw.isBlank() ? 2_000_000L : Math.max(1_000, Long.parseLong(raw.trim()));
        } catch (NumberFormatException e) {
            return 2_000_000L;
        }
    }

    /** Makes {@code System.out} and {@code System.err} route by thread, and starts the flusher. */
    static void install() {
        kernelOut = System.out;
        kernelErr = System.err;
        System.setOut(new PrintStream(new Router(false), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Router(true), true, StandardCharsets.UTF_8));
        ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stream-flush");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(CellOutput::flushStale, FLUSH_MILLIS / 2, FLUSH_MILLIS / 2, TimeUnit.MILLISECONDS);
    }

    /** The kernel's own error stream (its log), whatever a cell does with {@code System.err}. */
    static PrintStream log() {
        return kernelErr;
    }

    /** Makes this the output of the calling thread (and the threads it starts) and of the running cell. */
    void begin() {
        OWNER.set(this);
        running = this;
    }

    /** Sends what is waiting and notes any truncation; later output of the cell's threads still arrives. */
    void end() {
        synchronized (this) {
            out.flush();
            err.flush();
            ended = true;
            if (restBytes > 0) {
                publish("stderr", String.format(Locale.ROOT, "[dlkit: %s more output went to %s]%n",
                        size(restBytes), restFile));
            }
        }
        if (running == this) {
            running = null;
        }
        OWNER.remove();
    }

    /** The output of the calling thread: its cell's, else the running cell's; null between cells. */
    static CellOutput current() {
        CellOutput owner = OWNER.get();
        return owner != null ? owner : running;
    }

    /** Shows display data in this cell, after what was printed before it. */
    synchronized void display(DisplayData data) {
        out.flush();
        err.flush();
        env.publish(new PublishDisplayData(data));
    }

    /** Replaces an output shown earlier. */
    synchronized void updateDisplay(String id, DisplayData data) {
        out.flush();
        err.flush();
        data.setDisplayId(id);
        env.publish(new PublishUpdateDisplayData(data));
    }

    /** Reports to the cell now, outside the output limit (the kernel's own notes). */
    synchronized void note(String text) {
        out.flush();
        err.flush();
        publish("stderr", text.endsWith("\n") ? text : text + "\n");
    }

    private static void flushStale() {
        for (CellOutput o : PENDING) {
            synchronized (o) {
                o.out.flushIfStale();
                o.err.flushIfStale();
                if (o.out.isEmpty() && o.err.isEmpty()) {
                    PENDING.remove(o);
                }
            }
        }
    }

    private void publish(String stream, String text) {
        if (stream.equals("stdout")) {
            env.writeToStdOut(text);
        } else {
            env.writeToStdErr(text);
        }
    }

    /** Sends text within the limit; beyond it, to the file (one per cell) and says so once. */
    private void send(String stream, byte[] bytes, int length) {
        long room = limit - sent;
        int shown = (int) Math.min(length, Math.max(0, room));
        if (shown < length && shown > 0) {
            int newline = lastIndexOf(bytes, (byte) '\n', shown);
            shown = newline >= 0 ? newline + 1 : Utf8.boundary(bytes, shown);
        }
        if (shown > 0) {
            publish(stream, new String(bytes, 0, shown, StandardCharsets.UTF_8));
            sent += shown;
        }
        if (shown < length) {
            try {
                if (rest == null) {
                    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "dlkit-output");
                    Files.createDirectories(dir);
                    restFile = dir.resolve("kernel-" + ProcessHandle.current().pid() + "-cell-" + cell + ".txt");
                    rest = Files.newOutputStream(restFile);
                    sent = limit; // nothing more is shown
                    publish(stream, String.format(Locale.ROOT, "%n[dlkit: output truncated after %s: the rest goes to %s;"
                            + " set DLKIT_OUTPUT_LIMIT (bytes) to show more]%n", size(limit), restFile));
                }
                rest.write(bytes, shown, length - shown);
                rest.flush();
                restBytes += length - shown;
            } catch (IOException e) {
                restBytes += length - shown; // counted as left out, even if the file failed
            }
        }
    }

    private static int lastIndexOf(byte[] bytes, byte b, int before) {
        for (int i = before - 1; i >= 0; i--) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String size(long bytes) {
        return bytes >= 1_000_000 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6)
                : String.format(Locale.ROOT, "%,d bytes", bytes);
    }

    /** One stream's waiting text. */
    private final class Buffer {
        private final String name;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream(256);
        private long since;

        Buffer(String name) {
            this.name = name;
        }

        /** Called with the cell output's lock held. */
        void write(byte[] b, int off, int len) {
            if (pending.size() == 0) {
                since = System.nanoTime();
                PENDING.add(CellOutput.this);
            }
            pending.write(b, off, len);
            if (pending.size() >= FLUSH_BYTES) {
                flush();
            }
        }

        boolean isEmpty() {
            return pending.size() == 0;
        }

        void flushIfStale() {
            if (pending.size() > 0 && System.nanoTime() - since >= FLUSH_MILLIS * 1_000_000L) {
                flush();
            }
        }

        /** Sends whole characters; a character split between two writes waits for its end. */
        void flush() {
            if (pending.size() == 0) {
                return;
            }
            byte[] bytes = pending.toByteArray();
            int complete = Utf8.boundary(bytes, bytes.length);
            pending.reset();
            pending.write(bytes, complete, bytes.length - complete);
            since = System.nanoTime();
            if (complete > 0) {
                send(name, bytes, complete);
            }
        }
    }

    /** {@code System.out} / {@code System.err}: each write goes to the writing thread's cell. */
    private static final class Router extends OutputStream {
        private final boolean error;

        Router(boolean error) {
            this.error = error;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            CellOutput target = current();
            if (target == null) {
                (error ? kernelErr : kernelOut).write(b, off, len);
                return;
            }
            synchronized (target) {
                (error ? target.err : target.out).write(b, off, len);
            }
        }

        @Override
        public void flush() {
            // Sent by time and size, never per line (see the class comment).
        }
    }

    /** Where UTF-8 text can be cut without splitting a character. */
    static final class Utf8 {
        private Utf8() {}

        /** The largest length up to {@code length} that ends on a character boundary. */
        static int boundary(byte[] bytes, int length) {
            int i = length;
            int back = 0;
            while (i > 0 && back < 4 && (bytes[i - 1] & 0xC0) == 0x80) { // continuation bytes
                i--;
                back++;
            }
            if (i == 0) {
                return length;
            }
            int lead = bytes[i - 1] & 0xFF;
            int needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            return back + 1 >= needed ? length : i - 1;
        }
    }

    @Override
    public String toString() {
        return "CellOutput(cell " + cell + ", sent " + sent + (ended ? ", ended" : "") + ")";
    }
}
