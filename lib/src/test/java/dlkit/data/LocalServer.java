package dlkit.data;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** An HTTP server on 127.0.0.1 that plays good and bad download hosts; close it after each test. */
final class LocalServer implements AutoCloseable {

    /** What the server does for one path. */
    interface Behaviour {
        void respond(HttpExchange exchange, int requestNumber) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    /** Released on close, so that stalling handlers end. */
    private final CountDownLatch closing = new CountDownLatch(1);

    LocalServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            int n = requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            total.incrementAndGet();
            Behaviour behaviour = behaviours.getOrDefault(path, (ex, i) -> status(ex, 404));
            try {
                behaviour.respond(exchange, n);
            } catch (Exception e) {
                // the client went away or the behaviour broke the response on purpose
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    LocalServer on(String path, Behaviour behaviour) {
        behaviours.put(path, behaviour);
        return this;
    }

    LocalServer serve(String path, byte[] content) {
        return on(path, (ex, n) -> send(ex, content));
    }

    int requests(String path) {
        AtomicInteger n = requests.get(path);
        return n == null ? 0 : n.get();
    }

    int totalRequests() {
        return total.get();
    }

    static void send(HttpExchange exchange, byte[] content) throws IOException {
        exchange.sendResponseHeaders(200, content.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(content);
        }
    }

    static void status(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
    }

    /** Announces the whole length, sends only the first part, then drops the connection. */
    static void sendTruncated(HttpExchange exchange, byte[] content, int sent) throws IOException {
        exchange.sendResponseHeaders(200, content.length);
        OutputStream out = exchange.getResponseBody();
        out.write(content, 0, sent);
        out.flush();
        throw new IOException("dropping the connection on purpose");
    }

    /** Sends the first part, then stops sending until the server closes. */
    Behaviour stallAfter(byte[] content, int sent) {
        return (exchange, n) -> {
            exchange.sendResponseHeaders(200, content.length);
            OutputStream out = exchange.getResponseBody();
            out.write(content, 0, sent);
            out.flush();
            closing.await(30, TimeUnit.SECONDS);
        };
    }

    /** Never answers until the server closes. */
    Behaviour stallBeforeHeaders() {
        return (exchange, n) -> closing.await(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
