package dlkit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dlkit.engine.Engines;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two fits of one key: one trains, the other waits and reuses its result; no lock outlives its holder. */
class RunStoreTest {

    static NDManager manager;

    @TempDir Path runs;

    @BeforeAll
    static void start() {
        Engines.startQuietly();
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void twoThreadsFittingOneKeyTrainOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Boolean>> fromCache = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                fromCache.add(pool.submit(() -> {
                    try (Run run = LockProbe.fit(manager, runs).build().run()) {
                        return run.fromCache();
                    }
                }));
            }
            List<Boolean> outcomes = new ArrayList<>();
            for (Future<Boolean> f : fromCache) {
                outcomes.add(f.get(60, TimeUnit.SECONDS));
            }
            Collections.sort(outcomes);
            assertEquals(List.of(false, true), outcomes, "one trained, the other read its result");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anotherProcessWaitsForTheLockAndTrainsAfterIt() throws Exception {
        String key = LockProbe.fit(manager, runs).build().key();
        RunStore.Entry entry = new RunStore.Entry(runs, "shared", key);
        Process child;
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        try (AutoCloseable lock = entry.lock()) {
            child = start("fit", lines);
            waitFor(lines, "waiting for it to finish", 30);
            assertTrue(lines.stream().anyMatch(l -> l.contains("process " + ProcessHandle.current().pid())),
                    "the waiting process names the holder: " + lines);
            Thread.sleep(500);
            assertTrue(child.isAlive(), "it waits while the lock is held");
            assertFalse(entry.complete());
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "it finishes once the lock is free");
        assertEquals(0, child.exitValue(), String.join("\n", lines));
        waitFor(lines, "trained", 5);
        assertTrue(entry.complete(), "its run is stored");
        try (Run run = LockProbe.fit(manager, runs).build().run()) {
            assertTrue(run.fromCache(), "and reused here");
        }
    }

    @Test
    void aKilledHolderLeavesNoStaleLock() throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Process holder = start("hold", lines);
        waitFor(lines, "holding", 30);
        holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        try (Run run = LockProbe.fit(manager, runs).build().run()) {
            assertFalse(run.fromCache());
        }
        assertTrue((System.nanoTime() - t0) / 1e9 < 30, "no wait for a dead process");
    }

    private Process start(String mode, List<String> lines) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), LockProbe.class.getName(), mode, runs.toString())
                .redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add(e.toString());
            }
        });
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    private static void waitFor(List<String> lines, String text, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            synchronized (lines) {
                if (lines.stream().anyMatch(l -> l.contains(text))) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line with '" + text + "' in " + seconds + " s: " + lines);
    }
}
