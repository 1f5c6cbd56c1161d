package dlkit.kernel;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Collects what a cell prints and passes it on in whole lines. JJava's notebook stream is an
 * auto-flushing PrintStream, and PrintStream writes every piece of a {@code printf} separately, so
 * one formatted line reached the notebook as several stream messages. Text without a newline (a
 * progress dot) is passed on by {@link #flushIfStale} at the latest, or when the cell ends.
 */
final class LineBufferedOutput extends OutputStream {

    /** How long text without a newline may wait before it is shown anyway. */
    static final long STALE_NANOS = 100_000_000L;

    private final PrintStream target;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(256);
    private long pendingSince;

    LineBufferedOutput(PrintStream target) {
        this.target = target;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return;
        }
        if (pending.size() == 0) {
            pendingSince = System.nanoTime();
        }
        int lastNewline = -1;
        for (int i = offset + length - 1; i >= offset; i--) {
            if (bytes[i] == '\n') {
                lastNewline = i;
                break;
            }
        }
        if (lastNewline < 0) {
            pending.write(bytes, offset, length);
            return;
        }
        pending.write(bytes, offset, lastNewline + 1 - offset);
        emit();
        pending.write(bytes, lastNewline + 1, offset + length - lastNewline - 1);
        pendingSince = System.nanoTime();
    }

    /** Passes on everything collected so far. */
    @Override
    public synchronized void flush() {
        emit();
    }

    /** Passes on text that has waited longer than {@link #STALE_NANOS} for its newline. */
    synchronized void flushIfStale() {
        if (pending.size() > 0 && System.nanoTime() - pendingSince > STALE_NANOS) {
            emit();
        }
    }

    private void emit() {
        if (pending.size() > 0) {
            // One write of whole lines: the auto-flushing target sends it as one stream message.
            target.write(pending.toByteArray(), 0, pending.size());
            pending.reset();
        }
        target.flush();
    }
}
