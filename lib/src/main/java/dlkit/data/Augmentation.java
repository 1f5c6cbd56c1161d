package dlkit.data;

import ai.djl.ndarray.NDArray;
import java.util.Random;

/**
 * A random change applied to each training batch of images before the forward pass (flips, crops,
 * rotations, noise). {@code Fit.Builder.optAugmentation} applies it to training batches only, never
 * to validation or test data.
 *
 * <p>The {@code random} passed in is seeded from the run's seed, epoch and batch, so an augmented
 * run is as reproducible as a plain one. Implementations return a new array (the caller closes the
 * batch's arrays with the batch) and describe themselves in {@link #toString()}, which becomes part
 * of the run's cache key.
 */
@FunctionalInterface
public interface Augmentation {

    /**
     * Changes a batch.
     *
     * @param images the batch, [N, C, H, W] (or [N, D] for flat data), float32
     * @param random the source of randomness for this batch
     * @return the changed batch, same shape
     */
    NDArray apply(NDArray images, Random random);
}
