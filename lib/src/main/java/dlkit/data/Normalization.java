package dlkit.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * How pixel bytes (0..255) become model inputs: {@code (pixel / 255 - mean) / std}, with one mean
 * and standard deviation for all channels or one per channel.
 *
 * <pre>{@code
 * Normalization.UNIT       // [0, 1]
 * Normalization.RAW        // the pixel values themselves, 0 to 255 (to see what unscaled inputs do)
 * Normalization.MNIST      // mean 0.1307, std 0.3081: zero mean, unit variance on MNIST
 * Normalization.CENTERED   // mean 0.5, std 1: [-0.5, 0.5], as the coursework's X - 0.5
 * Normalization.of(0.5f, 0.5f) // any other: here [-1, 1]
 * }</pre>
 */
public final class Normalization {

    /** Scales to [0, 1]. */
    public static final Normalization UNIT = new Normalization("unit", new float[] {0f}, new float[] {1f});

    /** Keeps the pixel values, 0 to 255, as floats: what a network sees when nobody scales its inputs. */
    public static final Normalization RAW = new Normalization("raw", new float[] {0f}, new float[] {1f / 255f});

    /** MNIST's pixel mean 0.1307 and standard deviation 0.3081 (of the [0, 1] values). */
    public static final Normalization MNIST = new Normalization("mnist", new float[] {0.1307f}, new float[] {0.3081f});

    /** Fashion-MNIST's pixel mean 0.2860 and standard deviation 0.3530. */
    public static final Normalization FASHION_MNIST =
            new Normalization("fashion-mnist", new float[] {0.2860f}, new float[] {0.3530f});

    /** CIFAR-10's per-channel (red, green, blue) means and standard deviations. */
    public static final Normalization CIFAR_10 =
            new Normalization(
                    "cifar-10",
                    new float[] {0.4914f, 0.4822f, 0.4465f},
                    new float[] {0.2470f, 0.2435f, 0.2616f});

    /**
     * Shifts [0, 1] down by 0.5 without rescaling, to [-0.5, 0.5]: mean 0.5, std 1 (the
     * coursework's {@code X_train - 0.5}).
     */
    public static final Normalization CENTERED =
            new Normalization("centered", new float[] {0.5f}, new float[] {1f});

    private final String name;
    private final float[] mean;
    private final float[] std;

    private Normalization(String name, float[] mean, float[] std) {
        this.name = name;
        this.mean = mean;
        this.std = std;
    }

    /**
     * The same mean and standard deviation for every channel.
     *
     * @param mean subtracted from the [0, 1] value
     * @param std the result is divided by it; must be positive
     * @return the normalisation
     */
    public static Normalization of(float mean, float std) {
        return perChannel(new float[] {mean}, new float[] {std});
    }

    /**
     * One mean and standard deviation per channel.
     *
     * @param mean per channel, subtracted from the [0, 1] value
     * @param std per channel, positive
     * @return the normalisation
     * @throws IllegalArgumentException when the lengths differ or a std is not positive
     */
    public static Normalization perChannel(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException(
                    "Normalization needs as many means as standard deviations (one, or one per channel); got "
                            + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0) || Float.isInfinite(s)) {
                throw new IllegalArgumentException("Normalization std must be positive and finite, got " + s);
            }
        }
        return new Normalization(null, mean.clone(), std.clone());
    }

    /**
     * Turns uint8 images into normalised float32 images (a new array; the input is left as is).
     *
     * @param images uint8 {@code [N, C, H, W]}
     * @return float32 {@code [N, C, H, W]}
     * @throws IllegalArgumentException when per-channel values do not match the channel count
     */
    public NDArray apply(NDArray images) {
        int channels = Math.toIntExact(images.getShape().get(1));
        checkChannels(channels);
        NDArray x = images.toType(DataType.FLOAT32, false);
        if (mean.length == 1) {
            return x.muli(1f / (255f * std[0])).subi(mean[0] / std[0]);
        }
        float[] scale = new float[channels];
        float[] shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = 1f / (255f * std[c]);
            shift[c] = mean[c] / std[c];
        }
        NDManager manager = images.getManager();
        Shape perChannel = new Shape(1, channels, 1, 1);
        try (NDArray s = manager.create(scale, perChannel);
                NDArray b = manager.create(shift, perChannel)) {
            return x.muli(s).subi(b);
        }
    }

    /**
     * Normalises one pixel value.
     *
     * @param pixel 0..255
     * @param channel the pixel's channel
     * @return the normalised value
     */
    public float apply(int pixel, int channel) {
        int c = mean.length == 1 ? 0 : channel;
        return (pixel / 255f - mean[c]) / std[c];
    }

    /**
     * Checks that this normalisation fits images with the given number of channels.
     *
     * @param channels the images' channel count
     * @throws IllegalArgumentException when it has per-channel values for another count
     */
    public void checkChannels(int channels) {
        if (mean.length != 1 && mean.length != channels) {
            throw new IllegalArgumentException(
                    this + " has values for " + mean.length + " channels, but the images have " + channels
                            + "; use a single-value normalization such as Normalization.UNIT");
        }
    }

    @Override
    public String toString() {
        String values = "mean=" + format(mean) + ", std=" + format(std);
        return (name == null ? "normalization" : name) + "(" + values + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    private static String format(float[] values) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            text.append(i == 0 ? "" : "/").append(values[i]);
        }
        return text.toString();
    }
}
