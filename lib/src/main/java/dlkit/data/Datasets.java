package dlkit.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where loading a dataset starts.
 *
 * <pre>{@code
 * ImageDataset mnist = Datasets.mnist().optLimit(10_000).optNormalization(Normalization.MNIST).load();
 * ImageDataset fashion = Datasets.fashionMnist().load();
 * ImageDataset cifar = Datasets.cifar10().optNormalization(Normalization.CIFAR_10).load();
 * ImageDataset flowers = Datasets.imageFolder(Path.of("flowers")).optSize(64).load(); // your own
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
     * Images of your own, from a folder with one sub-folder per class (or {@code train/} and
     * {@code test/} folders that each have them); see {@link ImageFolderLoader}.
     *
     * @param folder the folder
     * @return a loader
     */
    public static ImageFolderLoader imageFolder(Path folder) {
        return new ImageFolderLoader(folder);
    }

    /**
     * Whether the CIFAR-10 files are in the data root (they are checked when loaded).
     *
     * @return true when every batch file and the class names are in {@code cifar-10/}
     */
    public static boolean cifar10Fetched() {
        Path dir = DataRoot.locate().resolve(DatasetSpec.CIFAR_10.dir());
        List<String> names = new ArrayList<>(DatasetSpec.CIFAR_TRAIN);
        names.add(DatasetSpec.CIFAR_TEST);
        names.add(DatasetSpec.CIFAR_META);
        return names.stream().allMatch(name -> Files.isRegularFile(dir.resolve(name)));
    }

    /**
     * CIFAR-10 when it has been fetched; otherwise a {@link SyntheticCifar10} sample of the given
     * size, after printing that the real data is missing and the command that fetches it.
     *
     * @param trainImages training images of the synthetic stand-in
     * @param testImages test images of the synthetic stand-in
     * @return a loader of the real or the synthetic data
     */
    public static DatasetLoader cifar10OrSynthetic(int trainImages, int testImages) {
        if (cifar10Fetched()) {
            return cifar10();
        }
        System.out.println("CIFAR-10 is not in " + DataRoot.locate().resolve(DatasetSpec.CIFAR_10.dir())
                + ": to get it, " + DatasetSpec.CIFAR_10.fixCommand() + ".\nUsing a SYNTHETIC sample in the"
                + " CIFAR-10 format instead (" + trainImages + " training and " + testImages + " test images of"
                + " coloured shapes, in " + SyntheticCifar10.FOLDER + "/): every cell runs, but the figures"
                + " below say nothing about CIFAR-10.");
        return SyntheticCifar10.loader(trainImages, testImages);
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
