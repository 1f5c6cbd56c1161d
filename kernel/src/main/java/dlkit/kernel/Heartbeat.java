package dlkit.kernel;

import org.dflib.jjava.jupyter.channels.JupyterSocket;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * The heartbeat channel: echoes each ping at once.
 *
 * <p>Replaces JJava's, which polls every 500 ms and closes its socket without waiting for its
 * thread, the race {@link SocketLoop} exists to avoid.
 */
final class Heartbeat extends JupyterSocket {

    private volatile SocketLoop loop;

    Heartbeat(ZMQ.Context context, HMACGenerator hmac) {
        super(context, SocketType.REP, hmac, LoggerFactory.getLogger("Heartbeat"));
    }

    @Override
    public void bind(KernelConnectionProperties props) {
        super.bind(formatAddress(props.getTransport(), props.getIp(), props.getHbPort()));
        loop = SocketLoop.start(ctx, this, "jupyter-heartbeat", () -> {
            byte[] ping = recv(ZMQ.DONTWAIT);
            if (ping != null) {
                send(ping);
            }
        });
    }

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
