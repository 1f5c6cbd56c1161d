package dlkit.data;

import dlkit.files.Digests;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * One dataset's directory: finds each file (raw or {@code .gz}), reads its content, and checks the
 * content's SHA-256 against the manifest (or, where no hash is published, against the directory's
 * {@code SHA256SUMS}), skipping files that the {@link VerifiedStamp} vouches for.
 */
final class DatasetFiles {

    /**
     * A dataset file as found on disk.
     *
     * @param entry what the manifest says about it
     * @param path where it is
     * @param gzip whether it is stored gzip-compressed
     */
    record Stored(Manifest.FileEntry entry, Path path, boolean gzip) {}

    private final DatasetSpec spec;
    private final DataRoot root;
    private final Path dir;
    private final Manifest manifest;
    private final VerifiedStamp stamp;
    private Sha256Sums sums;

    DatasetFiles(DatasetSpec spec, DataRoot root, Manifest manifest) {
        this.spec = spec;
        this.root = root;
        this.dir = root.resolve(spec.dir());
        this.manifest = manifest;
        this.stamp = VerifiedStamp.read(dir);
    }

    Path dir() {
        return dir;
    }

    String fix() {
        return spec.fixCommand();
    }

    Manifest.FileEntry entry(String name) {
        return manifest.file(spec.dir(), name);
    }

    /**
     * Finds a file, preferring the uncompressed form when both exist.
     *
     * @param name the file's name in the manifest
     * @return where it is stored
     * @throws DatasetException when it is missing
     */
    Stored locate(String name) {
        Manifest.FileEntry entry = entry(name);
        Path raw = dir.resolve(name);
        if (Files.isRegularFile(raw)) {
            return new Stored(entry, raw, false);
        }
        Path gz = dir.resolve(name + ".gz");
        if (spec.isIdx() && Files.isRegularFile(gz)) {
            return new Stored(entry, gz, true);
        }
        throw new DatasetException(
                raw, "is missing" + (spec.isIdx() ? " (looked for it raw and as .gz)" : "")
                        + ". Data root: " + root + "; set DLKIT_DATA or -Ddlkit.data if the data is elsewhere.",
                fix());
    }

    /**
     * Reads a file's whole content, decompressing gzip.
     *
     * @param stored the file
     * @return a direct buffer holding the content, position 0
     * @throws DatasetException when the file is empty, unreadable or not valid gzip
     */
    ByteBuffer read(Stored stored) {
        Path path = stored.path();
        try {
            long size = Files.size(path);
            if (size == 0) {
                throw new DatasetException(path, "is empty (0 bytes)", fix());
            }
            return stored.gzip() ? readGzip(path, stored.entry().size()) : readRaw(path, size);
        } catch (EOFException e) {
            throw new DatasetException(path, "is a truncated gzip file (" + e.getMessage() + ")", fix(), e);
        } catch (ZipException e) {
            throw new DatasetException(path, "is not a valid gzip file (" + e.getMessage() + ")", fix(), e);
        } catch (IOException e) {
            throw new DatasetException(path, "cannot be read: " + e, fix(), e);
        }
    }

    /**
     * Tells whether the stamp vouches for a file, so that its content need not be read to verify it.
     *
     * @param stored the file
     * @return true when its expected content hash is recorded for its current size and mtime
     */
    boolean vouched(Stored stored) {
        Manifest.FileEntry entry = stored.entry();
        String expected = entry.sha256() != null ? entry.sha256() : sums().get(entry.name());
        return stamp.vouches(stored.path(), expected);
    }

    /**
     * Checks a file's content against its expected SHA-256, unless the stamp vouches for it.
     *
     * @param stored the file
     * @param content its content, as {@link #read} returned it
     * @return the content's SHA-256
     * @throws DatasetException on a mismatch
     */
    String verify(Stored stored, ByteBuffer content) {
        Manifest.FileEntry entry = stored.entry();
        String expected = entry.sha256() != null ? entry.sha256() : sums().get(entry.name());
        if (stamp.vouches(stored.path(), expected)) {
            return expected;
        }
        String actual = Digests.sha256(content);
        if (expected == null) {
            sums().put(entry.name(), actual); // first verification: later changes will be caught
        } else if (!actual.equals(expected)) {
            String since = entry.sha256() != null
                    ? "" : " recorded in " + dir.resolve(Sha256Sums.FILE_NAME) + " when it was first verified";
            throw new DatasetException(
                    stored.path(), "content has SHA-256 " + actual + ", expected " + expected + since
                            + " (corrupted, tampered with, or a different version)", fix());
        }
        stamp.record(stored.path(), actual);
        return actual;
    }

    /** Saves what this read learnt: the stamp and, for first verifications, SHA256SUMS. */
    void save() {
        stamp.save();
        if (sums != null) {
            try {
                sums.save();
            } catch (IOException e) {
                // read-only data: nothing to remember the hashes in; they are computed again
            }
        }
    }

    private Sha256Sums sums() {
        if (sums == null) {
            sums = Sha256Sums.read(dir, fix());
        }
        return sums;
    }

    private static ByteBuffer readRaw(Path path, long size) throws IOException {
        if (size > Integer.MAX_VALUE) {
            throw new IOException("file of " + size + " bytes is larger than any dataset file");
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) size);
        try (FileChannel channel = FileChannel.open(path)) {
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read until full or end of file
            }
        }
        return buffer.flip();
    }

    /**
     * Decompresses into a buffer of the expected size; content beyond it is counted, not kept, so
     * the length check can report it.
     */
    private ByteBuffer readGzip(Path path, long expectedSize) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(path), 1 << 16)) {
            if (expectedSize < 0) {
                byte[] all = in.readAllBytes();
                return ByteBuffer.allocateDirect(all.length).put(all).flip();
            }
            ByteBuffer buffer = ByteBuffer.allocateDirect(Math.toIntExact(expectedSize));
            byte[] chunk = new byte[1 << 20];
            long extra = 0;
            for (int n; (n = in.read(chunk)) > 0; ) {
                int keep = Math.min(n, buffer.remaining());
                buffer.put(chunk, 0, keep);
                extra += n - keep;
            }
            if (extra > 0) {
                throw new DatasetException(
                        path, "decompresses to " + (expectedSize + extra) + " bytes, expected " + expectedSize
                                + " (a different or damaged file)", fix());
            }
            return buffer.flip();
        }
    }
}
