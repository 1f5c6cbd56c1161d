package dlkit.tune;

/**
 * A finished trial: its configuration and how it scored on the validation images.
 *
 * @param index 1-based position in the search
 * @param trial the configuration
 * @param parameters trainable parameter count of the model
 * @param valAccuracy validation accuracy after the last epoch
 * @param valLoss validation loss after the last epoch
 * @param trainLoss mean training loss of the last epoch
 * @param seconds training time (as first trained: a run from the cache keeps its original time)
 * @param diverged whether training stopped on a NaN or infinite loss
 * @param runKey the key of the run in the run cache
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
        String runKey) {}
