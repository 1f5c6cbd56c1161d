package dlkit.train;

import ai.djl.nn.Block;
import java.nio.file.Path;

/**
 * Hooks into a running {@link Fit}, e.g. to record the parameter trajectory for a loss landscape.
 *
 * <p>Listeners run only while training: a run returned from the cache calls none of them.
 * Throwing from a hook stops the run; the last epoch checkpoint stays, so the same fit resumes.
 */
public interface FitListener {

    /**
     * What a listener learns when training starts or resumes.
     *
     * @param block the block being trained (its parameters are initialised)
     * @param key the run's cache key
     * @param directory the run's directory under {@code runs/}, or {@code null} when caching is off
     * @param firstEpoch 1, or the epoch training resumes at after a checkpoint
     * @param epochs the last epoch
     * @param batchesPerEpoch training batches in each epoch
     */
    record Start(Block block, String key, Path directory, int firstEpoch, int epochs, int batchesPerEpoch) {}

    /**
     * Called once before the first trained epoch (after a resume, before the resumed epoch).
     *
     * @param start the block, run key and directory, and the epoch and batch counts
     */
    default void onStart(Start start) {}

    /**
     * Called after each training batch's update.
     *
     * @param epoch 1-based epoch
     * @param batch 1-based batch within the epoch
     * @param step global batch count
     * @param loss the batch's loss
     */
    default void onBatch(int epoch, int batch, int step, float loss) {}

    /**
     * Called after each epoch, once its history row and checkpoint are written.
     *
     * @param epoch 1-based epoch
     * @param history the history so far
     * @param block the block being trained
     */
    default void onEpoch(int epoch, History history, Block block) {}
}
