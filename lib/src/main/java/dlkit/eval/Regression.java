package dlkit.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dlkit.display.Html;
import dlkit.display.MimeBundle;
import dlkit.plot.Figure;
import dlkit.plot.Plots;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * How close a regression model's predictions are to the targets: mean squared error, mean absolute
 * error, root mean squared error and R² (1 minus the residual sum of squares over the total sum of
 * squares around the mean), for each output and over all outputs, with a predicted-versus-true
 * scatter and a residual plot.
 *
 * <pre>{@code
 * Regression test = run.evaluateRegression(xTest, yTest);
 * test.mse(); test.r2();        // over all outputs
 * test.perOutput()              // a table, one row per output
 * test.scatter()                // predicted against true, with the line y = x
 * }</pre>
 */
public final class Regression implements MimeBundle {

    private final float[] predicted;
    private final float[] targets;
    private final int outputs;
    private final List<String> names;
    private final double[] mse;
    private final double[] mae;
    private final double[] r2;
    private final double pooledR2;

    private Regression(float[] predicted, float[] targets, int outputs, List<String> names) {
        this.predicted = predicted;
        this.targets = targets;
        this.outputs = outputs;
        this.names = names;
        int n = targets.length / outputs;
        mse = new double[outputs];
        mae = new double[outputs];
        r2 = new double[outputs];
        double allRes = 0;
        double allTot = 0;
        for (int o = 0; o < outputs; o++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += targets[i * outputs + o];
            }
            mean /= n;
            double ssRes = 0;
            double ssTot = 0;
            double abs = 0;
            for (int i = 0; i < n; i++) {
                double t = targets[i * outputs + o];
                double e = predicted[i * outputs + o] - t;
                ssRes += e * e;
                abs += Math.abs(e);
                ssTot += (t - mean) * (t - mean);
            }
            mse[o] = ssRes / n;
            mae[o] = abs / n;
            r2[o] = ssTot == 0 ? Double.NaN : 1 - ssRes / ssTot;
            allRes += ssRes;
            allTot += ssTot;
        }
        pooledR2 = allTot == 0 ? Double.NaN : 1 - allRes / allTot;
    }

    /**
     * Compares predictions with targets.
     *
     * @param predictions the model's outputs, {@code [N]} or {@code [N, outputs]}
     * @param targets the true values, the same number of values per example
     * @param outputNames one name per output, or {@code null} for "0", "1", ...
     * @return the regression metrics
     * @throws IllegalArgumentException if the shapes disagree or a value is not finite
     */
    public static Regression of(NDArray predictions, NDArray targets, List<String> outputNames) {
        long n = predictions.getShape().get(0);
        if (targets.getShape().get(0) != n || predictions.size() != targets.size()) {
            throw new IllegalArgumentException("predictions " + predictions.getShape() + " and targets "
                    + targets.getShape() + " must hold the same number of values per example");
        }
        if (n == 0) {
            throw new IllegalArgumentException("nothing to evaluate: got 0 examples");
        }
        int outputs = Math.toIntExact(predictions.size() / n);
        float[] p = predictions.toType(DataType.FLOAT32, false).toFloatArray();
        float[] t = targets.toType(DataType.FLOAT32, false).toFloatArray();
        for (int i = 0; i < p.length; i++) {
            if (!Float.isFinite(p[i]) || !Float.isFinite(t[i])) {
                throw new IllegalArgumentException("value " + i + " is not finite: predicted " + p[i] + ", true " + t[i]);
            }
        }
        List<String> names = new ArrayList<>();
        for (int o = 0; o < outputs; o++) {
            names.add(outputNames != null && o < outputNames.size() ? outputNames.get(o) : String.valueOf(o));
        }
        return new Regression(p, t, outputs, names);
    }

    /**
     * Mean squared error over every output value.
     *
     * @return the MSE
     */
    public double mse() {
        return mean(mse);
    }

    /**
     * Mean absolute error over every output value.
     *
     * @return the MAE
     */
    public double mae() {
        return mean(mae);
    }

    /**
     * Root of {@link #mse()}, in the targets' unit.
     *
     * @return the RMSE
     */
    public double rmse() {
        return Math.sqrt(mse());
    }

    /**
     * R², {@code 1 - SS_res / SS_tot} with both sums over every output (outputs with more variance
     * weigh more; {@link #perOutput()} has each output's own): 1 is perfect, 0 is no better than
     * predicting each output's mean, below 0 is worse. The same as {@link RSquared} in a fit.
     *
     * @return R² (NaN when every target is the same)
     */
    public double r2() {
        return pooledR2;
    }

    /**
     * The number of examples.
     *
     * @return N
     */
    public int size() {
        return targets.length / outputs;
    }

    /**
     * One row per output: {@code output, mse, mae, rmse, r2}.
     *
     * @return a new table
     */
    public Table perOutput() {
        double[] rmse = new double[outputs];
        for (int o = 0; o < outputs; o++) {
            rmse[o] = Math.sqrt(mse[o]);
        }
        return Table.create("regression per output", StringColumn.create("output", names),
                DoubleColumn.create("mse", mse), DoubleColumn.create("mae", mae), DoubleColumn.create("rmse", rmse),
                DoubleColumn.create("r2", r2));
    }

    /**
     * Predicted against true values, every output value a point, with the line of perfect
     * predictions (y = x).
     *
     * @return the figure
     */
    public Figure scatter() {
        double[] x = toDouble(targets);
        double[] y = toDouble(predicted);
        Figure figure = Plots.scatter(String.format(Locale.ROOT, "Predicted vs true (R² %s)", Html.number(r2())),
                "true value", "predicted value", x, y);
        double lo = Math.min(min(x), min(y));
        double hi = Math.max(max(x), max(y));
        XYSeries line = ((XYChart) figure.chart()).addSeries("y = x", new double[] {lo, hi}, new double[] {lo, hi});
        line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(Color.DARK_GRAY);
        return figure;
    }

    /**
     * Residuals (predicted minus true) against the predicted value, with the zero line: a pattern
     * here is something the model missed.
     *
     * @return the figure
     */
    public Figure residuals() {
        double[] x = toDouble(predicted);
        double[] y = new double[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = predicted[i] - targets[i];
        }
        Figure figure = Plots.scatter(String.format(Locale.ROOT, "Residuals (RMSE %s)", Html.number(rmse())),
                "predicted value", "residual (predicted - true)", x, y);
        XYSeries zero = ((XYChart) figure.chart()).addSeries("0", new double[] {min(x), max(x)}, new double[] {0, 0});
        zero.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        zero.setMarker(SeriesMarkers.NONE);
        zero.setLineColor(Color.DARK_GRAY);
        return figure;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "regression on %d examples, %d output%s: MSE %s, MAE %s, RMSE %s, R² %s",
                size(), outputs, outputs == 1 ? "" : "s", Html.number(mse()), Html.number(mae()), Html.number(rmse()),
                Html.number(r2()));
    }

    @Override
    public Map<String, String> toMimeBundle() {
        Map<String, String> bundle = new LinkedHashMap<>();
        bundle.put("text/plain", toString());
        bundle.put("text/html", "<p>" + Html.escape(toString()) + "</p>" + (outputs > 1 ? Html.table(perOutput()) : ""));
        return bundle;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : v) {
            m = Math.min(m, x);
        }
        return m;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}
