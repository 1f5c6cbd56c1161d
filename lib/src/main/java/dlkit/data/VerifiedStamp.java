package dlkit.data;

import dlkit.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Remembers which files of a dataset directory had their content verified, so that the SHA-256
 * of 50 MB is not computed on every load.
 *
 * <p>Stored in {@code .verified}, one line per file: content SHA-256, stored size, modification
 * time (ms) and name. A line vouches for a file only while its size and modification time are
 * unchanged and the SHA-256 is the expected one; anything else makes the loader hash it again.
 */
final class VerifiedStamp {

    static final String FILE_NAME = ".verified";

    private record Line(String sha256, long size, long modified) {}

    private final Path dir;
    private final Map<String, Line> lines = new TreeMap<>();
    private boolean changed;

    private VerifiedStamp(Path dir) {
        this.dir = dir;
    }

    /**
     * Reads a directory's stamp; a missing or unreadable stamp vouches for nothing.
     *
     * @param dir the dataset directory
     * @return the stamp
     */
    static VerifiedStamp read(Path dir) {
        VerifiedStamp stamp = new VerifiedStamp(dir);
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return stamp;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                String[] f = line.strip().split(" ", 4);
                if (f.length == 4 && !line.startsWith("#")) {
                    stamp.lines.put(f[3], new Line(f[0], Long.parseLong(f[1]), Long.parseLong(f[2])));
                }
            }
        } catch (IOException | RuntimeException e) {
            stamp.lines.clear(); // a damaged stamp only costs a re-check
        }
        return stamp;
    }

    /**
     * Tells whether a file's content is known to have the given SHA-256.
     *
     * @param file the stored file
     * @param sha256 the content hash it must have
     * @return true when the stamp holds that hash for the file's current size and mtime
     */
    boolean vouches(Path file, String sha256) {
        Line line = lines.get(name(file));
        if (line == null || sha256 == null || !line.sha256.equals(sha256)) {
            return false;
        }
        try {
            return line.size == Files.size(file)
                    && line.modified == Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Records that a file's content was verified.
     *
     * @param file the stored file
     * @param sha256 its content hash
     */
    void record(Path file, String sha256) {
        try {
            Line line = new Line(sha256, Files.size(file), Files.getLastModifiedTime(file).toMillis());
            if (!line.equals(lines.put(name(file), line))) {
                changed = true;
            }
        } catch (IOException e) {
            // not recorded: the file is checked again next time
        }
    }

    /**
     * Writes the stamp if it changed. A read-only data directory is not an error: files are then
     * verified on every load.
     */
    void save() {
        if (!changed) {
            return;
        }
        StringBuilder text = new StringBuilder();
        text.append("# dlkit: content verified; sha256 size mtime-ms file."
                + " A file whose size or mtime changes is checked again.\n");
        lines.forEach((name, l) -> text.append(l.sha256).append(' ').append(l.size).append(' ')
                .append(l.modified).append(' ').append(name).append('\n'));
        try {
            AtomicFiles.writeString(dir.resolve(FILE_NAME), text.toString());
            changed = false;
        } catch (IOException e) {
            // read-only data: verification just happens on every load
        }
    }

    private String name(Path file) {
        return dir.relativize(file).toString().replace('\\', '/');
    }
}
