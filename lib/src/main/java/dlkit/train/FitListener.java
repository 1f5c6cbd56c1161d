package dlkit.train;

import ai.djl.nn.Block;

/**
 * Hooks into a running {@link Fit}, e.g. to record the parameter trajectory for a loss landscape.
 *
 * <p>Listeners run only while training: a run returned from the cache calls none of them.
 * Throwing from a hook stops the run; the last epoch checkpoint stays, so the same fit resumes.
 */
public interface FitListener {

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
