package dlkit.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The battery of bad files: each must be refused with a message that names the file, says what
 * is wrong, and gives the command that fixes it; no dataset is ever returned from bad files.
 */
class BadFilesTest {

    private static final String MNIST_FIX = "environment/fetch-data.sh mnist";
    private static final String CIFAR_FIX = "environment/fetch-data.sh cifar-10";

    @TempDir Path root;

    private final Manifest manifest = new TestData().describeIdx("mnist").manifest();

    private void assertRefused(String file, String problem) {
        assertRefused(Datasets.mnist().optRoot(root).manifest(manifest), file, problem, MNIST_FIX);
    }

    private static void assertRefused(DatasetLoader loader, String file, String problem, String fix) {
        DatasetException e = assertThrows(DatasetException.class, loader::load);
        String message = e.getMessage();
        assertTrue(message.contains(file), () -> "names the file " + file + ": " + message);
        assertTrue(message.contains(problem), () -> "says '" + problem + "': " + message);
        assertTrue(message.contains(fix), () -> "gives the fix: " + message);
        assertEquals(file, e.file().getFileName().toString());
    }

    private Path mnistFile(String name) {
        return root.resolve("mnist").resolve(name);
    }

    @Test
    void missingFile() throws IOException {
        TestData.writeIdx(root, "mnist", false);
        Files.delete(mnistFile(DatasetSpec.TEST_LABELS));
        assertRefused(DatasetSpec.TEST_LABELS, "is missing");
    }

    @Test
    void aMissingDatasetFallsBackToAnotherButABadOneDoesNot() throws IOException {
        Path other = root.resolve("elsewhere");
        TestData.writeIdx(other, "mnist", false);
        // CIFAR-10 is not under root at all: the fallback loads MNIST from the other root
        try (ImageDataset data = Datasets.cifar10().optRoot(root)
                .optFallback(Datasets.mnist().optRoot(other).manifest(manifest)).load()) {
            assertEquals("MNIST", data.name());
        }
        // MNIST under root with a damaged file: an error, not a silent switch
        TestData.writeIdx(root, "mnist", false);
        TestData.write(mnistFile(DatasetSpec.TRAIN_LABELS), new byte[0]);
        DatasetLoader damaged = Datasets.mnist().optRoot(root).manifest(manifest)
                .optFallback(Datasets.mnist().optRoot(other).manifest(manifest));
        assertRefused(damaged, DatasetSpec.TRAIN_LABELS, "is empty", MNIST_FIX);
    }

    @Test
    void missingDirectory() {
        assertRefused(DatasetSpec.TRAIN_IMAGES, "Data root: " + root);
    }

    @Test
    void emptyFile() {
        TestData.writeIdx(root, "mnist", false);
        TestData.write(mnistFile(DatasetSpec.TRAIN_LABELS), new byte[0]);
        assertRefused(DatasetSpec.TRAIN_LABELS, "is empty");
    }

    @Test
    void emptyGzipFile() {
        TestData.writeIdx(root, "mnist", true);
        TestData.write(mnistFile(DatasetSpec.TRAIN_LABELS + ".gz"), new byte[0]);
        assertRefused(DatasetSpec.TRAIN_LABELS + ".gz", "is empty");
    }

    @Test
    void gzipOfAnEmptyFile() {
        TestData.writeIdx(root, "mnist", true);
        TestData.write(mnistFile(DatasetSpec.TRAIN_LABELS + ".gz"), TestData.gzip(new byte[0]));
        assertRefused(DatasetSpec.TRAIN_LABELS + ".gz", "is empty");
    }

    @Test
    void truncatedRawFile() {
        byte[] images = TestData.idxImages(TestData.TRAIN, 28);
        TestData.writeIdx(root, "mnist", false);
        TestData.write(mnistFile(DatasetSpec.TRAIN_IMAGES), Arrays.copyOf(images, images.length - 100));
        assertRefused(DatasetSpec.TRAIN_IMAGES, "truncated");
    }

    @Test
    void truncatedHeader() {
        TestData.writeIdx(root, "mnist", false);
        TestData.write(mnistFile(DatasetSpec.TEST_IMAGES), new byte[] {0, 0, 8, 3, 0, 0});
        assertRefused(DatasetSpec.TEST_IMAGES, "too short");
    }

    @Test
    void truncatedGzipFile() {
        TestData.writeIdx(root, "mnist", true);
        byte[] gz = TestData.gzip(TestData.idxImages(TestData.TRAIN, 28));
        TestData.write(mnistFile(DatasetSpec.TRAIN_IMAGES + ".gz"), Arrays.copyOf(gz, gz.length / 2));
        assertRefused(DatasetSpec.TRAIN_IMAGES + ".gz", "truncated gzip");
    }

