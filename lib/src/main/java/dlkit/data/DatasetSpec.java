package dlkit.data;

import java.util.List;

/** The datasets dlkit knows: where their files live, what their images look like, their classes. */
enum DatasetSpec {
    MNIST(
            "mnist",
            "MNIST",
            1,
            28,
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")),
    FASHION_MNIST(
            "fashion-mnist",
            "Fashion-MNIST",
            1,
            28,
            List.of(
                    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")),
    /** Class names come from {@code batches.meta.txt}. */
    CIFAR_10("cifar-10", "CIFAR-10", 3, 32, null);

    /** IDX file names (without {@code .gz}) of the two IDX datasets. */
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /** CIFAR-10 files, relative to {@code data/cifar-10/}. */
    static final String CIFAR_DIR = "cifar-10-batches-bin";
    static final List<String> CIFAR_TRAIN =
            List.of(
                    CIFAR_DIR + "/data_batch_1.bin",
                    CIFAR_DIR + "/data_batch_2.bin",
                    CIFAR_DIR + "/data_batch_3.bin",
                    CIFAR_DIR + "/data_batch_4.bin",
                    CIFAR_DIR + "/data_batch_5.bin");
    static final String CIFAR_TEST = CIFAR_DIR + "/test_batch.bin";
    static final String CIFAR_META = CIFAR_DIR + "/batches.meta.txt";

    private final String dir;
    private final String title;
    private final int channels;
    private final int side;
    private final List<String> classNames;

    DatasetSpec(String dir, String title, int channels, int side, List<String> classNames) {
        this.dir = dir;
        this.title = title;
        this.channels = channels;
        this.side = side;
        this.classNames = classNames;
    }

    /** The directory under the data root, and the name the fetch command takes. */
    String dir() {
        return dir;
    }

    String title() {
        return title;
    }

    int channels() {
        return channels;
    }

    /** Images are square: height = width = side. */
    int side() {
        return side;
    }

    int pixelsPerImage() {
        return channels * side * side;
    }

    ImageDataset.Source source() {
        return new ImageDataset.Source(dir, title, channels, side);
    }

    int classCount() {
        return 10;
    }

    /** The fixed class names, or {@code null} where the files supply them. */
    List<String> classNames() {
        return classNames;
    }

    boolean isIdx() {
        return this != CIFAR_10;
    }

    /** How to fetch (or repair) this dataset: the fetch command replaces bad files. */
    String fixCommand() {
        String command = "run environment/fetch-data.sh " + dir;
        if (this == CIFAR_10) {
            return command
                    + " (it downloads " + Fetch.CIFAR_ARCHIVE + "; offline, put that archive in"
                    + " data/cifar-10/ first and it is used from there)";
        }
        return command + " (it replaces missing or bad files)";
    }

    /**
     * Finds a dataset by its directory name.
     *
     * @param name such as {@code mnist}, {@code fashion-mnist} or {@code cifar-10}
     * @return the dataset
     * @throws IllegalArgumentException listing the known names
     */
    static DatasetSpec byName(String name) {
        for (DatasetSpec spec : values()) {
            if (spec.dir.equals(name)) {
                return spec;
            }
        }
        throw new IllegalArgumentException(
                "unknown dataset '" + name + "'; known: mnist, fashion-mnist, cifar-10");
    }
}
