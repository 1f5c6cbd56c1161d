package dlkit.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import dlkit.engine.Engines;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A loaded, verified image dataset: its training and test images, class names, and seeded
 * train/validation splits. Made by {@link Datasets}.
 *
 * <pre>{@code
 * try (ImageDataset fashion = Datasets.fashionMnist().load()) {
 *     Split split = fashion.split(0.1, 42);
 *     ArrayDataset train = split.train().dataset(128, true);
 *     ArrayDataset validation = split.validation().dataset(512, false);
 * }
 * }</pre>
 *
 * <p>Closing it frees every NDArray made from it, including those of its splits.
 */
public final class ImageDataset implements AutoCloseable {

    /**
     * Where a dataset's images come from and their form.
     *
     * @param dir its folder (under the data root, or the image folder's path)
     * @param title its name
     * @param channels 1 or 3
     * @param side height = width, in pixels
     */
    record Source(String dir, String title, int channels, int side) {}

    private final Source spec;
    private final List<String> classNames;
    private final ImageSet train;
    private final ImageSet test;
    private final NDManager parent;
    private NDManager manager;
    private boolean closed;

    ImageDataset(
            Source spec,
            DatasetReader.Contents contents,
            int trainLimit,
            int testLimit,
            Normalization normalization,
            NDManager parent) {
        this.spec = spec;
        this.classNames = contents.classNames();
        this.parent = parent;
        this.train = part("train", contents.train(), trainLimit, normalization);
        this.test = part("test", contents.test(), testLimit, normalization);
    }

    private ImageSet part(String name, DatasetReader.Part part, int limit, Normalization normalization) {
        int count = Math.min(part.count(), limit);
        int per = spec.channels() * spec.side() * spec.side();
        String identity = "dataset=" + spec.dir() + " part=" + name + " files=" + String.join(",", part.files())
                + " limit=" + (limit == Integer.MAX_VALUE ? "none" : String.valueOf(limit)) + " count=" + count
                + " normalization=" + normalization;
        return new ImageSet(
                spec.title(), name, part.pixels().slice(0, count * per), part.labels().slice(0, count), count,
                spec.channels(), spec.side(), classNames, normalization, identity, this::manager);
    }

    /**
     * The dataset's name.
     *
     * @return such as {@code "MNIST"}
     */
    public String name() {
        return spec.title();
    }

    /**
     * The class names, by label.
     *
     * @return ten names
     */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * The training images (limited, if a limit was set).
     *
     * @return the training set
     */
    public ImageSet train() {
        return train;
    }

    /**
     * The test images (limited, if a limit was set).
     *
     * @return the test set
     */
    public ImageSet test() {
        return test;
    }

    /**
     * The training images as a DJL dataset.
     *
     * @param batchSize images per batch
     * @param shuffle whether to visit them in a new random order each epoch
     * @return {@code train().dataset(batchSize, shuffle)}
     */
    public ArrayDataset trainDataset(int batchSize, boolean shuffle) {
        return train.dataset(batchSize, shuffle);
    }

    /**
     * The test images as a DJL dataset, in file order.
     *
     * @param batchSize images per batch
     * @return {@code test().dataset(batchSize, false)}
     */
    public ArrayDataset testDataset(int batchSize) {
        return test.dataset(batchSize, false);
    }

    /**
     * Divides the training images into training and validation images. The same fraction and
     * seed always give the same division; each part keeps the images' original order.
     *
     * @param validationFraction the share held out for validation, strictly between 0 and 1
     * @param seed the random seed that picks the validation images
     * @return the two parts
     * @throws IllegalArgumentException when the fraction leaves either part empty
     */
    public Split split(double validationFraction, long seed) {
        int n = train.size();
        int validationCount = (int) Math.round(n * validationFraction);
        if (!(validationFraction > 0 && validationFraction < 1) || validationCount == 0 || validationCount == n) {
            throw new IllegalArgumentException(
                    "validationFraction must leave both parts non-empty: got " + validationFraction + " of " + n
                            + " images; use a value such as 0.1 or 0.2");
        }
        int[] order = Permutations.of(n, new Random(seed));
        int[] validation = Arrays.copyOfRange(order, 0, validationCount);
        int[] training = Arrays.copyOfRange(order, validationCount, n);
        Arrays.sort(validation);
        Arrays.sort(training);
        String how = String.format(Locale.ROOT, "(fraction=%s,seed=%d)", validationFraction, seed);
        return new Split(
                train.select(training, "train (split)", train.identity() + " split=train" + how),
                train.select(validation, "validation", train.identity() + " split=validation" + how));
    }

    /**
     * Pictures of your own, prepared as this dataset's images are, for a trained model to classify:
     * scaled and centre-cropped to its size (as {@link Datasets#imageFolder} reads), in its channels
     * (colour becomes grey for a grey dataset), with its normalisation.
     *
     * <pre>{@code
     * NDArray photos = flowers.prepare(List.of(Path.of("my-rose.jpg")));
     * NDArray probabilities = run.predict(photos).softmax(1);   // classes as in flowers.classNames()
     * }</pre>
     *
     * <p>MNIST's and Fashion-MNIST's images are light shapes on black: a photo of a dark digit on
     * white paper needs inverting ({@code 1 - x} for {@link Normalization#UNIT}) to look like them.
     *
     * @param files PNG, JPEG, GIF or BMP files
     * @return float32 {@code [files, C, H, W]}, owned by this dataset's manager
     * @throws DatasetException naming a file that cannot be read as a picture
     */
    public NDArray prepare(List<Path> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("prepare(files): give at least one picture file");
        }
        ByteBuffer pixels = ImageFolderReader.prepare(files, spec.channels(), spec.side());
        try (NDArray bytes = manager().create(pixels, new Shape(files.size(), spec.channels(), spec.side(), spec.side()),
                DataType.UINT8)) {
            return train.normalization().apply(bytes);
        }
    }

    /**
     * The manager that owns this dataset's arrays, made on first use.
     *
     * @return the manager
     */
    public synchronized NDManager manager() {
        if (closed) {
            throw new IllegalStateException(name() + " dataset is closed; load it again to make arrays");
        }
        if (manager == null) {
            if (parent != null) {
                manager = parent.newSubManager();
            } else {
                Engines.startQuietly();
                manager = NDManager.newBaseManager();
            }
            manager.setName(name() + " dataset");
        }
        return manager;
    }

    /** Frees every array made from this dataset. */
    @Override
    public synchronized void close() {
        closed = true;
        if (manager != null) {
            manager.close();
            manager = null;
        }
    }

    @Override
    public String toString() {
        return name() + ": " + train.size() + " training and " + test.size() + " test images "
                + spec.channels() + "x" + spec.side() + "x" + spec.side() + ", classes " + classNames
                + ", " + train.normalization();
    }
}