    @Test
    void corruptedGzipFile() {
        TestData.writeIdx(root, "mnist", true);
        byte[] gz = TestData.gzip(TestData.idxImages(TestData.TRAIN, 28));
        for (int i = 20; i < 60; i++) {
            gz[i] = (byte) 0xff;
        }
        TestData.write(mnistFile(DatasetSpec.TRAIN_IMAGES + ".gz"), gz);
        assertRefused(DatasetSpec.TRAIN_IMAGES + ".gz", "gzip");
    }

    @Test
    void gzipNameButNotGzip() {
        TestData.writeIdx(root, "mnist", true);
        TestData.write(mnistFile(DatasetSpec.TEST_LABELS + ".gz"), TestData.idxLabels(TestData.TEST));
        assertRefused(DatasetSpec.TEST_LABELS + ".gz", "not a valid gzip file");
    }

    @Test
    void gzipContentWithoutGzName() {
        TestData.writeIdx(root, "mnist", false);
        TestData.write(mnistFile(DatasetSpec.TEST_LABELS), TestData.gzip(TestData.idxLabels(TestData.TEST)));
        assertRefused(DatasetSpec.TEST_LABELS, "gzip-compressed but its name does not end in .gz");
    }

    @Test
    void wrongMagic() {
        TestData.writeIdx(root, "mnist", false);
        // labels where images belong
        TestData.write(mnistFile(DatasetSpec.TRAIN_IMAGES), TestData.idxLabels(TestData.TRAIN));
        assertRefused(DatasetSpec.TRAIN_IMAGES, "magic number 0x00000801, expected 0x00000803");
    }

    @Test
    void wrongImageSize() {
        TestData.writeIdx(root, "mnist", false);
        TestData.write(mnistFile(DatasetSpec.TEST_IMAGES), TestData.idxImages(TestData.TEST, 32));
        assertRefused(DatasetSpec.TEST_IMAGES, "holds 32x32 images, expected 28x28");
    }

    @Test
    void headerCountDisagreesWithLength() {
        TestData.writeIdx(root, "mnist", false);
        byte[] labels = TestData.idxLabels(TestData.TRAIN);
        ByteBuffer.wrap(labels).putInt(4, TestData.TRAIN + 1);
        TestData.write(mnistFile(DatasetSpec.TRAIN_LABELS), labels);
        assertRefused(DatasetSpec.TRAIN_LABELS, "header announces " + (TestData.TRAIN + 1) + " labels");
    }

    @Test
    void extraBytesAtTheEnd() {
        TestData.writeIdx(root, "mnist", false);
        byte[] labels = TestData.idxLabels(TestData.TEST);
        TestData.write(mnistFile(DatasetSpec.TEST_LABELS), Arrays.copyOf(labels, labels.length + 3));
        assertRefused(DatasetSpec.TEST_LABELS, "has 3 extra bytes");
    }

    @Test
    void fewerExamplesThanTheManifestSays() {
        TestData.writeIdx(root, "mnist", false);
        TestData.write(mnistFile(DatasetSpec.TRAIN_IMAGES), TestData.idxImages(TestData.TRAIN - 1, 28));
        assertRefused(DatasetSpec.TRAIN_IMAGES, "holds " + (TestData.TRAIN - 1) + " images, expected " + TestData.TRAIN);
    }

    @Test
    void imageAndLabelCountsDiffer() {
        // With no published size, the images-versus-labels check is what catches it.
        Manifest unknownSizes = new TestData()
                .describeUnknown("mnist", DatasetSpec.TRAIN_IMAGES).describeUnknown("mnist", DatasetSpec.TRAIN_LABELS)
                .describeUnknown("mnist", DatasetSpec.TEST_IMAGES).describeUnknown("mnist", DatasetSpec.TEST_LABELS)
                .manifest();
        TestData.writeIdx(root, "mnist", false);
        TestData.write(mnistFile(DatasetSpec.TRAIN_LABELS), TestData.idxLabels(TestData.TRAIN - 2));
        assertRefused(Datasets.mnist().optRoot(root).manifest(unknownSizes), DatasetSpec.TRAIN_LABELS,
                "holds " + (TestData.TRAIN - 2) + " labels but train-images-idx3-ubyte holds " + TestData.TRAIN,
                MNIST_FIX);
    }

    @Test
    void labelOutOfRange() {
        TestData.writeIdx(root, "mnist", false);
        byte[] labels = TestData.idxLabels(TestData.TRAIN);
        labels[8 + 17] = 12;
        TestData.write(mnistFile(DatasetSpec.TRAIN_LABELS), labels);
        assertRefused(DatasetSpec.TRAIN_LABELS, "label 12 of example 17 is outside 0..9");
    }

