package dlkit.data;

import ai.djl.ndarray.NDArray;
import java.util.Locale;
import java.util.Random;

/**
 * Adds Gaussian noise to each training image, e.g. to train a denoising autoencoder: with {@code
 * Fit.Builder.optAugmentation(GaussianNoise.of(0.3f))} the model sees noisy inputs while the labels
 * (the clean images) stay as they are.
 *
 * <p>The noise comes from the {@link Random} that {@code Fit} seeds per epoch and batch, so a run
 * is reproducible. By default the noisy values are clipped to [0, 1], the range of images scaled
 * with {@link Normalization#UNIT}.
 */
public final class GaussianNoise implements Augmentation {

    private final float std;
    private final boolean clip;

    private GaussianNoise(float std, boolean clip) {
        if (!(std >= 0 && Float.isFinite(std))) {
            throw new IllegalArgumentException("noise standard deviation must be >= 0, got " + std);
        }
        this.std = std;
        this.clip = clip;
    }

    /**
     * Noise of the given standard deviation, results clipped to [0, 1].
     *
     * @param std the standard deviation, in pixel units (0.1 to 0.5 is typical for [0, 1] images)
     * @return the augmentation
     */
    public static GaussianNoise of(float std) {
        return new GaussianNoise(std, true);
    }

    /**
     * The same noise without clipping, for data that is not in [0, 1] (e.g. standardised images).
     *
     * @return a copy that does not clip
     */
    public GaussianNoise unclipped() {
        return new GaussianNoise(std, false);
    }

    @Override
    public NDArray apply(NDArray images, Random random) {
        float[] noise = new float[Math.toIntExact(images.size())];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (random.nextGaussian() * std);
        }
        try (NDArray n = images.getManager().create(noise, images.getShape())) {
            NDArray noisy = images.add(n);
            if (!clip) {
                return noisy;
            }
            try (noisy) {
                return noisy.clip(0f, 1f);
            }
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "GaussianNoise(std=%s%s)", std, clip ? ", clip=[0,1]" : "");
    }
}
