package dlkit.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Small datasets in the real file formats, and a manifest that describes them. Pixel {@code p} of
 * image {@code i} is {@code (7 * i + p) % 256}; image {@code i} has label {@code i % 10}.
 */
final class TestData {

    static final int TRAIN = 30;
    static final int TEST = 12;
    static final int CIFAR_PER_BATCH = 4;
    static final int CIFAR_TEST = 6;
    static final String META = "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n";

    private final StringBuilder manifest = new StringBuilder();

    /** The manifest text for everything written so far. */
    Manifest manifest() {
        return Manifest.parse(manifest.toString());
    }

    String manifestText() {
        return manifest.toString();
    }

    static int pixel(int image, int p) {
        return (7 * image + p) % 256;
    }

    static byte[] idxImages(int count, int side) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * side * side);
        b.putInt(IdxFormat.IMAGES_MAGIC).putInt(count).putInt(side).putInt(side);
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < side * side; p++) {
                b.put((byte) pixel(i, p));
            }
        }
        return b.array();
    }

    static byte[] idxLabels(int count) {
        ByteBuffer b = ByteBuffer.allocate(8 + count);
        b.putInt(IdxFormat.LABELS_MAGIC).putInt(count);
        for (int i = 0; i < count; i++) {
            b.put((byte) (i % 10));
        }
        return b.array();
    }

    /** The four IDX files of a dataset by name, contents as the manifest describes them. */
    static Map<String, byte[]> idxFiles() {
        return Map.of(
                DatasetSpec.TRAIN_IMAGES, idxImages(TRAIN, 28),
                DatasetSpec.TRAIN_LABELS, idxLabels(TRAIN),
                DatasetSpec.TEST_IMAGES, idxImages(TEST, 28),
                DatasetSpec.TEST_LABELS, idxLabels(TEST));
    }

    /** Adds the standard four IDX files of a dataset to the manifest. */
    TestData describeIdx(String dataset) {
        idxFiles().forEach((name, content) -> describe(dataset, name, content));
        return this;
    }

    TestData describe(String dataset, String name, byte[] content) {
        manifest.append("file ").append(dataset).append(' ').append(name).append(' ')
                .append(content.length).append(' ').append(sha256(content)).append('\n');
        return this;
    }

    TestData describeUnknown(String dataset, String name) {
        manifest.append("file ").append(dataset).append(' ').append(name).append(" - -\n");
        return this;
    }

    TestData describeArchive(String name, String algorithm, byte[] content) {
        manifest.append("archive ").append(name).append(' ').append(algorithm).append(' ')
                .append(digest(algorithm, content)).append('\n');
        return this;
    }

    /** Writes a described IDX dataset into {@code root/dataset/}, raw or gzip-compressed. */
    static Path writeIdx(Path root, String dataset, boolean gzip) {
        Path dir = root.resolve(dataset);
        idxFiles().forEach((name, content) ->
                write(dir.resolve(gzip ? name + ".gz" : name), gzip ? gzip(content) : content));
        return dir;
    }

    /** The pixels of images {@code first .. first + count - 1}, and their labels. */
    private static byte[][] cifarImages(int first, int count) {
        byte[] labels = new byte[count];
        byte[] pixels = new byte[count * CifarFormat.PIXELS];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) ((first + i) % 10);
            for (int p = 0; p < CifarFormat.PIXELS; p++) {
                pixels[i * CifarFormat.PIXELS + p] = (byte) pixel(first + i, p);
            }
        }
        return new byte[][] {labels, pixels};
    }

    /** A CIFAR batch of {@code count} records, image {@code first + i} in record i. */
    static byte[] cifarBatch(int first, int count) {
        byte[][] images = cifarImages(first, count);
        return CifarFormat.encode(images[0], images[1]);
    }

    /** The CIFAR files by name (relative to data/cifar-10/): image k*4+i in record i of batch k. */
    static Map<String, byte[]> cifarFiles() {
        byte[][] train = cifarImages(0, 5 * CIFAR_PER_BATCH);
        byte[][] test = cifarImages(0, CIFAR_TEST);
        return CifarFormat.files(train[0], train[1], test[0], test[1]);
    }

    /** Adds the CIFAR files to the manifest with their sizes but, as for the real ones, no hash. */
    TestData describeCifar() {
        cifarFiles().forEach((name, content) -> manifest.append("file cifar-10 ").append(name).append(' ')
                .append(name.endsWith(".bin") ? String.valueOf(content.length) : "-").append(" -\n"));
        return this;
    }

    static Path writeCifar(Path root) {
        Path dir = root.resolve("cifar-10");
        cifarFiles().forEach((name, content) -> write(dir.resolve(name), content));
        return dir;
    }

    /** A tar.gz holding the given entries. */
    static byte[] tarGz(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static void write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] content) {
        return digest("SHA-256", content);
    }

    static String digest(String algorithm, byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
