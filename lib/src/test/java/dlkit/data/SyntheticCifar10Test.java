package dlkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dlkit.engine.Engines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticCifar10Test {

    @TempDir Path root;

    @Test
    void writesTheOfficialLayoutAndLoadsLikeCifar10() {
        Engines.startQuietly();
        DatasetLoader loader = SyntheticCifar10.loader(root, 53, 20, 1);
        Path dir = root.resolve("synthetic-cifar-10/53-20-seed1/cifar-10/cifar-10-batches-bin");
        assertTrue(Files.isRegularFile(dir.resolve("data_batch_5.bin")));
        assertFalse(Files.exists(root.resolve("cifar-10")), "never written where the real dataset goes");
        try (ImageDataset data = loader.optNormalization(Normalization.CIFAR_10).load()) {
            assertEquals(53, data.train().size());
            assertEquals(20, data.test().size());
            assertEquals("cat", data.classNames().get(3));
            assertArrayEquals(new int[] {2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, data.test().classCounts());
            assertEquals(new ai.djl.ndarray.types.Shape(3, 32, 32), data.train().imageShape());
        }
        // 53 images over five files: 11, 11, 11, 10, 10 records
        Map<String, byte[]> files = SyntheticCifar10.files(53, 20, 1);
        assertEquals(11 * 3073, files.get(DatasetSpec.CIFAR_TRAIN.get(0)).length);
        assertEquals(10 * 3073, files.get(DatasetSpec.CIFAR_TRAIN.get(4)).length);
        // loading again reuses the files
        try (ImageDataset again = SyntheticCifar10.loader(root, 53, 20, 1).load()) {
            assertEquals(53, again.train().size());
        }
    }

    @Test
    void sameSeedSameFilesAndClassesDifferInShapeAndColour() {
        Map<String, byte[]> a = SyntheticCifar10.files(20, 10, 7);
        Map<String, byte[]> b = SyntheticCifar10.files(20, 10, 7);
        Map<String, byte[]> c = SyntheticCifar10.files(20, 10, 8);
        a.forEach((name, content) -> assertArrayEquals(content, b.get(name), name));
        assertFalse(java.util.Arrays.equals(a.get(DatasetSpec.CIFAR_TEST), c.get(DatasetSpec.CIFAR_TEST)));
    }

    @Test
    void aNearestClassMeanClassifierLearnsIt() {
        // learnable: class means of the training images classify most test images
        Engines.startQuietly();
        try (ImageDataset data = SyntheticCifar10.loader(root, 500, 200, 3).load()) {
            int per = 3 * 32 * 32;
            double[][] mean = new double[10][per];
            int[] counts = new int[10];
            for (int i = 0; i < data.train().size(); i++) {
                float[] p = data.train().pixels(i);
                int label = data.train().label(i);
                counts[label]++;
                for (int k = 0; k < per; k++) {
                    mean[label][k] += p[k];
                }
            }
            int correct = 0;
            for (int i = 0; i < data.test().size(); i++) {
                float[] p = data.test().pixels(i);
                int best = -1;
                double bestDistance = Double.MAX_VALUE;
                for (int c = 0; c < 10; c++) {
                    double d = 0;
                    for (int k = 0; k < per; k++) {
                        double diff = p[k] - mean[c][k] / counts[c];
                        d += diff * diff;
                    }
                    if (d < bestDistance) {
                        bestDistance = d;
                        best = c;
                    }
                }
                correct += best == data.test().label(i) ? 1 : 0;
            }
            assertTrue(correct > 40, "nearest class mean got " + correct + " of 200 (chance is 20)");
        }
    }

    @Test
    void tooFewImagesIsExplained() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SyntheticCifar10.files(5, 20, 1));
        assertTrue(e.getMessage().contains("at least 10"), e.getMessage());
    }
}
