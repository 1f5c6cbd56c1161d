package dlkit.data;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;

/**
 * A small, learnable image dataset in MNIST's files, for tests of other packages: image {@code i}
 * has label {@code i % 10} and a bright 6x6 square at a place that depends on the label, on noise.
 */
public final class TinyImages {

    private TinyImages() {}

    /**
     * Writes the files under {@code root/mnist/} and loads them.
     *
     * @param root a temporary folder
     * @param train training images
     * @param test test images
     * @param normalization how pixels are scaled
     * @return the loaded dataset; close it
     */
    public static ImageDataset load(Path root, int train, int test, Normalization normalization) {
        Path dir = root.resolve("mnist");
        byte[][] files = {images(train, 1), labels(train), images(test, 2), labels(test)};
        String[] names = {DatasetSpec.TRAIN_IMAGES, DatasetSpec.TRAIN_LABELS, DatasetSpec.TEST_IMAGES, DatasetSpec.TEST_LABELS};
        TestData manifest = new TestData();
        for (int f = 0; f < 4; f++) {
            TestData.write(dir.resolve(names[f]), files[f]);
            manifest.describe("mnist", names[f], files[f]);
        }
        return Datasets.mnist().optRoot(root).optNormalization(normalization).manifest(manifest.manifest()).load();
    }

    private static byte[] images(int count, long seed) {
        Random random = new Random(seed);
        ByteBuffer b = ByteBuffer.allocate(16 + count * 784);
        b.putInt(IdxFormat.IMAGES_MAGIC).putInt(count).putInt(28).putInt(28);
        for (int i = 0; i < count; i++) {
            int c = i % 10;
            int top = (c / 5) * 14 + 4 + random.nextInt(3);
            int left = (c % 5) * 5 + 1 + random.nextInt(2);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    boolean square = y >= top && y < top + 6 && x >= left && x < left + 6;
                    b.put((byte) (square ? 220 + random.nextInt(36) : random.nextInt(40)));
                }
            }
        }
        return b.array();
    }

    private static byte[] labels(int count) {
        ByteBuffer b = ByteBuffer.allocate(8 + count);
        b.putInt(IdxFormat.LABELS_MAGIC).putInt(count);
        for (int i = 0; i < count; i++) {
            b.put((byte) (i % 10));
        }
        return b.array();
    }
}
