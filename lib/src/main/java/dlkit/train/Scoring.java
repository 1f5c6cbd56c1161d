package dlkit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dlkit.engine.NoGradient;
import java.util.LinkedHashMap;
import java.util.Map;

/** A trained model's loss and metrics on other data (a test set), computed as the validation columns are. */
final class Scoring {

    private Scoring() {}

    static Map<String, Double> score(Fit fit, Block block, NDArray features, NDArray labels, String prefix) {
        long n = features.getShape().get(0);
        if (labels.getShape().get(0) != n) {
            throw new IllegalArgumentException("score: " + n + " examples but " + labels.getShape().get(0) + " labels");
        }
        int batchSize = Math.max(fit.batchSize, TrainingLoop.VALIDATION_BATCH);
        Metrics metrics = null;
        double lossSum = 0;
        try (NDManager m = features.getManager().newSubManager();
                NoGradient scope = NoGradient.open(block)) {
            ParameterStore parameters = new ParameterStore(m, false);
            for (long from = 0; from < n; from += batchSize) {
                NDIndex rows = new NDIndex().addSliceDim(from, Math.min(n, from + batchSize));
                NDList x = new NDList(features.get(m, rows));
                NDList y = new NDList(labels.get(m, rows));
                NDList predictions = block.forward(parameters, x, false);
                if (metrics == null) {
                    boolean labelRows = y.head().getShape().dimension() == 2
                            && y.head().getShape().equals(predictions.head().getShape());
                    metrics = new Metrics(fit.evaluators, labelRows);
                    metrics.reset(prefix);
                }
                try (NDArray loss = BatchLoss.of(fit.loss, y, predictions)) {
                    lossSum += BatchLoss.value(loss) * (double) y.head().getShape().get(0);
                }
                metrics.update(prefix, y, predictions);
            }
        }
        Map<String, Double> row = new LinkedHashMap<>();
        row.put(prefix + "_loss", lossSum / n);
        if (metrics != null) {
            metrics.into(prefix, row);
        }
        return row;
    }
}
