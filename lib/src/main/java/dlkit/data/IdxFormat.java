package dlkit.data;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The IDX format of MNIST and Fashion-MNIST: a big-endian header (magic number, then one count
 * per dimension) followed by unsigned bytes. These checks run on every read.
 */
final class IdxFormat {

    /** Unsigned bytes, three dimensions: images. */
    static final int IMAGES_MAGIC = 0x00000803;
    /** Unsigned bytes, one dimension: labels. */
    static final int LABELS_MAGIC = 0x00000801;
    static final int IMAGES_HEADER = 16;
    static final int LABELS_HEADER = 8;

    private IdxFormat() {}

    /**
     * Checks an image file: magic number, image size, exact length, count.
     *
     * @param file the file, for messages
     * @param content its uncompressed content
     * @param side the expected height and width
     * @param expectedCount the number of images there must be, or -1 when not known
     * @param fix how to repair the dataset
     * @return the number of images
     */
    static int checkImages(Path file, ByteBuffer content, int side, int expectedCount, String fix) {
        checkHeader(file, content, IMAGES_MAGIC, IMAGES_HEADER, "image", fix);
        int count = content.getInt(4);
        int rows = content.getInt(8);
        int cols = content.getInt(12);
        if (rows != side || cols != side) {
            throw new DatasetException(
                    file, "holds " + rows + "x" + cols + " images, expected " + side + "x" + side
                            + " (a file of another dataset?)", fix);
        }
        checkLength(file, content, IMAGES_HEADER, count, (long) rows * cols,
                "images of " + rows + "x" + cols, fix);
        checkCount(file, count, expectedCount, "images", fix);
        return count;
    }

    /**
     * Checks a label file: magic number, exact length, count, every label below the class count.
     *
     * @param file the file, for messages
     * @param content its uncompressed content
     * @param classes labels must lie in 0..classes-1
     * @param expectedCount the number of labels there must be, or -1 when not known
     * @param fix how to repair the dataset
     * @return the number of labels
     */
    static int checkLabels(Path file, ByteBuffer content, int classes, int expectedCount, String fix) {
        checkHeader(file, content, LABELS_MAGIC, LABELS_HEADER, "label", fix);
        int count = content.getInt(4);
        checkLength(file, content, LABELS_HEADER, count, 1, "labels", fix);
        checkCount(file, count, expectedCount, "labels", fix);
        for (int i = 0; i < count; i++) {
            int label = Byte.toUnsignedInt(content.get(LABELS_HEADER + i));
            if (label >= classes) {
                throw new DatasetException(
                        file, "label " + label + " of example " + i + " is outside 0.." + (classes - 1), fix);
            }
        }
        return count;
    }

    /**
     * The number of records a file of a given length holds, to compare with its header.
     *
     * @param contentBytes the content's length from the manifest, or -1
     * @param header the header's length
     * @param recordBytes bytes per record
     * @return the count, or -1 when the length is not known
     */
    static int countFor(long contentBytes, int header, int recordBytes) {
        return contentBytes < 0 ? -1 : Math.toIntExact((contentBytes - header) / recordBytes);
    }

    private static void checkHeader(
            Path file, ByteBuffer content, int magic, int headerBytes, String kind, String fix) {
        int length = content.remaining();
        if (length == 0) {
            throw new DatasetException(file, "is empty (0 bytes of content)", fix);
        }
        if (length >= 2 && content.get(0) == (byte) 0x1f && content.get(1) == (byte) 0x8b) {
            throw new DatasetException(
                    file, "is gzip-compressed but its name does not end in .gz",
                    "rename it to " + file.getFileName() + ".gz, or " + fix);
        }
        if (length < headerBytes) {
            throw new DatasetException(
                    file, "is " + length + " bytes, too short for the " + headerBytes
                            + "-byte IDX " + kind + " header (truncated)", fix);
        }
        int found = content.getInt(0);
        if (found != magic) {
            throw new DatasetException(
                    file, String.format("has magic number 0x%08X, expected 0x%08X for an IDX %s file"
                            + " (wrong or corrupted file)", found, magic, kind), fix);
        }
    }

    private static void checkLength(
            Path file, ByteBuffer content, int header, int count, long recordBytes, String what, String fix) {
        long expected = header + (long) count * recordBytes;
        long actual = content.remaining();
        if (count < 0 || actual != expected) {
            String how = actual < expected ? "truncated" : "has " + (actual - expected) + " extra bytes";
            throw new DatasetException(
                    file, "is " + actual + " bytes, but its header announces " + count + " " + what
                            + " (" + expected + " bytes): " + how, fix);
        }
    }

    private static void checkCount(Path file, int count, int expected, String what, String fix) {
        if (expected >= 0 && count != expected) {
            throw new DatasetException(
                    file, "holds " + count + " " + what + ", expected " + expected
                            + " (an incomplete or different version of the file)", fix);
        }
    }
}
