package dlkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLoadTest {

    @TempDir Path root;

    private DatasetLoader mnist(Manifest manifest) {
        return Datasets.mnist().optRoot(root).manifest(manifest);
    }

    @Test
    void readsRawIdxFiles() {
        TestData.writeIdx(root, "mnist", false);
        ImageDataset data = mnist(new TestData().describeIdx("mnist").manifest()).load();
        assertEquals("MNIST", data.name());
        assertEquals(TestData.TRAIN, data.train().size());
        assertEquals(TestData.TEST, data.test().size());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), data.classNames());
        for (int i : new int[] {0, 7, TestData.TRAIN - 1}) {
            assertEquals(i % 10, data.train().label(i));
            BufferedImage image = data.train().image(i);
            assertEquals(28, image.getWidth());
            assertEquals(TestData.pixel(i, 28 * 3 + 5), image.getRaster().getSample(5, 3, 0));
        }
        assertEquals(3, data.test().label(3));
        assertArrayEquals(new int[] {3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, data.train().classCounts());
    }

    @Test
    void gzipAndRawFilesGiveTheSameData() {
        Manifest manifest = new TestData().describeIdx("mnist").manifest();
        Path rawRoot = root.resolve("raw");
        Path gzRoot = root.resolve("gz");
        TestData.writeIdx(rawRoot, "mnist", false);
        TestData.writeIdx(gzRoot, "mnist", true);
        ImageDataset raw = Datasets.mnist().optRoot(rawRoot).manifest(manifest).load();
        ImageDataset gz = Datasets.mnist().optRoot(gzRoot).manifest(manifest).load();
        assertEquals(raw.train().identity(), gz.train().identity(), "identity depends on content only");
        for (int i = 0; i < TestData.TRAIN; i++) {
            assertArrayEquals(raw.train().pixels(i), gz.train().pixels(i));
            assertEquals(raw.train().label(i), gz.train().label(i));
        }
    }

    @Test
    void normalisesSingleImagesAsConfigured() {
        TestData.writeIdx(root, "mnist", false);
        Manifest manifest = new TestData().describeIdx("mnist").manifest();
        float[] unit = mnist(manifest).load().train().pixels(2);
        float[] standard = mnist(manifest).optNormalization(Normalization.MNIST).load().train().pixels(2);
        float[] centred = mnist(manifest).optNormalization(Normalization.CENTERED).load().train().pixels(2);
        for (int p : new int[] {0, 100, 783}) {
            float x = TestData.pixel(2, p) / 255f;
            assertEquals(x, unit[p], 1e-6);
            assertEquals((x - 0.1307f) / 0.3081f, standard[p], 1e-5);
            assertEquals(x - 0.5f, centred[p], 1e-6); // the coursework's X - 0.5
        }
        assertThrows(IllegalArgumentException.class, () -> mnist(manifest).optNormalization(Normalization.CIFAR_10));
    }

    @Test
    void limitKeepsTheFirstImagesAndShowsInTheIdentity() {
        TestData.writeIdx(root, "mnist", false);
        Manifest manifest = new TestData().describeIdx("mnist").manifest();
        ImageDataset all = mnist(manifest).load();
        ImageDataset some = mnist(manifest).optLimit(5).load();
        assertEquals(5, some.train().size());
        assertEquals(5, some.test().size());
        assertArrayEquals(all.train().pixels(4), some.train().pixels(4));
        assertThrows(IndexOutOfBoundsException.class, () -> some.train().label(5));
        assertTrue(some.train().identity().contains("limit=5"), some.train().identity());
        assertNotEquals(all.train().identity(), some.train().identity());
        assertEquals(8, mnist(manifest).optLimit(8, 3).load().train().size());
        assertEquals(TestData.TRAIN, mnist(manifest).optLimit(1000).load().train().size());
        assertThrows(IllegalArgumentException.class, () -> mnist(manifest).optLimit(0));
    }

    @Test
    void identityNamesDatasetFilesAndNormalisation() {
        TestData.writeIdx(root, "mnist", false);
        String identity = mnist(new TestData().describeIdx("mnist").manifest())
                .optNormalization(Normalization.MNIST).load().train().identity();
        assertTrue(identity.startsWith("dataset=mnist part=train"), identity);
        assertTrue(identity.contains(TestData.sha256(TestData.idxImages(TestData.TRAIN, 28))), identity);
        assertTrue(identity.contains(TestData.sha256(TestData.idxLabels(TestData.TRAIN))), identity);
        assertTrue(identity.contains("mean=0.1307, std=0.3081"), identity);
    }

    @Test
    void splitIsSeededDisjointAndComplete() {
        TestData.writeIdx(root, "mnist", false);
        ImageDataset data = mnist(new TestData().describeIdx("mnist").manifest()).load();
        Split a = data.split(0.2, 42);
        Split b = data.split(0.2, 42);
        Split c = data.split(0.2, 7);
        assertEquals(6, a.validation().size());
        assertEquals(24, a.train().size());
        Set<String> seen = new HashSet<>();
        for (ImageSet part : List.of(a.train(), a.validation())) {
            for (int i = 0; i < part.size(); i++) {
                assertTrue(seen.add(key(part.pixels(i))), "an image is in both parts");
            }
        }
        assertEquals(TestData.TRAIN, seen.size());
        assertEquals(keys(a.validation()), keys(b.validation()), "same seed, same split");
        assertNotEquals(keys(a.validation()), keys(c.validation()), "another seed, another split");
        assertTrue(a.validation().identity().contains("split=validation(fraction=0.2,seed=42)"));
        assertNotEquals(a.validation().identity(), c.validation().identity());
        for (int i = 0; i < a.validation().size(); i++) { // labels travel with their images
            float first = a.validation().pixels(i)[0] * 255f;
            int image = Math.round(first) / 7; // pixel 0 of image k is 7k (k < 36)
            assertEquals(image % 10, a.validation().label(i));
        }
        assertThrows(IllegalArgumentException.class, () -> data.split(0, 1));
        assertThrows(IllegalArgumentException.class, () -> data.split(1, 1));
    }

    @Test
    void stampSkipsHashingUntilTheFileChanges() throws IOException {
        Path dir = TestData.writeIdx(root, "mnist", false);
        Manifest manifest = new TestData().describeIdx("mnist").manifest();
        mnist(manifest).load();
        Path stamp = dir.resolve(VerifiedStamp.FILE_NAME);
        assertEquals(4, Files.readAllLines(stamp).stream().filter(l -> !l.startsWith("#")).count());

        // Same size and mtime: the stamp vouches, so a changed pixel goes unnoticed ...
        Path images = dir.resolve(DatasetSpec.TRAIN_IMAGES);
        FileTime mtime = Files.getLastModifiedTime(images);
        byte[] content = Files.readAllBytes(images);
        content[500] ^= 1;
        Files.write(images, content);
        Files.setLastModifiedTime(images, mtime);
        mnist(manifest).load();
        // ... but once the mtime differs, the content is hashed again and the change is caught.
        Files.setLastModifiedTime(images, FileTime.fromMillis(mtime.toMillis() + 2000));
        DatasetException e = assertThrows(DatasetException.class, () -> mnist(manifest).load());
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void readsCifarAndRecordsItsHashesOnFirstVerification() throws IOException {
        Path dir = TestData.writeCifar(root);
        Manifest manifest = new TestData().describeCifar().manifest();
        ImageDataset cifar = Datasets.cifar10().optRoot(root).manifest(manifest).load();
        assertEquals(5 * TestData.CIFAR_PER_BATCH, cifar.train().size());
        assertEquals(TestData.CIFAR_TEST, cifar.test().size());
        assertEquals("airplane", cifar.classNames().get(0));
        assertEquals("truck", cifar.train().labelName(9));
        int i = 13; // in the fourth batch
        assertEquals(i % 10, cifar.train().label(i));
        BufferedImage image = cifar.train().image(i);
        int rgb = image.getRGB(2, 1);
        int p = 32 + 2;
        assertEquals(TestData.pixel(i, p), (rgb >> 16) & 0xff);
        assertEquals(TestData.pixel(i, 1024 + p), (rgb >> 8) & 0xff);
        assertEquals(TestData.pixel(i, 2048 + p), rgb & 0xff);
        float[] normalised = Datasets.cifar10().optRoot(root).manifest(manifest)
                .optNormalization(Normalization.CIFAR_10).load().train().pixels(i);
        assertEquals((TestData.pixel(i, 1024 + p) / 255f - 0.4822f) / 0.2435f, normalised[1024 + p], 1e-5);

        List<String> sums = Files.readAllLines(dir.resolve(Sha256Sums.FILE_NAME));
        assertEquals(6, sums.size());
        assertTrue(sums.contains(TestData.sha256(TestData.cifarBatch(0, TestData.CIFAR_TEST))
                + "  " + DatasetSpec.CIFAR_TEST));

        // Changed later (valid structure, other content): caught against SHA256SUMS.
        Path batch = dir.resolve(DatasetSpec.CIFAR_TRAIN.get(2));
        byte[] content = Files.readAllBytes(batch);
        content[100] ^= 1;
        Files.write(batch, content);
        Files.setLastModifiedTime(batch, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        DatasetException e = assertThrows(DatasetException.class,
                () -> Datasets.cifar10().optRoot(root).manifest(manifest).load());
        assertTrue(e.getMessage().contains("SHA256SUMS"), e.getMessage());
        assertTrue(e.getMessage().contains("data_batch_3.bin"), e.getMessage());
    }

    @Test
    void theShippedManifestDescribesEveryFile() {
        Manifest manifest = Manifest.standard();
        assertEquals(4, manifest.files("mnist").size());
        assertEquals(4, manifest.files("fashion-mnist").size());
        assertEquals(7, manifest.files("cifar-10").size());
        assertEquals(47_040_016L, manifest.file("mnist", DatasetSpec.TRAIN_IMAGES).size());
        assertEquals("ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                manifest.file("mnist", DatasetSpec.TRAIN_IMAGES).sha256());
        assertEquals(30_730_000L, manifest.file("cifar-10", DatasetSpec.CIFAR_TEST).size());
        assertEquals("MD5", manifest.archive(Fetch.CIFAR_ARCHIVE).algorithm());
        assertThrows(IllegalArgumentException.class, () -> Manifest.parse("file mnist x 12"));
    }

    private static String key(float[] pixels) {
        return java.util.Arrays.toString(pixels);
    }

    private static Set<String> keys(ImageSet part) {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < part.size(); i++) {
            keys.add(key(part.pixels(i)));
        }
        return keys;
    }
}
