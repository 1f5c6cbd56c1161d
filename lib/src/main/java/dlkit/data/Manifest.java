package dlkit.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The expected size and SHA-256 of every dataset file, and the digests of the archives they come
 * in; parsed from {@code dlkit/data/manifest.txt}, whose comments describe the format.
 */
final class Manifest {

    /** Marks a value that is not known in advance. */
    static final long UNKNOWN_SIZE = -1;

    /**
     * One file of a dataset.
     *
     * @param dataset the dataset's directory name
     * @param name the file's path inside the dataset directory, without {@code .gz}
     * @param size the uncompressed content's length, or {@link #UNKNOWN_SIZE}
     * @param sha256 the uncompressed content's SHA-256 in hex, or {@code null} when not known
     */
    record FileEntry(String dataset, String name, long size, String sha256) {}

    /**
     * An archive that dataset files are fetched in.
     *
     * @param name the archive's file name
     * @param algorithm the {@link java.security.MessageDigest} algorithm of its digest
     * @param digest the digest in hex
     */
    record ArchiveEntry(String name, String algorithm, String digest) {}

    private static Manifest standard;

    private final Map<String, FileEntry> files = new LinkedHashMap<>();
    private final Map<String, ArchiveEntry> archives = new LinkedHashMap<>();

    private Manifest() {}

    /**
     * The manifest that ships with the library.
     *
     * @return the parsed {@code dlkit/data/manifest.txt}
     */
    static synchronized Manifest standard() {
        if (standard == null) {
            String resource = "manifest.txt";
            try (InputStream in = Manifest.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("dlkit/data/" + resource + " is missing from the classpath");
                }
                standard = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return standard;
    }

    /**
     * Parses manifest text.
     *
     * @param text lines in the manifest format
     * @return the manifest
     * @throws IllegalArgumentException naming the line that is malformed
     */
    static Manifest parse(String text) {
        Manifest manifest = new Manifest();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f[0].equals("file") && f.length == 5) {
                long size = f[3].equals("-") ? UNKNOWN_SIZE : Long.parseLong(f[3]);
                String sha = f[4].equals("-") ? null : f[4].toLowerCase(Locale.ROOT);
                manifest.files.put(key(f[1], f[2]), new FileEntry(f[1], f[2], size, sha));
            } else if (f[0].equals("archive") && f.length == 4) {
                manifest.archives.put(f[1], new ArchiveEntry(f[1], f[2], f[3].toLowerCase(Locale.ROOT)));
            } else {
                throw new IllegalArgumentException("manifest line " + (i + 1) + " is malformed: " + line);
            }
        }
        return manifest;
    }

    /**
     * Looks up one file.
     *
     * @param dataset the dataset's directory name
     * @param name the file's name without {@code .gz}
     * @return its entry
     * @throws IllegalStateException when the manifest lacks it (a packaging error)
     */
    FileEntry file(String dataset, String name) {
        FileEntry entry = files.get(key(dataset, name));
        if (entry == null) {
            throw new IllegalStateException("the dataset manifest has no entry for " + dataset + "/" + name);
        }
        return entry;
    }

    /**
     * All files of one dataset, in manifest order.
     *
     * @param dataset the dataset's directory name
     * @return its entries
     */
    List<FileEntry> files(String dataset) {
        List<FileEntry> result = new ArrayList<>();
        for (FileEntry entry : files.values()) {
            if (entry.dataset().equals(dataset)) {
                result.add(entry);
            }
        }
        return result;
    }

    /**
     * Looks up one archive.
     *
     * @param name the archive's file name
     * @return its entry
     * @throws IllegalStateException when the manifest lacks it (a packaging error)
     */
    ArchiveEntry archive(String name) {
        ArchiveEntry entry = archives.get(name);
        if (entry == null) {
            throw new IllegalStateException("the dataset manifest has no entry for archive " + name);
        }
        return entry;
    }

    private static String key(String dataset, String name) {
        return dataset + "/" + name;
    }
}
