package dlkit.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CIFAR-10's binary format: records of one label byte followed by 3072 pixel bytes (1024 red,
 * 1024 green, 1024 blue, each row-major 32x32), and a text file with one class name per line.
 */
final class CifarFormat {

    static final int PIXELS = 3 * 32 * 32;
    static final int RECORD = 1 + PIXELS;
    static final int CLASSES = 10;
    static final List<String> CLASS_NAMES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    private CifarFormat() {}

    /**
     * Checks a batch file: whole records, the expected count, labels in 0..9.
     *
     * @param file the file, for messages
     * @param content its bytes
     * @param expectedBytes the length it must have, or -1 when not known
     * @param fix how to repair the dataset
     * @return the number of records
     */
    static int checkBatch(Path file, ByteBuffer content, long expectedBytes, String fix) {
        int length = content.remaining();
        if (length == 0) {
            throw new DatasetException(file, "is empty (0 bytes)", fix);
        }
        if (expectedBytes >= 0 && length != expectedBytes) {
            String how = length < expectedBytes ? "truncated" : "too long";
            throw new DatasetException(
                    file, "is " + length + " bytes, expected " + expectedBytes + " ("
                            + expectedBytes / RECORD + " records of " + RECORD + " bytes): " + how, fix);
        }
        if (length % RECORD != 0) {
            throw new DatasetException(
                    file, "is " + length + " bytes, not a whole number of " + RECORD + "-byte records", fix);
        }
        int count = length / RECORD;
        for (int i = 0; i < count; i++) {
            int label = Byte.toUnsignedInt(content.get(i * RECORD));
            if (label >= CLASSES) {
                throw new DatasetException(
                        file, "label " + label + " of record " + i + " is outside 0.." + (CLASSES - 1)
                                + " (not a CIFAR-10 batch, or corrupted)", fix);
            }
        }
        return count;
    }

    /**
     * Copies a checked batch's records into separate pixel and label buffers, at their positions.
     *
     * @param batch the batch content
     * @param pixels receives the pixels of every record, in order
     * @param labels receives the labels
     */
    static void split(ByteBuffer batch, ByteBuffer pixels, ByteBuffer labels) {
        int count = batch.remaining() / RECORD;
        for (int i = 0; i < count; i++) {
            int at = i * RECORD;
            labels.put(batch.get(at));
            pixels.put(batch.slice(at + 1, PIXELS));
        }
    }

    /**
     * Writes records in the binary format: label byte, then the image's 3072 pixel bytes.
     *
     * @param labels one label per image, 0..9
     * @param pixels {@code labels.length * 3072} bytes, image after image, channel-major
     * @return the batch file's content
     */
    static byte[] encode(byte[] labels, byte[] pixels) {
        if (pixels.length != labels.length * PIXELS) {
            throw new IllegalArgumentException(
                    pixels.length + " pixel bytes for " + labels.length + " labels; need " + PIXELS + " per image");
        }
        ByteBuffer out = ByteBuffer.allocate(labels.length * RECORD);
        for (int i = 0; i < labels.length; i++) {
            out.put(labels[i]).put(pixels, i * PIXELS, PIXELS);
        }
        return out.array();
    }

    /**
     * The files of a dataset in the official layout, by name relative to {@code cifar-10/}: the
     * training images split over the five {@code data_batch_k.bin} files in order (as evenly as
     * possible, earlier files taking the remainder), the test images in {@code test_batch.bin}, and
     * {@code batches.meta.txt} with the official class names.
     *
     * @param trainLabels training labels
     * @param trainPixels training pixels, 3072 bytes per image
     * @param testLabels test labels
     * @param testPixels test pixels
     * @return file name to content, in a stable order
     */
    static Map<String, byte[]> files(byte[] trainLabels, byte[] trainPixels, byte[] testLabels, byte[] testPixels) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        int batches = DatasetSpec.CIFAR_TRAIN.size();
        int from = 0;
        for (int k = 0; k < batches; k++) {
            int count = trainLabels.length / batches + (k < trainLabels.length % batches ? 1 : 0);
            files.put(DatasetSpec.CIFAR_TRAIN.get(k), encode(
                    Arrays.copyOfRange(trainLabels, from, from + count),
                    Arrays.copyOfRange(trainPixels, from * PIXELS, (from + count) * PIXELS)));
            from += count;
        }
        files.put(DatasetSpec.CIFAR_TEST, encode(testLabels, testPixels));
        files.put(DatasetSpec.CIFAR_META, (String.join("\n", CLASS_NAMES) + "\n").getBytes(StandardCharsets.UTF_8));
        return files;
    }

    /**
     * Reads the class names: ten non-blank lines (trailing blank lines are ignored).
     *
     * @param file {@code batches.meta.txt}
     * @param fix how to repair the dataset
     * @return the ten names
     */
    static List<String> readClassNames(Path file, String fix) {
        List<String> names = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    names.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new DatasetException(file, "cannot be read as text: " + e.getMessage(), fix, e);
        }
        if (names.size() != CLASSES) {
            throw new DatasetException(
                    file, "names " + names.size() + " classes, expected " + CLASSES + " (one per line)", fix);
        }
        return List.copyOf(names);
    }
}
