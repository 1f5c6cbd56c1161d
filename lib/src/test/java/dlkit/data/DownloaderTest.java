package dlkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The downloader against a local server playing a good host, a corrupting one, one that cuts the
 * response short, one that answers 404, and ones that stall: the target is only ever replaced by
 * a complete, checked file, and nothing half-written is left behind.
 */
class DownloaderTest {

    private static final byte[] OLD = "the previous, good content".getBytes(StandardCharsets.UTF_8);

    @TempDir Path dir;

    private final byte[] content = new byte[300_000];
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private LocalServer server;
    private Downloader downloader;
    private Path target;

    @BeforeEach
    void start() throws IOException {
        new Random(1).nextBytes(content);
        server = new LocalServer();
        downloader = new Downloader(Duration.ofSeconds(2), Duration.ofMillis(400), 2, Duration.ofMillis(10),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        target = dir.resolve("file.bin");
        Files.write(target, OLD);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private final Downloader.Check sameAsContent = file -> {
        if (!TestData.sha256(Files.readAllBytes(file)).equals(TestData.sha256(content))) {
            throw new IOException("checksum mismatch");
        }
    };

    private void assertTargetUntouchedAndNoLeftovers() throws IOException {
        assertArrayEquals(OLD, Files.readAllBytes(target), "the target must be untouched");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList(), "no temporary file may be left");
        }
    }

    @Test
    void goodFileReplacesTheTarget() throws IOException {
        server.serve("/f", content);
        downloader.download(server.uri("/f"), target, "f", sameAsContent);
        assertArrayEquals(content, Files.readAllBytes(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the target remains");
        }
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("f: 0.3 MB"), log::toString);
    }

    @Test
    void corruptedFileIsRejectedAfterEveryTry() throws IOException {
        byte[] corrupted = content.clone();
        corrupted[1234] ^= 1;
        server.serve("/f", corrupted);
        IOException e = assertThrows(IOException.class,
                () -> downloader.download(server.uri("/f"), target, "f", sameAsContent));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        assertEquals(2, server.requests("/f"), "tried again, then gave up");
        assertTargetUntouchedAndNoLeftovers();
    }

    @Test
    void truncatedResponseIsRejected() throws IOException {
        server.on("/f", (ex, n) -> LocalServer.sendTruncated(ex, content, 100_000));
        IOException e = assertThrows(IOException.class,
                () -> downloader.download(server.uri("/f"), target, "f", sameAsContent));
        assertFalse(e.getMessage().contains("checksum"), "caught before the check: " + e.getMessage());
        assertTargetUntouchedAndNoLeftovers();
    }

    @Test
    void notFoundIsNotRetried() throws IOException {
        IOException e = assertThrows(Downloader.PermanentFailure.class,
                () -> downloader.download(server.uri("/missing"), target, "f", sameAsContent));
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        assertEquals(1, server.requests("/missing"));
        assertTargetUntouchedAndNoLeftovers();
    }

    @Test
    void serverErrorIsRetried() throws IOException {
        server.on("/f", (ex, n) -> {
            if (n == 1) {
                LocalServer.status(ex, 503);
            } else {
                LocalServer.send(ex, content);
            }
        });
        downloader.download(server.uri("/f"), target, "f", sameAsContent);
        assertArrayEquals(content, Files.readAllBytes(target));
        assertEquals(2, server.requests("/f"));
    }

    @Test
    void stallInTheMiddleOfTheBodyTimesOut() throws IOException {
        server.on("/f", server.stallAfter(content, 50_000));
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class,
                () -> downloader.download(server.uri("/f"), target, "f", sameAsContent));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(e.getMessage().contains("stopped sending"), e.getMessage());
        assertTrue(seconds < 5, "two tries of a 0.4 s idle limit took " + seconds + " s");
        assertFalse(Thread.currentThread().isInterrupted(), "the watchdog's interrupt must not leak");
        assertTargetUntouchedAndNoLeftovers();
    }

    @Test
    void stallBeforeAnyResponseTimesOut() throws IOException {
        server.on("/f", server.stallBeforeHeaders());
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class,
                () -> downloader.download(server.uri("/f"), target, "f", sameAsContent));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(e.getMessage().contains("no response"), e.getMessage());
        assertTrue(seconds < 5, "took " + seconds + " s");
        assertTargetUntouchedAndNoLeftovers();
    }

    @Test
    void unreachableHostFailsFastAndIsNotTriedAgain() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + closedPort + "/f");
        long start = System.nanoTime();
        IOException first = assertThrows(Downloader.PermanentFailure.class,
                () -> downloader.download(url, target, "f", sameAsContent));
        assertTrue(first.getMessage().contains("cannot connect"), first.getMessage());
        IOException second = assertThrows(Downloader.PermanentFailure.class,
                () -> downloader.download(url, target, "g", sameAsContent));
        assertTrue(second.getMessage().contains("not tried again"), second.getMessage());
        assertTrue((System.nanoTime() - start) / 1e9 < 2);
        assertTargetUntouchedAndNoLeftovers();
    }
}
