package dlkit.train;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dlkit.files.AtomicFiles;
import dlkit.files.Digests;
import dlkit.files.ProjectDir;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The run cache: where finished runs are kept, how an entry is written and proven intact, who may
 * train it, and the results files of searches.
 *
 * <p>An entry is a directory {@code runs/<name>-<key>/} (the key is a {@link RunKey}) holding {@code
 * params.bin} (DJL's {@code Block.saveParameters} format), {@code history.csv}, {@code batches.csv},
 * {@code metrics.json}, {@code provenance.json} and, written last, {@code manifest.json} with every
 * file's SHA-256: an entry without a valid manifest does not count. Every file is written atomically.
 * While training, the same directory holds {@code checkpoint.bin} and {@code lock}.
 *
 * <p>The key describes the computation, not the name: a fit whose own entry is missing reads a
 * finished entry of the same key stored under another name.
 *
 * <p>Two processes fitting the same key: the first takes the entry's lock and trains; the second
 * says that it waits, then returns the stored run. The lock is an operating-system file lock, which
 * the system releases when its process ends, so a crashed process leaves no stale lock (on a network
 * file system that does not support locks, both train and the last to finish writes the entry).
 */
public final class RunStore {

    static final String PARAMS = "params.bin";
    static final String HISTORY = "history.csv";
    static final String BATCHES = "batches.csv";
    static final String METRICS = "metrics.json";
    static final String PROVENANCE = "provenance.json";
    static final String MANIFEST = "manifest.json";
    static final String CHECKPOINT = "checkpoint.bin";
    static final String LOCK = "lock";
    static final List<String> ENTRY_FILES = List.of(PARAMS, HISTORY, BATCHES, METRICS, PROVENANCE);

    static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /** Locks held by this JVM: a file lock cannot be taken twice by one process. */
    private static final Map<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

    private RunStore() {}

    /**
     * The runs root: system property {@code dlkit.runs}, else {@code DLKIT_RUNS}, else {@code runs/}
     * in the project root, else {@code ./runs} (see {@link ProjectDir}).
     *
     * @return the directory that holds the run entries
     */
    public static Path root() {
        return ProjectDir.locate("runs", "dlkit.runs", "DLKIT_RUNS").path();
    }

    /** A stored run as read back: history, final metrics, why it stopped early (or null). */
    record Stored(History history, Map<String, Double> metrics, String divergence, String stopped) {}

    /** One run's directory. */
    static final class Entry {
        private final Path dir;
        private final String key;

        Entry(Path runsDir, String name, String key) {
            this((runsDir != null ? runsDir : root()).resolve(name + "-" + key), key);
        }

        private Entry(Path dir, String key) {
            this.dir = dir;
            this.key = key;
        }

        /**
         * A finished entry of the same key under another name, or null: the key describes the
         * computation and leaves the name out, so a run repeated under a new name (a grid cell that
         * is one of a comparison's runs, a search pruned after the same search in full) is found.
         */
        Entry sameComputation() throws IOException {
            String suffix = "-" + key;
            if (!Files.isDirectory(dir.getParent())) {
                return null;
            }
            try (Stream<Path> dirs = Files.list(dir.getParent())) {
                return dirs.filter(d -> !d.equals(dir) && d.getFileName().toString().endsWith(suffix)
                                && Files.exists(d.resolve(MANIFEST)))
                        .sorted()
                        .findFirst()
                        .map(d -> new Entry(d, key))
                        .orElse(null);
            }
        }

        Path dir() {
            return dir;
        }

        Path checkpoint() {
            return dir.resolve(CHECKPOINT);
        }

        /** Whether the entry has a manifest (it may still turn out damaged). */
        boolean complete() {
            return Files.exists(dir.resolve(MANIFEST));
        }

        /**
         * Takes the entry's lock, waiting (and saying so) while another fit of the same key holds it.
         *
         * @return the lock; close it when training is over
         * @throws CancellationException if the thread is interrupted while waiting
         */
        AutoCloseable lock() throws IOException {
            AtomicFiles.createDirectories(dir);
            Path file = dir.resolve(LOCK).toAbsolutePath().normalize();
            ReentrantLock local = LOCAL.computeIfAbsent(file, f -> new ReentrantLock());
            try {
                if (!local.tryLock()) {
                    Progress.message("dlkit: another fit in this session is training " + dir.getFileName()
                            + "; waiting for it to finish.");
                    local.lockInterruptibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while waiting for " + dir.getFileName());
            }
            FileChannel channel = null;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    Progress.message("dlkit: " + holder(file) + " is training " + dir.getFileName()
                            + "; waiting for it to finish (its result is then reused).");
                    lock = channel.lock();
                }
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(("process " + ProcessHandle.current().pid())
                        .getBytes(StandardCharsets.UTF_8)), 0);
                FileChannel held = channel;
                FileLock taken = lock;
                return () -> {
                    try (held) {
                        taken.release();
                    } finally {
                        local.unlock();
                    }
                };
            } catch (ClosedByInterruptException e) {
                local.unlock();
                throw new CancellationException("interrupted while waiting for " + dir.getFileName());
            } catch (IOException | RuntimeException e) {
                if (channel != null) {
                    channel.close();
                }
                local.unlock();
                throw e;
            }
        }

        private static String holder(Path lockFile) {
            try {
                String text = Files.readString(lockFile).trim();
                return text.isEmpty() ? "another process" : "another " + text;
            } catch (IOException e) {
                return "another process";
            }
        }

        /**
         * Reads the entry into {@code block} after checking every file against the manifest.
         *
         * @return the stored history and metrics
         * @throws IOException naming what is missing or damaged
         */
        Stored read(Block block, NDManager manager) throws IOException {
            Map<String, byte[]> files = readVerified();
            History history = History.fromCsv(text(files, HISTORY), text(files, BATCHES));
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(files.get(PARAMS)))) {
                block.loadParameters(manager, in);
            } catch (MalformedModelException e) {
                throw new IOException("params.bin does not fit the model: " + e.getMessage(), e);
            }
            StoredMetrics m = GSON.fromJson(text(files, METRICS), StoredMetrics.class);
            if (m == null || m.metrics == null) {
                throw new IOException("metrics.json is incomplete");
            }
            return new Stored(history, m.metrics, m.divergence, m.stopped);
        }

        /** Writes a finished run; the manifest last, and then the checkpoint goes. */
        void write(Block block, History history, Map<String, Double> metrics, String divergence, String stopped,
                Map<String, Object> provenance) throws IOException {
            ByteArrayOutputStream params = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(params)) {
                block.saveParameters(out);
            }
            AtomicFiles.createDirectories(dir);
            Files.deleteIfExists(dir.resolve(MANIFEST));
            AtomicFiles.write(dir.resolve(PARAMS), params.toByteArray());
            AtomicFiles.writeString(dir.resolve(HISTORY), history.epochsCsv());
            AtomicFiles.writeString(dir.resolve(BATCHES), history.batchesCsv());
            StoredMetrics m = new StoredMetrics();
            m.metrics = metrics;
            m.divergence = divergence;
            m.stopped = stopped;
            AtomicFiles.writeString(dir.resolve(METRICS), GSON.toJson(m));
            AtomicFiles.writeString(dir.resolve(PROVENANCE), GSON.toJson(provenance));
            writeManifest();
            Files.deleteIfExists(checkpoint());
        }

        private void writeManifest() throws IOException {
            Map<String, String> sums = new TreeMap<>();
            for (String name : ENTRY_FILES) {
                sums.put(name, Digests.sha256(Files.readAllBytes(dir.resolve(name))));
            }
            JsonObject manifest = new JsonObject();
            manifest.addProperty("format", Fit.CACHE_FORMAT);
            manifest.addProperty("key", key);
            manifest.add("sha256", GSON.toJsonTree(sums));
            AtomicFiles.writeString(dir.resolve(MANIFEST), GSON.toJson(manifest));
        }

        private Map<String, byte[]> readVerified() throws IOException {
            JsonObject manifest;
            try {
                manifest = GSON.fromJson(Files.readString(dir.resolve(MANIFEST)), JsonObject.class);
            } catch (RuntimeException e) {
                throw new IOException("manifest.json is unreadable: " + e.getMessage(), e);
            }
            if (manifest == null || !manifest.has("sha256") || !manifest.has("key")
                    || !key.equals(manifest.get("key").getAsString())) {
                throw new IOException("manifest.json is incomplete or belongs to another run");
            }
            JsonObject sums = manifest.getAsJsonObject("sha256");
            Map<String, byte[]> files = new TreeMap<>();
            for (String name : ENTRY_FILES) {
                Path file = dir.resolve(name);
                if (!Files.exists(file)) {
                    throw new IOException(name + " is missing");
                }
                byte[] bytes = Files.readAllBytes(file);
                if (!sums.has(name) || !sums.get(name).getAsString().equals(Digests.sha256(bytes))) {
                    throw new IOException(name + " does not match its checksum");
                }
                files.put(name, bytes);
            }
            return files;
        }

        /** Removes the entry's files (the manifest first, so that it stops counting at once). */
        void clear() throws IOException {
            Files.deleteIfExists(dir.resolve(MANIFEST));
            for (String name : ENTRY_FILES) {
                Files.deleteIfExists(dir.resolve(name));
            }
            Files.deleteIfExists(checkpoint());
        }

        private static String text(Map<String, byte[]> files, String name) {
            return new String(files.get(name), StandardCharsets.UTF_8);
        }
    }

    private static final class StoredMetrics {
        Map<String, Double> metrics;
        String divergence;
        String stopped;
    }

    /**
     * What {@code provenance.json} records: key, name, time, seed, profile, data, versions and every
     * described item of the key (the optimizer's settings one by one).
     */
    static Map<String, Object> provenance(Fit fit, RunKey key) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("key", key.hash());
        p.put("name", fit.name);
        p.put("created", Instant.now().toString());
        p.put("seed", fit.seed);
        p.put("profile", fit.profile.id());
        p.put("data", key.items().get("data")); // as keyed: hashing the data again would take as long
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("dlkit", dlkit.Version.get());
        versions.put("djl", Engine.getDjlVersion());
        versions.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        versions.put("java", System.getProperty("java.version"));
        p.put("versions", versions);
        p.put("config", key.items());
        return p;
    }

    /**
     * Reads a JSON results file kept beside the runs (a search's finished trials).
     *
     * @param file the file
     * @param type what it holds
     * @param <T> what it holds
     * @return the contents, or null when there is no such file
     * @throws IOException when it exists but cannot be read or parsed
     */
    public static <T> T readJson(Path file, Type type) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return GSON.fromJson(Files.readString(file), type);
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * Writes a JSON results file atomically: a reader sees the old or the new contents, never a part.
     *
     * @param file the file (its directory is created)
     * @param value what to write
     * @throws IOException if it cannot be written
     */
    public static void writeJson(Path file, Object value) throws IOException {
        AtomicFiles.createDirectories(file.getParent());
        AtomicFiles.writeString(file, GSON.toJson(value));
    }
}
