package dlkit.kernel;

import org.zeromq.ZMQ;

/**
 * One thread that waits on one socket and handles what arrives, and stops cleanly.
 *
 * <p>A ZeroMQ socket is not thread-safe: closing it while its thread is inside {@code poll} broke
 * ZeroMQ's internal state (a failed assertion in its I/O thread, then a context that never
 * terminated). So {@link #stop()} waits for the loop to leave before the caller closes the socket.
 * The thread blocks in {@code poll} with a short timeout, so it answers at once and notices a
 * stop within that timeout, at no idle cost.
 */
final class SocketLoop {

    static final long POLL_TIMEOUT_MS = Long.getLong("dlkit.kernel.poll", 200);

    /** What the loop does when its socket is readable. */
    interface Handler {
        void handleOne();
    }

    private final Thread thread;
    private volatile boolean running = true;

    private SocketLoop(ZMQ.Context context, ZMQ.Socket socket, String name, Handler handler) {
        this.thread = new Thread(() -> loop(context, socket, handler), name);
        thread.setDaemon(true);
    }

    /** Starts a loop that calls {@code handler} whenever {@code socket} has a message. */
    static SocketLoop start(ZMQ.Context context, ZMQ.Socket socket, String name, Handler handler) {
        SocketLoop loop = new SocketLoop(context, socket, name, handler);
        loop.thread.start();
        return loop;
    }

    private void loop(ZMQ.Context context, ZMQ.Socket socket, Handler handler) {
        ZMQ.Poller poller = context.poller(1);
        poller.register(socket, ZMQ.Poller.POLLIN);
        try {
            while (running) {
                try {
                    if (poller.poll(POLL_TIMEOUT_MS) > 0 && running) {
                        handler.handleOne();
                    }
                } catch (org.zeromq.ZMQException | zmq.ZError.IOException | java.nio.channels.ClosedSelectorException e) {
                    if (running) {
                        CellOutput.log().println("dlkit kernel: " + thread.getName() + " stopped: " + e);
                    }
                    return; // the context is closing
                } catch (RuntimeException e) {
                    // One bad message must not stop the channel: log it and serve the next.
                    CellOutput.log().println("dlkit kernel: error on " + thread.getName() + ": " + e);
                }
            }
        } finally {
            running = false;
            poller.close();
        }
    }

    /** Asks the loop to end after the message it is handling, without waiting. */
    void requestStop() {
        running = false;
    }

    /**
     * Ends the loop and waits until it has left its socket, so the caller may close it. Called on
     * the loop's own thread (a shutdown request handled there), it only asks.
     */
    void stop() {
        running = false;
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(POLL_TIMEOUT_MS * 10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the loop to end, at most two seconds. */
    void await() {
        if (Thread.currentThread() != thread) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