    @Test
    void wrongChecksum() {
        TestData.writeIdx(root, "mnist", false);
        byte[] images = TestData.idxImages(TestData.TEST, 28);
        images[16 + 300] ^= 0x40; // a valid file, but not the expected one
        TestData.write(mnistFile(DatasetSpec.TEST_IMAGES), images);
        assertRefused(DatasetSpec.TEST_IMAGES, "content has SHA-256 " + TestData.sha256(images));
    }

    @Test
    void wrongChecksumInsideAValidGzip() {
        TestData.writeIdx(root, "mnist", true);
        byte[] labels = TestData.idxLabels(TestData.TEST);
        labels[8] = 9;
        TestData.write(mnistFile(DatasetSpec.TEST_LABELS + ".gz"), TestData.gzip(labels));
        assertRefused(DatasetSpec.TEST_LABELS + ".gz", "expected " + TestData.sha256(TestData.idxLabels(TestData.TEST)));
    }

    @Test
    void fashionMnistErrorsNameItsOwnFix() {
        Manifest fashion = new TestData().describeIdx("fashion-mnist").manifest();
        TestData.writeIdx(root, "fashion-mnist", true);
        TestData.write(root.resolve("fashion-mnist").resolve(DatasetSpec.TEST_LABELS + ".gz"), new byte[] {1, 2});
        assertRefused(Datasets.fashionMnist().optRoot(root).manifest(fashion), DatasetSpec.TEST_LABELS + ".gz",
                "gzip", "environment/fetch-data.sh fashion-mnist");
    }

    // ---- CIFAR-10 ----

    private final Manifest cifarManifest = new TestData().describeCifar().manifest();

    private void assertCifarRefused(String file, String problem) {
        assertRefused(Datasets.cifar10().optRoot(root).manifest(cifarManifest), file, problem, CIFAR_FIX);
    }

    private Path cifarFile(String name) {
        return root.resolve("cifar-10").resolve(name);
    }

    @Test
    void cifarMissingBatch() throws IOException {
        TestData.writeCifar(root);
        Files.delete(cifarFile(DatasetSpec.CIFAR_TEST));
        assertCifarRefused("test_batch.bin", "is missing");
    }

    @Test
    void cifarEmptyBatch() {
        TestData.writeCifar(root);
        TestData.write(cifarFile(DatasetSpec.CIFAR_TRAIN.get(1)), new byte[0]);
        assertCifarRefused("data_batch_2.bin", "is empty");
    }

    @Test
    void cifarTruncatedBatch() {
        TestData.writeCifar(root);
        byte[] batch = TestData.cifarBatch(0, TestData.CIFAR_PER_BATCH);
        TestData.write(cifarFile(DatasetSpec.CIFAR_TRAIN.get(4)), Arrays.copyOf(batch, batch.length - 1));
        assertCifarRefused("data_batch_5.bin", "truncated");
    }

    @Test
    void cifarLabelOutOfRange() {
        TestData.writeCifar(root);
        byte[] batch = TestData.cifarBatch(0, TestData.CIFAR_PER_BATCH);
        batch[2 * CifarFormat.RECORD] = 10;
        TestData.write(cifarFile(DatasetSpec.CIFAR_TRAIN.get(0)), batch);
        assertCifarRefused("data_batch_1.bin", "label 10 of record 2 is outside 0..9");
    }

    @Test
    void cifarMetaWithTooFewNames() {
        TestData.writeCifar(root);
        TestData.write(cifarFile(DatasetSpec.CIFAR_META),
                "airplane\nautomobile\nbird\n".getBytes(StandardCharsets.UTF_8));
        assertCifarRefused("batches.meta.txt", "names 3 classes, expected 10");
    }

    @Test
    void cifarBatchNotWholeRecordsWhenSizeUnknown() {
        Manifest unknown = Manifest.parse(new TestData().describeCifar().manifestText()
                .replaceAll("(data_batch_1.bin) \\d+", "$1 -"));
        TestData.writeCifar(root);
        byte[] batch = TestData.cifarBatch(0, TestData.CIFAR_PER_BATCH);
        TestData.write(cifarFile(DatasetSpec.CIFAR_TRAIN.get(0)), Arrays.copyOf(batch, batch.length + 5));
        assertRefused(Datasets.cifar10().optRoot(root).manifest(unknown), "data_batch_1.bin",
                "not a whole number of 3073-byte records", CIFAR_FIX);
    }
}
