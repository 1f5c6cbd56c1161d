package dlkit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.loss.Loss;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fit's evaluators over one epoch, for the history's {@code train_} and {@code val_} columns.
 *
 * <p>Every value is over all the epoch's examples: a loss used as a metric (e.g. {@code new
 * L2Loss("mse", 1f)}) is averaged per example, where DJL's own accumulator averages the batch means
 * (a last, smaller batch would weigh as much as a full one); other evaluators (accuracy, R²) count
 * exactly with their own accumulators. With one-hot label rows, accuracy compares classes.
 */
final class Metrics {

    private final List<Evaluator> evaluators;
    private final boolean labelRows;
    /** For loss evaluators: key to {sum of batch mean x batch size, examples}. */
    private final Map<String, double[]> losses = new HashMap<>();

    Metrics(List<Evaluator> evaluators, boolean labelRows) {
        this.evaluators = evaluators;
        this.labelRows = labelRows;
        for (Evaluator e : evaluators) {
            e.addAccumulator("train");
            e.addAccumulator("val");
        }
    }

    /** Starts an epoch's accumulation for {@code train}, {@code val} or another key (e.g. {@code test}). */
    void reset(String key) {
        for (Evaluator e : evaluators) {
            if (e instanceof Loss) {
                losses.put(key + "/" + e.getName(), new double[2]);
            } else {
                e.addAccumulator(key); // (re)starts it at zero
            }
        }
    }

    /** Adds one batch. */
    void update(String key, NDList labels, NDList predictions) {
        long examples = labels.head().getShape().dimension() == 0 ? 1 : labels.head().getShape().get(0);
        for (Evaluator e : evaluators) {
            NDList forEvaluator = LabelCheck.labelsFor(e, labels, labelRows);
            if (e instanceof Loss) {
                try (NDArray mean = BatchLoss.of((Loss) e, forEvaluator, predictions)) {
                    double[] s = losses.computeIfAbsent(key + "/" + e.getName(), k -> new double[2]);
                    s[0] += BatchLoss.value(mean) * (double) examples;
                    s[1] += examples;
                }
            } else {
                e.updateAccumulator(key, forEvaluator, predictions);
            }
        }
    }

    /** Puts {@code <key>_<metric>} values into a history row. */
    void into(String key, Map<String, Double> row) {
        for (Evaluator e : evaluators) {
            double value;
            if (e instanceof Loss) {
                double[] s = losses.get(key + "/" + e.getName());
                value = s == null || s[1] == 0 ? Double.NaN : s[0] / s[1];
            } else {
                value = e.getAccumulator(key);
            }
            row.put(key + "_" + History.columnName(e.getName()), value);
        }
    }
}
