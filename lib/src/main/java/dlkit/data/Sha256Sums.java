package dlkit.data;

import dlkit.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@code SHA256SUMS} file in a dataset directory, in {@code sha256sum} format (so
 * {@code sha256sum -c SHA256SUMS} checks it too). For datasets whose hashes are not published
 * (CIFAR-10), it is written the first time the files verify, and catches any later change.
 */
final class Sha256Sums {

    static final String FILE_NAME = "SHA256SUMS";

    private final Path dir;
    private final Map<String, String> sums = new TreeMap<>();
    private boolean changed;

    private Sha256Sums(Path dir) {
        this.dir = dir;
    }

    /**
     * Reads a directory's SHA256SUMS.
     *
     * @param dir the dataset directory
     * @param fix how to repair the dataset, for the error message
     * @return the sums; empty when there is no file yet
     * @throws DatasetException when the file exists but is not in sha256sum format
     */
    static Sha256Sums read(Path dir, String fix) {
        Sha256Sums result = new Sha256Sums(dir);
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return result;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.strip().split("\\s+\\*?", 2);
                if (f.length != 2 || !f[0].matches("[0-9a-fA-F]{64}")) {
                    throw new DatasetException(
                            file, "is not in sha256sum format (line: " + line + ")",
                            "delete it, check the files, and " + fix);
                }
                result.sums.put(f[1], f[0].toLowerCase(java.util.Locale.ROOT));
            }
        } catch (IOException e) {
            throw new DatasetException(file, "cannot be read: " + e.getMessage(), fix, e);
        }
        return result;
    }

    /**
     * The recorded hash of a file.
     *
     * @param name the file's path relative to the dataset directory
     * @return its SHA-256, or {@code null} when none was recorded
     */
    String get(String name) {
        return sums.get(name);
    }

    void put(String name, String sha256) {
        if (!sha256.equals(sums.put(name, sha256))) {
            changed = true;
        }
    }

    /**
     * Writes the file if anything was added, atomically.
     *
     * @throws IOException when the directory is not writable
     */
    void save() throws IOException {
        if (!changed) {
            return;
        }
        StringBuilder text = new StringBuilder();
        sums.forEach((name, sha) -> text.append(sha).append("  ").append(name).append('\n'));
        AtomicFiles.writeString(dir.resolve(FILE_NAME), text.toString());
        changed = false;
    }
}
