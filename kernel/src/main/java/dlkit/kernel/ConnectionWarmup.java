package dlkit.kernel;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The protocol side of the class-data-sharing warm-up ({@code dlkit-kernel --warmup}): binds the
 * kernel's sockets on loopback ports and asks it for its kernel info as a client would, so that
 * the archive also holds the classes a real start loads for ZeroMQ, message parsing and signing
 * (about 600 of them). Without them, their loading ran on the main thread while JShell's first
 * compilation, a cold start's critical path, needed the same two cores.
 */
final class ConnectionWarmup {

    private ConnectionWarmup() {}

    /**
     * Connects the kernel to a throw-away loopback connection and exchanges one request and reply.
     *
     * @return whether the reply came and the connection closed
     */
    static boolean run(JavaKernel kernel) throws Exception {
        KernelConnectionProperties props = loopbackProperties();
        KernelConnection connection = new KernelConnection(props);
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        boolean replied = false;
        boolean closed;
        try (ZContext context = new ZContext()) {
            ZMQ.Socket iopub = context.createSocket(SocketType.SUB);
            iopub.subscribe(new byte[0]);
            iopub.connect("tcp://127.0.0.1:" + props.getIopubPort());
            ZMQ.Socket shell = context.createSocket(SocketType.DEALER);
            shell.connect("tcp://127.0.0.1:" + props.getShellPort());
            shell.setReceiveTimeOut(10_000);
            send(shell, props.createHMACGenerator(), "kernel_info_request");
            for (String frame; (frame = shell.recvStr()) != null; ) {
                replied |= frame.contains("\"kernel_info_reply\"");
                if (!shell.hasReceiveMore()) {
                    break;
                }
            }
        } finally {
            closed = closeWithin(connection, 10_000);
        }
        return replied && closed;
    }

    /**
     * Closes the connection on another thread and waits at most {@code ms}: a close that hangs
     * (ZeroMQ waits for every socket) must fail the warm-up, not stall the kernel's installation.
     */
    private static boolean closeWithin(KernelConnection connection, long ms) throws InterruptedException {
        Thread closer = new Thread(connection::close, "warmup-close");
        closer.setDaemon(true);
        closer.start();
        closer.join(ms);
        if (closer.isAlive()) {
            System.err.println("dlkit kernel warm-up: closing the loopback connection took over " + ms + " ms");
            return false;
        }
        return true;
    }

    /** A connection on free loopback ports with a random key. */
    static KernelConnectionProperties loopbackProperties() throws java.io.IOException {
        int[] ports = freePorts(5);
        return new KernelConnectionProperties("127.0.0.1", ports[0], ports[1], ports[2], ports[3], ports[4], "tcp",
                "hmac-sha256", UUID.randomUUID().toString());
    }

    private static void send(ZMQ.Socket socket, HMACGenerator hmac, String type) {
        String header = "{\"msg_id\":\"" + UUID.randomUUID() + "\",\"session\":\"warmup\",\"username\":\"warmup\","
                + "\"date\":\"" + Instant.now() + "\",\"msg_type\":\"" + type + "\",\"version\":\"5.3\"}";
        byte[][] parts = {bytes(header), bytes("{}"), bytes("{}"), bytes("{}")};
        socket.sendMore("<IDS|MSG>");
        socket.sendMore(hmac.calculateSignature(parts));
        for (int i = 0; i < parts.length; i++) {
            if (i < parts.length - 1) {
                socket.sendMore(parts[i]);
            } else {
                socket.send(parts[i]);
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Distinct free ports: all held open until each is known, or the system may hand one out twice. */
    private static int[] freePorts(int count) throws java.io.IOException {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }
}
