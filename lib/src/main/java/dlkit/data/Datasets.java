package dlkit.data;

/**
 * Where loading a dataset starts.
 *
 * <pre>{@code
 * ImageDataset mnist = Datasets.mnist().optLimit(10_000).optNormalization(Normalization.MNIST).load();
 * ImageDataset fashion = Datasets.fashionMnist().load();
 * ImageDataset cifar = Datasets.cifar10().optNormalization(Normalization.CIFAR_10).load();
 * }</pre>
 *
 * <p>The files must have been fetched first: {@code environment/fetch-data.sh} (see {@link Fetch}).
 */
public final class Datasets {

    private Datasets() {}

    /**
     * MNIST handwritten digits: 60,000 training and 10,000 test images, 1x28x28, classes 0..9.
     *
     * @return a loader
     */
    public static DatasetLoader mnist() {
        return new DatasetLoader(DatasetSpec.MNIST);
    }

    /**
     * Fashion-MNIST clothing images: 60,000 training and 10,000 test images, 1x28x28, 10 classes.
     *
     * @return a loader
     */
    public static DatasetLoader fashionMnist() {
        return new DatasetLoader(DatasetSpec.FASHION_MNIST);
    }

    /**
     * CIFAR-10 colour images: 50,000 training and 10,000 test images, 3x32x32, 10 classes.
     *
     * @return a loader
     */
    public static DatasetLoader cifar10() {
        return new DatasetLoader(DatasetSpec.CIFAR_10);
    }

    /**
     * A loader chosen by name.
     *
     * @param name {@code mnist}, {@code fashion-mnist} or {@code cifar-10}
     * @return a loader
     * @throws IllegalArgumentException for another name
     */
    public static DatasetLoader byName(String name) {
        return new DatasetLoader(DatasetSpec.byName(name));
    }
}
