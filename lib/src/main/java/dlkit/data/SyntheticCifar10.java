package dlkit.data;

import dlkit.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * A small stand-in for CIFAR-10, written in the official binary format, for machines that cannot
 * download the real dataset: every notebook cell still runs, on images a CNN can learn.
 *
 * <p>Each class is a coloured shape on a noisy background: five shapes (square, disc, horizontal
 * bar, vertical bar, cross) and five colours, class k drawing shape {@code k % 5} in colour {@code
 * k / 2}, so that neither shape nor colour alone tells the classes apart. Positions, sizes,
 * brightness and background vary per image. The class names are CIFAR-10's, so code written for
 * CIFAR-10 runs unchanged; the numbers it produces say nothing about CIFAR-10.
 *
 * <pre>{@code
 * DatasetLoader loader = SyntheticCifar10.loader(2000, 500);   // or Datasets.cifar10OrSynthetic(2000, 500)
 * }</pre>
 *
 * <p>The files go to {@code synthetic-cifar-10/<train>-<test>-seed<seed>/cifar-10/} in the data
 * root, never into {@code cifar-10/}, so they cannot be mistaken for the real dataset.
 */
public final class SyntheticCifar10 {

    /** The folder in the data root that holds every synthetic sample. */
    public static final String FOLDER = "synthetic-cifar-10";

    private static final int SIDE = 32;
    private static final int[][] COLOURS = {
        {230, 40, 40}, {40, 200, 60}, {50, 90, 235}, {240, 210, 40}, {210, 60, 220}
    };

    private SyntheticCifar10() {}

    /**
     * A loader for a synthetic sample in the data root, written first if it is not there (seed 1).
     *
     * @param trainImages training images, &ge; 10
     * @param testImages test images, &ge; 10
     * @return a CIFAR-10 loader that reads the synthetic files
     */
    public static DatasetLoader loader(int trainImages, int testImages) {
        return loader(DataRoot.locate().path(), trainImages, testImages, 1);
    }

    /**
     * A loader for a synthetic sample under a given data root, written first if it is not there.
     *
     * @param dataRoot the data root; the files go to {@code dataRoot/synthetic-cifar-10/...}
     * @param trainImages training images, &ge; 10
     * @param testImages test images, &ge; 10
     * @param seed the seed of the generator
     * @return a CIFAR-10 loader that reads the synthetic files
     */
    public static DatasetLoader loader(Path dataRoot, int trainImages, int testImages, long seed) {
        Path root = dataRoot.resolve(FOLDER).resolve(trainImages + "-" + testImages + "-seed" + seed);
        Map<String, byte[]> files = files(trainImages, testImages, seed);
        StringBuilder manifest = new StringBuilder();
        try {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path target = root.resolve(DatasetSpec.CIFAR_10.dir()).resolve(f.getKey());
                if (!Files.exists(target)) {
                    AtomicFiles.createDirectories(target.getParent());
                    AtomicFiles.write(target, f.getValue());
                }
                manifest.append("file cifar-10 ").append(f.getKey()).append(' ')
                        .append(f.getKey().endsWith(".bin") ? String.valueOf(f.getValue().length) : "-")
                        .append(" -\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the synthetic CIFAR-10 sample under " + root, e);
        }
        return new DatasetLoader(DatasetSpec.CIFAR_10).optRoot(root).manifest(Manifest.parse(manifest.toString()));
    }

    /**
     * The sample's files by name, relative to {@code cifar-10/}.
     *
     * @param trainImages training images, &ge; 10
     * @param testImages test images, &ge; 10
     * @param seed the generator's seed
     * @return the files in the official layout
     */
    static Map<String, byte[]> files(int trainImages, int testImages, long seed) {
        if (trainImages < 10 || testImages < 10) {
            throw new IllegalArgumentException("a synthetic CIFAR-10 sample needs at least 10 training and 10 test"
                    + " images (one per class), got " + trainImages + " and " + testImages);
        }
        Random random = new Random(seed);
        byte[][] train = images(trainImages, random);
        byte[][] test = images(testImages, random);
        return CifarFormat.files(train[0], train[1], test[0], test[1]);
    }

    /** Labels (balanced, shuffled) and pixels of {@code n} images. */
    private static byte[][] images(int n, Random random) {
        byte[] labels = new byte[n];
        int[] order = Permutations.of(n, random); // the same swaps as shuffling the balanced labels
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (order[i] % CifarFormat.CLASSES);
        }
        byte[] pixels = new byte[n * CifarFormat.PIXELS];
        for (int i = 0; i < n; i++) {
            draw(labels[i], random, pixels, i * CifarFormat.PIXELS);
        }
        return new byte[][] {labels, pixels};
    }

    /** One image of class {@code label}: noisy background, then the class's shape in its colour. */
    private static void draw(int label, Random random, byte[] pixels, int offset) {
        int shape = label % 5;
        int[] colour = COLOURS[label / 2];
        double brightness = 0.6 + 0.4 * random.nextDouble();
        int[] background = {random.nextInt(120), random.nextInt(120), random.nextInt(120)};
        int cx = 10 + random.nextInt(12);
        int cy = 10 + random.nextInt(12);
        int r = 5 + random.nextInt(5);
        int plane = SIDE * SIDE;
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                boolean inside = inside(shape, x - cx, y - cy, r);
                for (int c = 0; c < 3; c++) {
                    double v = inside ? colour[c] * brightness : background[c];
                    v += random.nextGaussian() * 20;
                    pixels[offset + c * plane + y * SIDE + x] = (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
                }
            }
        }
    }

    private static boolean inside(int shape, int dx, int dy, int r) {
        int ax = Math.abs(dx);
        int ay = Math.abs(dy);
        return switch (shape) {
            case 0 -> ax <= r && ay <= r; // square
            case 1 -> dx * dx + dy * dy <= r * r; // disc
            case 2 -> ax <= r + 3 && ay <= 2; // horizontal bar
            case 3 -> ax <= 2 && ay <= r + 3; // vertical bar
            default -> (ax <= 1 && ay <= r + 2) || (ay <= 1 && ax <= r + 2); // cross
        };
    }
}
