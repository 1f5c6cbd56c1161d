package dlkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.TranslateException;
import dlkit.engine.Engines;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The NDArrays and DJL datasets made from loaded images. */
class ImageSetArraysTest {

    @TempDir static Path root;

    @BeforeAll
    static void startEngine() {
        Engines.startQuietly();
        TestData.writeIdx(root, "mnist", true);
        TestData.writeCifar(root);
    }

    private static final Manifest MANIFEST = new TestData().describeIdx("mnist").describeCifar().manifest();

    @Test
    void imagesAndLabelsAreNormalisedArrays() {
        try (ImageDataset mnist = Datasets.mnist().optRoot(root).manifest(MANIFEST)
                .optNormalization(Normalization.MNIST).optLimit(20).load()) {
            NDArray images = mnist.train().images();
            assertEquals(new Shape(20, 1, 28, 28), images.getShape());
            assertEquals(DataType.FLOAT32, images.getDataType());
            assertSame(images, mnist.train().images(), "made once");
            float[] values = images.toFloatArray();
            for (int i : new int[] {0, 11, 19}) {
                float[] one = mnist.train().pixels(i);
                for (int p : new int[] {0, 391, 783}) {
                    assertEquals(one[p], values[i * 784 + p], 1e-5);
                    assertEquals((TestData.pixel(i, p) / 255f - 0.1307f) / 0.3081f, one[p], 1e-5);
                }
            }
            NDArray labels = mnist.train().labels();
            assertEquals(new Shape(20), labels.getShape());
            assertEquals(DataType.FLOAT32, labels.getDataType());
            assertEquals(7f, labels.getFloat(17));
        }
    }

    @Test
    void cifarIsNormalisedPerChannel() {
        try (ImageDataset cifar = Datasets.cifar10().optRoot(root).manifest(MANIFEST)
                .optNormalization(Normalization.CIFAR_10).load()) {
            NDArray images = cifar.test().images();
            assertEquals(new Shape(TestData.CIFAR_TEST, 3, 32, 32), images.getShape());
            int i = 4;
            float[] expected = cifar.test().pixels(i);
            assertArrayEquals(expected, images.get(i).toFloatArray(), 1e-5f);
            assertEquals((TestData.pixel(i, 2048 + 40) / 255f - 0.4465f) / 0.2616f, expected[2048 + 40], 1e-5);
        }
    }

    @Test
    void datasetBatchesFollowTheFileOrder() throws IOException, TranslateException {
        try (ImageDataset mnist = Datasets.mnist().optRoot(root).manifest(MANIFEST).load();
                NDManager manager = NDManager.newBaseManager()) {
            ArrayDataset test = mnist.testDataset(5);
            int seen = 0;
            for (Batch batch : test.getData(manager)) {
                try (batch) {
                    NDArray x = batch.getData().head();
                    NDArray y = batch.getLabels().head();
                    assertEquals(784, x.getShape().get(1) * x.getShape().get(2) * x.getShape().get(3));
                    for (int k = 0; k < x.getShape().get(0); k++) {
                        assertEquals(mnist.test().label(seen), (int) y.getFloat(k));
                        assertEquals(TestData.pixel(seen, 5) / 255f, x.get(k).toFloatArray()[5], 1e-6);
                        seen++;
                    }
                }
            }
            assertEquals(TestData.TEST, seen);
            Split split = mnist.split(0.25, 3);
            assertEquals(split.validation().size(), split.validation().dataset(4, false).size());
        }
    }

    @Test
    void closingFreesTheArrays() {
        ImageDataset mnist = Datasets.mnist().optRoot(root).manifest(MANIFEST).load();
        NDArray images = mnist.train().images();
        mnist.close();
        assertThrows(IllegalStateException.class, () -> mnist.test().images());
        assertThrows(RuntimeException.class, images::toFloatArray);
    }

    @Test
    void arraysCanLiveInTheCallersManager() {
        try (NDManager parent = NDManager.newBaseManager()) {
            ImageDataset mnist = Datasets.mnist().optRoot(root).manifest(MANIFEST).optManager(parent).load();
            NDArray labels = mnist.train().labels();
            assertEquals(TestData.TRAIN, labels.size());
            assertSame(parent, mnist.manager().getParentManager());
        }
    }
}
