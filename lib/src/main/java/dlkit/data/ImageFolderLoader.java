package dlkit.data;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Options for loading images of your own from a folder with one sub-folder per class, as
 * torchvision's {@code ImageFolder} reads them; {@link #load()} reads them. Made by
 * {@link Datasets#imageFolder(Path)}.
 *
 * <pre>{@code
 * flowers/train/rose/001.jpg      flowers/rose/001.jpg
 * flowers/train/tulip/...    or   flowers/tulip/...      (a seeded part held out as the test set)
 * flowers/test/rose/...
 * flowers/test/tulip/...
 * }</pre>
 *
 * <p>Class names are the sub-folders' names, labels their index in sorted order. PNG, JPEG, GIF and
 * BMP files are read; hidden files and files of other kinds are skipped, and counted. Each image is
 * scaled so that its shorter side fits {@link #optSize}, then cropped to a centred square (as
 * torchvision's {@code Resize} and {@code CenterCrop} do), and kept as bytes like MNIST's and
 * CIFAR-10's, so the result is an {@link ImageDataset} like theirs: splits, augmentations, image
 * grids and the run cache work the same.
 */
public final class ImageFolderLoader {

    private final Path folder;
    private int size = 32;
    private int channels;
    private double testFraction = 0.2;
    private long seed = 42;
    private Normalization normalization = Normalization.UNIT;
    private NDManager manager;

    ImageFolderLoader(Path folder) {
        this.folder = folder;
    }

    /**
     * The side of the square images, in pixels; 32 by default.
     *
     * @param pixels 1..1024
     * @return this loader
     */
    public ImageFolderLoader optSize(int pixels) {
        if (pixels < 1 || pixels > 1024) {
            throw new IllegalArgumentException("optSize(" + pixels + "): the side must be 1..1024 pixels"
                    + " (28 or 32 for networks like this project's; more costs memory and time)");
        }
        this.size = pixels;
        return this;
    }

    /**
     * Grey (1) or colour (3) images. By default 1 when every image is grey, else 3.
     *
     * @param count 1 or 3
     * @return this loader
     */
    public ImageFolderLoader optChannels(int count) {
        if (count != 1 && count != 3) {
            throw new IllegalArgumentException("optChannels(" + count + "): use 1 for grey or 3 for colour images");
        }
        this.channels = count;
        return this;
    }

    /**
     * For a folder without {@code train/} and {@code test/}: the fraction of each class held out as the
     * test set, drawn with the seed; 0.2 and seed 42 by default.
     *
     * @param fraction between 0 and 1, exclusive
     * @param seed the seed of the draw
     * @return this loader
     */
    public ImageFolderLoader optTestFraction(double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("optTestFraction(" + fraction + ", ...): the fraction must be"
                    + " between 0 and 1, e.g. 0.2 for a fifth of each class");
        }
        this.testFraction = fraction;
        this.seed = seed;
        return this;
    }

    /**
     * How pixels become numbers; {@link Normalization#UNIT} (0..1) by default.
     *
     * @param normalization such as {@link Normalization#perChannel(float[], float[])}
     * @return this loader
     */
    public ImageFolderLoader optNormalization(Normalization normalization) {
        this.normalization = normalization;
        return this;
    }

    /**
     * Makes the dataset's arrays under this manager instead of a new one.
     *
     * @param parent the parent manager
     * @return this loader
     */
    public ImageFolderLoader optManager(NDManager parent) {
        this.manager = parent;
        return this;
    }

    /**
     * Reads every image.
     *
     * @return the dataset; close it to free its arrays
     * @throws DatasetException naming the folder or file at fault and what to do, before any image is
     *     decoded when the layout is wrong
     */
    public ImageDataset load() {
        ImageFolderReader.Read read = new ImageFolderReader(folder, size, channels, testFraction, seed).read();
        if (read.skipped() > 0) {
            System.out.println("dlkit: " + read.skipped() + (read.skipped() == 1 ? " file" : " files") + " in " + folder
                    + " skipped: not PNG, JPEG, GIF or BMP (e.g. " + read.skippedExample() + ")");
        }
        normalization.checkChannels(read.channels());
        Path path = folder.toAbsolutePath().normalize();
        ImageDataset.Source source = new ImageDataset.Source(path.toString(), String.valueOf(path.getFileName()),
                read.channels(), size);
        return new ImageDataset(source, read.contents(), Integer.MAX_VALUE, Integer.MAX_VALUE, normalization, manager);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "image folder %s (size %d, channels %s, test fraction %s, seed %d, %s)",
                folder, size, channels == 0 ? "as the images" : String.valueOf(channels), testFraction, seed,
                normalization);
    }
}
