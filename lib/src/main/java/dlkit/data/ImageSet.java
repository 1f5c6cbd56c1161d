package dlkit.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;

/**
 * One part of a dataset (training, test or validation images): the pixel bytes stay resident in
 * one buffer, and the normalised {@link NDArray}s are made from it on first use, in one native copy.
 *
 * <p>Its arrays belong to the {@link ImageDataset} it came from, and are freed when that closes.
 */
public final class ImageSet {

    private final String dataset;
    private final String part;
    private final ByteBuffer pixels;
    private final ByteBuffer labelBytes;
    private final int count;
    private final int channels;
    private final int side;
    private final List<String> classNames;
    private final Normalization normalization;
    private final String identity;
    private final Supplier<NDManager> manager;
    private NDArray images;
    private NDArray labels;
    private NDArray oneHotLabels;

    /**
     * The number of images.
     *
     * @return the count
     */
    public int size() {
        return count;
    }

    /**
     * The images' shape, without the count.
     *
     * @return {@code [channels, height, width]}
     */
    public Shape imageShape() {
        return new Shape(channels, side, side);
    }

    /**
     * All images, normalised; made once, then the same array is returned.
     *
     * @return float32 {@code [N, C, H, W]}
     */
    public synchronized NDArray images() {
        if (images == null) {
            NDManager m = manager.get();
            try (NDArray bytes = m.create(pixels.duplicate(), new Shape(count, channels, side, side), DataType.UINT8)) {
                images = normalization.apply(bytes);
            }
            images.setName(dataset + " " + part + " images");
        }
        return images;
    }

    /**
     * All labels, as DJL's own datasets give them; made once, then the same array is returned.
     *
     * @return float32 {@code [N]} holding class indices 0..9
     */
    public synchronized NDArray labels() {
        if (labels == null) {
            NDManager m = manager.get();
            try (NDArray bytes = m.create(labelBytes.duplicate(), new Shape(count), DataType.UINT8)) {
                labels = bytes.toType(DataType.FLOAT32, false);
            }
            labels.setName(dataset + " " + part + " labels");
        }
        return labels;
    }

    /**
     * The labels as one-hot rows, for losses that compare a row of outputs with a row of targets
     * (e.g. {@code SigmoidBinaryCrossEntropyLoss} or {@code L2Loss} on class scores); made once.
     *
     * @return float32 {@code [N, classes]}: 1 at each example's class, 0 elsewhere
     */
    public synchronized NDArray oneHotLabels() {
        if (oneHotLabels == null) {
            try (NDArray indices = labels().toType(DataType.INT64, true);
                    NDArray rows = indices.oneHot(classNames().size())) {
                oneHotLabels = rows.toType(DataType.FLOAT32, true);
            }
            oneHotLabels.setName(dataset + " " + part + " one-hot labels");
        }
        return oneHotLabels;
    }

    /**
     * A DJL dataset over these images, for {@code EasyTrain.fit} or {@code trainer.iterateDataset}.
     *
     * @param batchSize images per batch
     * @param shuffle whether each epoch visits the images in a new random order (DJL's random
     *     seed, {@code Engine.getInstance().setRandomSeed}, makes it repeatable)
     * @return a dataset of {@code images()} and {@code labels()}
     */
    public ArrayDataset dataset(int batchSize, boolean shuffle) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        return new ArrayDataset.Builder()
                .setData(images())
                .optLabels(labels())
                .setSampling(batchSize, shuffle)
                .build();
    }

    /**
     * One image's label.
     *
     * @param index 0..size()-1
     * @return its class index
     */
    public int label(int index) {
        return Byte.toUnsignedInt(labelBytes.get(checkIndex(index)));
    }

    /**
     * One image's class name.
     *
     * @param index 0..size()-1
     * @return such as {@code "Sneaker"}
     */
    public String labelName(int index) {
        return classNames.get(label(index));
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
     * How many images each class has.
     *
     * @return counts by label
     */
    public int[] classCounts() {
        int[] counts = new int[classNames.size()];
        for (int i = 0; i < count; i++) {
            counts[Byte.toUnsignedInt(labelBytes.get(i))]++;
        }
        return counts;
    }

    /**
     * One image's normalised values, without making any NDArray.
     *
     * @param index 0..size()-1
     * @return {@code C*H*W} values, channel by channel, row by row
     */
    public float[] pixels(int index) {
        int per = channels * side * side;
        int offset = checkIndex(index) * per;
        int plane = side * side;
        float[] values = new float[per];
        for (int i = 0; i < per; i++) {
            values[i] = normalization.apply(Byte.toUnsignedInt(pixels.get(offset + i)), i / plane);
        }
        return values;
    }

    /**
     * One image as a picture, from its raw pixels (normalisation does not apply), for image grids.
     *
     * @param index 0..size()-1
     * @return a grey or RGB image of the dataset's size
     */
    public BufferedImage image(int index) {
        int plane = side * side;
        int offset = checkIndex(index) * channels * plane;
        if (channels == 1) {
            BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
            byte[] grey = new byte[plane];
            pixels.get(offset, grey);
            image.getRaster().setDataElements(0, 0, side, side, grey);
            return image;
        }
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int p = 0; p < plane; p++) {
            int r = Byte.toUnsignedInt(pixels.get(offset + p));
            int g = Byte.toUnsignedInt(pixels.get(offset + plane + p));
            int b = Byte.toUnsignedInt(pixels.get(offset + 2 * plane + p));
            image.setRGB(p % side, p / side, (r << 16) | (g << 8) | b);
        }
        return image;
    }

    /**
     * The normalisation applied by {@link #images()} and {@link #pixels(int)}.
     *
     * @return the normalisation
     */
    public Normalization normalization() {
        return normalization;
    }

    /**
     * What exactly these images are: dataset, part, content SHA-256 of the files, limit, split and
     * normalisation. Equal identities mean equal data, so a run cache can key on it.
     *
     * @return a one-line description
     */
    public String identity() {
        return identity;
    }

    /** A new set holding the images at the given indices, in that order. */
    ImageSet select(int[] indices, String newPart, String newIdentity) {
        int per = channels * side * side;
        ByteBuffer newPixels = ByteBuffer.allocateDirect(Math.multiplyExact(indices.length, per));
        ByteBuffer newLabels = ByteBuffer.allocateDirect(indices.length);
        for (int index : indices) {
            newPixels.put(pixels.slice(checkIndex(index) * per, per));
            newLabels.put(labelBytes.get(index));
        }
        return new ImageSet(
                dataset, newPart, newPixels.flip(), newLabels.flip(), indices.length,
                channels, side, classNames, normalization, newIdentity, manager);
    }

    ImageSet(
            String dataset, String part, ByteBuffer pixels, ByteBuffer labels, int count, int channels,
            int side, List<String> classNames, Normalization normalization, String identity,
            Supplier<NDManager> manager) {
        this.dataset = dataset;
        this.part = part;
        this.pixels = pixels;
        this.labelBytes = labels;
        this.count = count;
        this.channels = channels;
        this.side = side;
        this.classNames = classNames;
        this.normalization = normalization;
        this.identity = identity;
        this.manager = manager;
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException(
                    "image " + index + " does not exist: " + dataset + " " + part + " has " + count
                            + " images (0.." + (count - 1) + ")");
        }
        return index;
    }

    @Override
    public String toString() {
        return dataset + " " + part + ": " + count + " images " + channels + "x" + side + "x" + side
                + ", " + classNames.size() + " classes, " + normalization;
    }
}
