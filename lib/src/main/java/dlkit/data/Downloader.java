package dlkit.data;

import dlkit.files.AtomicFiles;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Downloads a file so that the target is either the complete, checked file or untouched: the
 * bytes go to a temporary file next to the target, which is checked and only then renamed over
 * it. Connecting, waiting for a response and every read have time limits (a server that stops
 * sending fails after {@code idleTimeout}); transient failures are retried with a growing pause;
 * a host that cannot be reached is not tried again by this downloader.
 */
final class Downloader {

    /** Checks a finished download before it is moved into place. */
    @FunctionalInterface
    interface Check {
        /**
         * Verifies a downloaded file.
         *
         * @param downloaded the temporary file
         * @throws IOException saying what is wrong with it
         */
        void verify(Path downloaded) throws IOException;
    }

    /** A download failed for a reason that trying again will not fix. */
    static final class PermanentFailure extends IOException {
        private static final long serialVersionUID = 1L;

        PermanentFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final HttpClient client;
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    private final int attempts;
    private final Duration backoff;
    private final PrintStream out;
    private final boolean terminal;
    private final Set<String> unreachable = new HashSet<>();

    /**
     * Makes a downloader.
     *
     * @param connectTimeout the longest wait for a connection
     * @param idleTimeout the longest wait for a response, and for each further piece of the body
     * @param attempts tries per file, at least 1
     * @param backoff the pause after the first failed try; it doubles after each further one
     * @param out where progress is shown
     */
    Downloader(Duration connectTimeout, Duration idleTimeout, int attempts, Duration backoff, PrintStream out) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
        }
        this.connectTimeout = connectTimeout;
        this.idleTimeout = idleTimeout;
        this.attempts = attempts;
        this.backoff = backoff;
        this.out = out;
        this.terminal = out == System.out && stdoutIsTerminal();
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /**
     * Downloads {@code url} to {@code target}, checked by {@code check}.
     *
     * @param url where the file is
     * @param target where it goes; replaced only by a complete file that passed the check
     * @param label a short name for progress lines
     * @param check what the file must satisfy
     * @throws IOException after the last failed try, saying why; the target is then untouched and
     *     no temporary file is left
     */
    void download(URI url, Path target, String label, Check check) throws IOException {
        String host = hostOf(url);
        if (unreachable.contains(host)) {
            throw new PermanentFailure(url.getHost() + " could not be reached earlier; not tried again", null);
        }
        IOException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            Path temp = AtomicFiles.tempFileFor(target);
            try {
                fetch(url, temp, label);
                check.verify(temp);
                AtomicFiles.moveIntoPlace(temp, target);
                return;
            } catch (PermanentFailure e) {
                if (e.getCause() instanceof ConnectException || e.getCause() instanceof HttpConnectTimeoutException) {
                    unreachable.add(host);
                }
                throw e;
            } catch (IOException e) {
                last = e;
                if (attempt < attempts) {
                    long pause = backoff.toMillis() << (attempt - 1);
                    out.printf(Locale.ROOT, "  %s: try %d of %d failed (%s); trying again in %.1f s%n",
                            label, attempt, attempts, e.getMessage(), pause / 1000.0);
                    sleep(pause);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        throw last;
    }

    /**
     * Tells whether a URL's host failed to connect earlier, so that it is not tried again.
     *
     * @param url any URL on the host
     * @return true when the host could not be reached
     */
    boolean isUnreachable(URI url) {
        return unreachable.contains(hostOf(url));
    }

    private static String hostOf(URI url) {
        return url.getHost() + ":" + url.getPort();
    }

    private void fetch(URI url, Path temp, String label) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(idleTimeout).GET().build();
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofPublisher());
        } catch (HttpConnectTimeoutException e) {
            throw new PermanentFailure("no connection to " + url.getHost() + " within "
                    + seconds(connectTimeout), e);
        } catch (HttpTimeoutException e) {
            throw new IOException("no response from " + url.getHost() + " within " + seconds(idleTimeout), e);
        } catch (ConnectException e) {
            throw new PermanentFailure("cannot connect to " + url.getHost() + " (" + describe(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("download interrupted");
        }
        int status = response.statusCode();
        if (status != 200) {
            cancel(response.body());
            String message = "HTTP " + status + " from " + url;
            boolean transientStatus = status >= 500 || status == 408 || status == 429;
            throw transientStatus ? new IOException(message) : new PermanentFailure(message, null);
        }
        long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        long received = copy(response.body(), temp, new Progress(label, total));
        if (total >= 0 && received != total) {
            throw new IOException("response ended after " + received + " of " + total + " bytes");
        }
    }

    /** Marks the end of a response body in the queue. */
    private static final Object END = new Object();

    /** One piece of a response body, as the HTTP client hands it over. */
    private record Chunk(List<ByteBuffer> buffers) {}

    /**
     * Copies the body to the file. The pieces arrive through a queue that is polled with the idle
     * timeout, so a server that stops sending is noticed however the connection behaves; the
     * subscription is then cancelled, which closes the connection.
     */
    private long copy(Flow.Publisher<List<ByteBuffer>> body, Path temp, Progress progress) throws IOException {
        BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
        AtomicBoolean finished = new AtomicBoolean();
        body.subscribe(new Flow.Subscriber<List<ByteBuffer>>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription.set(s);
                if (finished.get()) {
                    s.cancel();
                } else {
                    s.request(1);
                }
            }

            @Override
            public void onNext(List<ByteBuffer> item) {
                queue.add(new Chunk(item));
            }

            @Override
            public void onError(Throwable error) {
                queue.add(error);
            }

            @Override
            public void onComplete() {
                queue.add(END);
            }
        });
        long received = 0;
        try (FileChannel file = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            while (true) {
                Object item = queue.poll(idleTimeout.toNanos(), TimeUnit.NANOSECONDS);
                if (item == null) {
                    throw new IOException("server stopped sending for " + seconds(idleTimeout) + " after "
                            + received + " bytes");
                }
                if (item == END) {
                    break;
                }
                if (item instanceof Throwable error) {
                    throw new IOException(
                            "download broke off after " + received + " bytes: " + describe(error), error);
                }
                for (ByteBuffer buffer : ((Chunk) item).buffers()) {
                    received += buffer.remaining();
                    while (buffer.hasRemaining()) {
                        file.write(buffer);
                    }
                }
                progress.update(received);
                subscription.get().request(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("download interrupted");
        } finally {
            finished.set(true);
            Flow.Subscription s = subscription.get();
            if (s != null) {
                s.cancel(); // a no-op after completion; closes a stalled or broken connection
            }
        }
        progress.done(received);
        return received;
    }

    /** Cancels an unwanted body, so that its connection is released. */
    private static void cancel(Flow.Publisher<List<ByteBuffer>> body) {
        body.subscribe(new Flow.Subscriber<List<ByteBuffer>>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.cancel();
            }

            @Override
            public void onNext(List<ByteBuffer> item) {}

            @Override
            public void onError(Throwable error) {}

            @Override
            public void onComplete() {}
        });
    }

    /** Prints a line per quarter when stdout is a file or pipe, a line rewritten in place on a terminal. */
    private final class Progress {
        private final String label;
        private final long total;
        private final long start = System.nanoTime();
        private long lastPrint;
        private int lastQuarter;

        Progress(String label, long total) {
            this.label = label;
            this.total = total;
        }

        void update(long received) {
            long now = System.nanoTime();
            if (terminal) {
                if (now - lastPrint > 200_000_000L) {
                    lastPrint = now;
                    out.print("\r  " + label + ": " + amount(received) + "   ");
                    out.flush();
                }
            } else if (total > 0) {
                int quarter = (int) (4 * received / total);
                if (quarter > lastQuarter && quarter < 4) {
                    lastQuarter = quarter;
                    out.println("  " + label + ": " + amount(received));
                }
            }
        }

        void done(long received) {
            double secondsTaken = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
            out.printf(Locale.ROOT, "%s  %s: %s in %.1f s (%.1f MB/s)%s%n", terminal ? "\r" : "", label,
                    amount(received), secondsTaken, received / 1e6 / secondsTaken, terminal ? "        " : "");
        }

        private String amount(long received) {
            String done = String.format(Locale.ROOT, "%.1f MB", received / 1e6);
            return total > 0
                    ? String.format(Locale.ROOT, "%s of %.1f MB (%d%%)", done, total / 1e6, 100 * received / total)
                    : done;
        }
    }

    /**
     * Whether progress may rewrite its line. Before JDK 22 a console exists only on a terminal;
     * from JDK 22 on it may exist anyway, and {@code Console.isTerminal()} tells.
     */
    private static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    private static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "host name not found";
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    private static void sleep(long millis) throws InterruptedIOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("download interrupted");
        }
    }
}
