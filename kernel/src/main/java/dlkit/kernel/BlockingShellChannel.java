package dlkit.kernel;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.zeromq.ZMQ;

/**
 * A shell or control channel that waits on its socket instead of polling and sleeping.
 *
 * <p>JJava's {@link ShellChannel} polls, then sleeps 50 ms: every request would wait up to 50 ms
 * before it is even read. Here a {@link SocketLoop} blocks in {@code poll}, giving sub-millisecond
 * dispatch at no idle cost.
 */
final class BlockingShellChannel extends ShellChannel {

    /** Larger frames are refused by ZeroMQ (the sender is disconnected): 64 MB, far above any real request. */
    static final long MAX_MESSAGE_BYTES = Long.getLong("dlkit.kernel.maxMessage", 64L << 20);

    private final boolean control;
    private final JupyterConnection connection;
    private final MessageReader reader;
    private volatile SocketLoop loop;

    BlockingShellChannel(ZMQ.Context context, HMACGenerator hmac, boolean control, JupyterConnection connection) {
        super(context, hmac, control, connection);
        this.control = control;
        this.connection = connection;
        this.reader = new MessageReader(hmac);
        setMaxMsgSize(MAX_MESSAGE_BYTES);
    }

    @Override
    public void bind(KernelConnectionProperties props) {
        int port = control ? props.getControlPort() : props.getShellPort();
        super.bind(props.getTransport() + "://" + props.getIp() + ":" + port);
        loop = SocketLoop.start(ctx, this, control ? "jupyter-control" : "jupyter-shell", this::handleOne);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void handleOne() {
        Message<?> message = reader.read(this, control ? "control" : "shell");
        if (message == null) {
            return; // dropped and logged: go on serving
        }
        ShellHandler handler = connection.getHandler(message.getHeader().getType());
        if (handler == null) {
            CellOutput.log().println("dlkit kernel: ignored a message of unknown type '"
                    + message.getHeader().getType().getName() + "'");
            return;
        }
        ShellReplyEnvironment env = connection.prepareReplyEnv(this, message);
        try {
            handler.handle(env, message);
        } catch (Exception e) {
            logger.warn("Error handling {}: {}", message.getHeader().getType().getName(), e.toString());
        } finally {
            env.resolveDeferrals();
        }
        if (env.isMarkedForShutdown()) {
            loop.requestStop();
            KernelLifecycle.requestExit("shutdown requested");
        }
    }

    /** Stops the loop, then closes the socket: never while the loop is inside {@code poll}. */
    @Override
    public void close() {
        if (loop != null) {
            loop.stop();
        }
        super.close();
    }

    @Override
    public void waitUntilClose() {
        if (loop != null) {
            loop.await();
        }
    }
}
