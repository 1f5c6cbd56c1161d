package dlkit.tune;

import java.util.List;

/**
 * A finished trial: its configuration and how it scored on the validation images.
 *
 * @param index 1-based position in the search
 * @param trial the configuration
 * @param parameters trainable parameter count of the model
 * @param valAccuracy validation accuracy after the last epoch trained
 * @param valLoss validation loss after the last epoch trained
 * @param trainLoss mean training loss of the last epoch trained
 * @param seconds training time (as first trained: a run from the cache keeps its original time)
 * @param diverged whether training stopped on a NaN or infinite loss
 * @param runKey the key of the run in the run cache
 * @param curve validation accuracy after each epoch trained
 * @param prunedAt the epoch after which a pruned search stopped this trial, or 0 when it trained to its budget
 */
public record TrialResult(
        int index,
        Trial trial,
        long parameters,
        double valAccuracy,
        double valLoss,
        double trainLoss,
        double seconds,
        boolean diverged,
        String runKey,
        List<Double> curve,
        int prunedAt) {

    /**
     * Whether a pruned search stopped this trial before its epoch budget.
     *
     * @return true when {@link #prunedAt()} is an epoch
     */
    public boolean pruned() {
        return prunedAt > 0;
    }

    /**
     * Epochs this trial trained: its budget, fewer when it was pruned or diverged.
     *
     * @return the count
     */
    public int epochsTrained() {
        return curve.size();
    }
}
