package dlkit.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records a hand-written training loop the way {@link Fit} records its own: the same {@link
 * History} (epoch table, every batch's loss, curves) and the same progress display, so its results
 * sit beside a fit's in one table or figure.
 *
 * <pre>{@code
 * Recorder recorder = Recorder.start(epochs, batchesPerEpoch, examplesPerEpoch, List.of("accuracy"), true);
 * for (int epoch = 1; epoch <= epochs; epoch++) {
 *     for (...) {                     // each batch
 *         recorder.batch(loss);
 *     }
 *     recorder.epochEnded(Map.of("train_loss", trainLoss, "train_accuracy", trainAccuracy,
 *             "val_loss", valLoss, "val_accuracy", valAccuracy, "lr", lr));
 * }
 * History history = recorder.history();
 * }</pre>
 *
 * <p>The columns {@code epoch}, {@code step} and {@code seconds} are filled in by the recorder.
 */
public final class Recorder {

    private final History history;
    private final Progress progress;
    private final int examplesPerEpoch;
    private final int batchesPerEpoch;
    private int epochFirstStep;
    private double epochLossSum;
    private final long start = System.nanoTime();
    private long epochStart = start;
    private int epoch = 1;
    private int step;
    private boolean epochOpen;

    private Recorder(int epochs, int batchesPerEpoch, int examplesPerEpoch, List<String> metrics, boolean validation) {
        this.history = new History(metrics, validation);
        this.progress = new Progress(epochs, batchesPerEpoch, history.columns(), false);
        this.examplesPerEpoch = examplesPerEpoch;
        this.batchesPerEpoch = batchesPerEpoch;
    }

    /**
     * Starts recording.
     *
     * @param epochs the epochs the loop will run
     * @param batchesPerEpoch batches per epoch, for the progress line
     * @param examplesPerEpoch training examples per epoch, for the examples per second
     * @param metrics metric names besides the loss, e.g. {@code List.of("accuracy")}: columns
     *     {@code train_accuracy} (and {@code val_accuracy})
     * @param validation whether there are {@code val_} columns
     * @return the recorder
     */
    public static Recorder start(int epochs, int batchesPerEpoch, int examplesPerEpoch, List<String> metrics,
            boolean validation) {
        if (epochs < 1 || batchesPerEpoch < 1 || examplesPerEpoch < 1) {
            throw new IllegalArgumentException("Recorder: epochs, batches and examples per epoch must be positive, got "
                    + epochs + ", " + batchesPerEpoch + ", " + examplesPerEpoch);
        }
        return new Recorder(epochs, batchesPerEpoch, examplesPerEpoch, List.copyOf(metrics), validation);
    }

    /**
     * Records one batch's loss (after the step).
     *
     * @param loss the batch's mean loss
     */
    public void batch(float loss) {
        if (!epochOpen) {
            epochStart = System.nanoTime();
            epochFirstStep = step;
            epochLossSum = 0;
            progress.epochStarted(epoch, 0);
            epochOpen = true;
        }
        step++;
        epochLossSum += loss;
        history.addBatch(step, epoch, loss);
        int done = step - epochFirstStep;
        progress.batch(epoch, done, (float) (epochLossSum / done), (long) examplesPerEpoch * done / batchesPerEpoch);
    }

    /**
     * Records the end of an epoch.
     *
     * @param values every history column except {@code epoch}, {@code step} and {@code seconds},
     *     e.g. {@code train_loss}, {@code train_accuracy}, {@code val_loss}, {@code lr}
     * @throws IllegalStateException naming a missing column
     */
    public void epochEnded(Map<String, Double> values) {
        Map<String, Double> row = new LinkedHashMap<>(values);
        row.put("epoch", (double) epoch);
        row.put("step", (double) step);
        long now = System.nanoTime();
        row.put("seconds", (now - start) / 1e9);
        for (String column : history.columns()) {
            if (!row.containsKey(column)) {
                throw new IllegalStateException("Recorder: epoch " + epoch + " has no value for '" + column
                        + "'; the columns are " + history.columns());
            }
        }
        history.addEpoch(row);
        progress.epochEnded(history, examplesPerEpoch, (now - epochStart) / 1e9);
        epoch++;
        epochOpen = false;
    }

    /**
     * What has been recorded so far.
     *
     * @return the history
     */
    public History history() {
        return history;
    }
}
