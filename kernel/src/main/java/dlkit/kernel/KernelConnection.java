package dlkit.kernel;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.dflib.jjava.jupyter.messages.Message;
import org.zeromq.ZMQ;

/**
 * JJava's connection with {@link BlockingShellChannel}s for shell and control and our own
 * {@link Heartbeat}: each waits on its socket and is stopped before its socket closes.
 *
 * <p>JJava's own shell, control and heartbeat channels are created by its constructor but never
 * bound. Every socket is bound here, before any loop thread starts, so no request can arrive
 * half-way through start-up.
 */
final class KernelConnection extends JupyterConnection {

    private final KernelConnectionProperties props;
    private final ZMQ.Context context;
    private final BlockingShellChannel fastShell;
    private final BlockingShellChannel fastControl;
    private final Heartbeat fastHeartbeat;

    KernelConnection(KernelConnectionProperties props) throws NoSuchAlgorithmException, InvalidKeyException {
        super(props);
        this.props = props;
        this.context = ZMQ.context(1);
        this.fastShell = new BlockingShellChannel(context, props.createHMACGenerator(), false, this);
        this.fastControl = new BlockingShellChannel(context, props.createHMACGenerator(), true, this);
        this.fastHeartbeat = new Heartbeat(context, props.createHMACGenerator());
    }

    @Override
    public void connect() {
        fastHeartbeat.bind(props);
        stdin.bind(props);
        iopub.bind(props);
        getIOPub().sendMessage(new Message<>(null, PublishStatus.MESSAGE_TYPE, PublishStatus.STARTING));
        fastControl.bind(props);
        fastShell.bind(props);
    }

    @Override
    public void close() {
        fastShell.close();
        fastControl.close();
        fastHeartbeat.close();
        super.close();
        context.close();
    }

    @Override
    public void waitUntilClose() {
        fastShell.waitUntilClose();
        fastControl.waitUntilClose();
        fastHeartbeat.waitUntilClose();
    }
}
