package dlkit.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dlkit.files.AtomicFiles;
import dlkit.files.Digests;
import dlkit.files.ProjectDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Files of the run cache: where runs live and the manifest that proves an entry complete and
 * intact (files are written with {@link AtomicFiles}).
 *
 * <p>An entry is a directory {@code runs/<name>-<key>/} holding {@code params.bin} (DJL's
 * {@code Block.saveParameters} format), {@code history.csv}, {@code batches.csv}, {@code
 * metrics.json}, {@code provenance.json} and, written last, {@code manifest.json} with every
 * file's SHA-256. While training, the same directory holds {@code checkpoint.bin}.
 */
final class RunStore {

    static final String PARAMS = "params.bin";
    static final String HISTORY = "history.csv";
    static final String BATCHES = "batches.csv";
    static final String METRICS = "metrics.json";
    static final String PROVENANCE = "provenance.json";
    static final String MANIFEST = "manifest.json";
    static final String CHECKPOINT = "checkpoint.bin";
    static final List<String> ENTRY_FILES = List.of(PARAMS, HISTORY, BATCHES, METRICS, PROVENANCE);

    static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private RunStore() {}

    /**
     * The runs root: system property {@code dlkit.runs}, else {@code DLKIT_RUNS}, else {@code runs/}
     * in the project root, else {@code ./runs} (see {@link ProjectDir}).
     */
    static Path root() {
        return ProjectDir.locate("runs", "dlkit.runs", "DLKIT_RUNS").path();
    }

    /** Writes the manifest last: from then on the entry counts as complete. */
    static void writeManifest(Path dir, String key) throws IOException {
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

    /** Whether the entry has a manifest (it may still turn out damaged). */
    static boolean complete(Path dir) {
        return Files.exists(dir.resolve(MANIFEST));
    }

    /**
     * Reads and checks an entry's files against its manifest.
     *
     * @return file name to contents
     * @throws IOException naming what is missing or damaged
     */
    static Map<String, byte[]> readVerified(Path dir, String key) throws IOException {
        JsonObject manifest;
        try {
            manifest = GSON.fromJson(Files.readString(dir.resolve(MANIFEST)), JsonObject.class);
        } catch (RuntimeException e) {
            throw new IOException("manifest.json is unreadable: " + e.getMessage(), e);
        }
        if (manifest == null
                || !manifest.has("sha256")
                || !manifest.has("key")
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

    /** Removes an entry's files (not the directory's unknown files). */
    static void clear(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(MANIFEST)); // first: the entry stops counting as complete
        for (String name : ENTRY_FILES) {
            Files.deleteIfExists(dir.resolve(name));
        }
        Files.deleteIfExists(dir.resolve(CHECKPOINT));
    }
}
