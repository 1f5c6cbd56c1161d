package dlkit.data;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;

/**
 * Options for loading one dataset; {@link #load()} reads and verifies it. Made by {@link Datasets}.
 */
public final class DatasetLoader {

    private final DatasetSpec spec;
    private Path root;
    private int trainLimit = Integer.MAX_VALUE;
    private int testLimit = Integer.MAX_VALUE;
    private Normalization normalization = Normalization.UNIT;
    private NDManager manager;
    private Manifest manifest = Manifest.standard();
    private DatasetLoader fallback;

    DatasetLoader(DatasetSpec spec) {
        this.spec = spec;
    }

    /**
     * Reads from another data root than the one {@link DataRoot#locate()} finds.
     *
     * @param dataRoot the directory that holds {@code mnist/}, {@code fashion-mnist/}, {@code cifar-10/}
     * @return this loader
     */
    public DatasetLoader optRoot(Path dataRoot) {
        this.root = dataRoot;
        return this;
    }

    /**
     * Keeps only the first {@code limit} training and the first {@code limit} test images, for
     * quick runs. The whole files are still verified.
     *
     * @param limit a positive count; larger than the dataset means all of it
     * @return this loader
     */
    public DatasetLoader optLimit(int limit) {
        return optLimit(limit, limit);
    }

    /**
     * Keeps only the first images of each part.
     *
     * @param trainLimit how many training images to keep, positive
     * @param testLimit how many test images to keep, positive
     * @return this loader
     */
    public DatasetLoader optLimit(int trainLimit, int testLimit) {
        if (trainLimit <= 0 || testLimit <= 0) {
            throw new IllegalArgumentException(
                    "limits must be positive, got train " + trainLimit + " and test " + testLimit
                            + "; leave optLimit out to use every image");
        }
        this.trainLimit = trainLimit;
        this.testLimit = testLimit;
        return this;
    }

    /**
     * Sets how pixels become model inputs; the default is {@link Normalization#UNIT} ([0, 1]).
     *
     * @param normalization such as {@link Normalization#MNIST}
     * @return this loader
     */
    public DatasetLoader optNormalization(Normalization normalization) {
        normalization.checkChannels(spec.channels());
        this.normalization = normalization;
        return this;
    }

    /**
     * Makes the dataset's arrays in a sub-manager of the given manager (by default, in a manager
     * of its own).
     *
     * @param parent the manager whose closing also frees the dataset's arrays
     * @return this loader
     */
    public DatasetLoader optManager(NDManager parent) {
        this.manager = parent;
        return this;
    }

    /**
     * Loads another dataset instead when this one's files are not on this machine, saying so in
     * one line, e.g. CIFAR-10 where only Fashion-MNIST is available. Bad files (a wrong checksum)
     * are still an error: only missing ones fall back.
     *
     * @param other the loader to use instead, with its own options
     * @return this loader
     */
    public DatasetLoader optFallback(DatasetLoader other) {
        this.fallback = other;
        return this;
    }

    /** Uses another manifest; for tests, which make small files of their own. */
    DatasetLoader manifest(Manifest other) {
        this.manifest = other;
        return this;
    }

    /**
     * Reads the dataset into memory, checking every file.
     *
     * @return the dataset; close it to free its arrays
     * @throws DatasetException when a file is missing or bad, naming it and the fix
     */
    public ImageDataset load() {
        DataRoot dataRoot = root != null ? DataRoot.of(root) : DataRoot.locate();
        DatasetReader.Contents contents;
        try {
            contents = DatasetReader.read(spec, dataRoot, manifest);
        } catch (DatasetException e) {
            if (fallback == null || !e.missing()) {
                throw e;
            }
            System.out.println("dlkit: " + spec.title() + " is not on this machine, so this uses " + fallback.spec.title()
                    + " instead (environment/fetch-data.sh " + spec.dir() + " adds it).");
            return fallback.load();
        }
        return new ImageDataset(spec.source(), contents, trainLimit, testLimit, normalization, manager);
    }

    @Override
    public String toString() {
        return spec.title() + " loader (limit " + (trainLimit == Integer.MAX_VALUE ? "none" : trainLimit + "/" + testLimit)
                + ", " + normalization + ")";
    }
}
