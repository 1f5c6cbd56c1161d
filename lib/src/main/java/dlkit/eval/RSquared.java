package dlkit.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.evaluator.Evaluator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * R² as a DJL evaluator, for the history of a regression fit: {@code 1 - SS_res / SS_tot}
 * accumulated over every batch of an epoch, so the epoch's value is the R² of all its
 * predictions, not a mean of batch R²s. With several outputs, both sums run over every output,
 * each around its own mean, exactly as {@link Regression#r2()} computes it.
 *
 * <pre>{@code
 * Fit.builder()...setLoss(Loss.l2Loss())
 *         .addEvaluator(new L2Loss("mse", 1f))   // mean squared error (DJL's l2Loss() is half of it)
 *         .addEvaluator(new L1Loss("mae"))       // mean absolute error
 *         .addEvaluator(new RSquared())          // columns train_r2, val_r2
 * }</pre>
 */
public final class RSquared extends Evaluator {

    /** Per accumulator: per output, {n, sum of targets, sum of squared targets, sum of squared residuals}. */
    private final Map<String, double[][]> sums = new ConcurrentHashMap<>();

    /** An evaluator named {@code r2}. */
    public RSquared() {
        super("r2");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return labels.head().getManager().create((float) value(batch(labels, predictions)));
    }

    @Override
    public void addAccumulator(String key) {
        sums.put(key, new double[0][]);
    }

    @Override
    public void updateAccumulator(String key, NDList labels, NDList predictions) {
        updateAccumulators(new String[] {key}, labels, predictions);
    }

    @Override
    public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
        double[][] batch = batch(labels, predictions);
        for (String key : keys) {
            sums.merge(key, batch, (old, add) -> {
                if (old.length == 0) {
                    return copy(add);
                }
                for (int o = 0; o < old.length; o++) {
                    for (int i = 0; i < 4; i++) {
                        old[o][i] += add[o][i];
                    }
                }
                return old;
            });
        }
    }

    @Override
    public void resetAccumulator(String key) {
        sums.put(key, new double[0][]);
    }

    @Override
    public float getAccumulator(String key) {
        double[][] s = sums.get(key);
        if (s == null) {
            throw new IllegalArgumentException("no accumulator '" + key + "'");
        }
        return (float) value(s);
    }

    private static double[][] batch(NDList labels, NDList predictions) {
        NDArray label = labels.head();
        float[] y = label.toType(DataType.FLOAT32, false).toFloatArray();
        float[] p = predictions.head().toType(DataType.FLOAT32, false).toFloatArray();
        if (y.length != p.length) {
            throw new IllegalArgumentException("R² compares values one by one: " + y.length + " labels against "
                    + p.length + " predictions");
        }
        long n = label.getShape().dimension() == 0 ? 1 : label.getShape().get(0);
        int outputs = (int) Math.max(1, y.length / Math.max(1, n));
        double[][] s = new double[outputs][4];
        for (int i = 0; i < y.length; i++) {
            double[] o = s[i % outputs];
            double e = p[i] - y[i];
            o[0]++;
            o[1] += y[i];
            o[2] += (double) y[i] * y[i];
            o[3] += e * e;
        }
        return s;
    }

    private static double value(double[][] s) {
        double residual = 0;
        double total = 0;
        for (double[] o : s) {
            residual += o[3];
            total += o[2] - o[1] * o[1] / o[0];
        }
        return total <= 0 ? Double.NaN : 1 - residual / total;
    }

    private static double[][] copy(double[][] s) {
        double[][] c = new double[s.length][];
        for (int o = 0; o < s.length; o++) {
            c[o] = s[o].clone();
        }
        return c;
    }
}
