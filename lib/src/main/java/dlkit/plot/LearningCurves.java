package dlkit.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;

/**
 * Learning curves from training-history tables: one or several runs overlaid, training against
 * validation, per epoch or per batch, optionally smoothed, optionally on a log scale.
 *
 * <pre>{@code
 * LearningCurves.of(history).figure();                         // train_loss and val_loss by epoch
 * LearningCurves.of(Map.of("sgd", h1, "adam", h2))
 *         .metric("accuracy").figure();                        // train_/val_accuracy, 2 runs
 * LearningCurves.of(batches).smoothing(0.9).logScale().figure();   // per-batch "loss" by "step"
 * }</pre>
 *
 * <p>Tables use dlkit's history columns: {@code epoch}, {@code step}, {@code train_<metric>},
 * {@code val_<metric>}; per-batch tables have {@code step}, {@code epoch}, {@code loss}. Each run
 * has one colour; training is a solid line, validation dashed. Missing (NaN) cells are skipped,
 * so validation measured every few epochs still draws.
 */
public final class LearningCurves {

    private static final BasicStroke SOLID = new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final BasicStroke DASHED = new BasicStroke(
            2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 4f}, 0f);
    private static final BasicStroke THIN = new BasicStroke(1f);

    private final Map<String, Table> runs;
    private String metric = "loss";
    private String x;
    private boolean logY;
    private boolean logX;
    private double smoothing;
    private String only;
    private String[] reference;
    private String title;
    private int width = Style.WIDTH;
    private int height = Style.HEIGHT;

    private LearningCurves(Map<String, Table> runs) {
        if (runs == null || runs.isEmpty()) {
            throw new IllegalArgumentException("no runs to plot: pass at least one history table");
        }
        this.runs = new LinkedHashMap<>(runs);
    }

    /**
     * Curves of one run.
     *
     * @param history an epoch or per-batch history table
     * @return a builder
     */
    public static LearningCurves of(Table history) {
        Map<String, Table> one = new LinkedHashMap<>();
        one.put("", history);
        return new LearningCurves(one);
    }

    /**
     * Curves of several runs overlaid, in the map's iteration order (use a {@code LinkedHashMap}
     * to choose the legend order).
     *
     * @param runs run name to history table
     * @return a builder
     */
    public static LearningCurves of(Map<String, Table> runs) {
        return new LearningCurves(runs);
    }

    /**
     * Chooses the metric (default {@code "loss"}): plots {@code train_<metric>} and {@code
     * val_<metric>}, or the column {@code <metric>} itself in per-batch tables.
     *
     * @param metric e.g. {@code "loss"}, {@code "accuracy"}
     * @return this builder
     */
    public LearningCurves metric(String metric) {
        this.metric = metric;
        return this;
    }

    /**
     * Chooses the x column (default {@code epoch} for epoch tables, {@code step} for per-batch
     * tables).
     *
     * @param column a numeric column present in every table
     * @return this builder
     */
    public LearningCurves x(String column) {
        this.x = column;
        return this;
    }

    /**
     * Draws only the training or only the validation curve of each run: for comparing many runs
     * in one panel.
     *
     * @param part {@code "train"} or {@code "validation"}
     * @return this builder
     */
    public LearningCurves only(String part) {
        if (!part.equals("train") && !part.equals("validation")) {
            throw new IllegalArgumentException("only(\"train\") or only(\"validation\"), got \"" + part + "\"");
        }
        this.only = part;
        return this;
    }

    /**
     * Also draws another column of each run that has it, dashed in the run's colour: an expected or
     * theoretical curve beside the measured one.
     *
     * @param column e.g. {@code "predicted_variance"}
     * @param label the legend's word for it, e.g. {@code "prediction"}
     * @return this builder
     */
    public LearningCurves reference(String column, String label) {
        this.reference = new String[] {column, label};
        return this;
    }

    /**
     * Puts the y axis on a log scale. Values it cannot show (zero, negative, infinite: e.g. a
     * variance that underflowed) are left out, and the legend says how many.
     *
     * @return this builder
     */
    public LearningCurves logScale() {
        this.logY = true;
        return this;
    }

    /**
     * Puts the x axis on a log scale, e.g. for widths 2, 5, 10, 100, 200 (all values must be
     * positive).
     *
     * @return this builder
     */
    public LearningCurves logScaleX() {
        this.logX = true;
        return this;
    }

    /**
     * Smooths noisy curves with an exponential moving average (bias-corrected, as TensorBoard
     * does); the raw curve stays visible, faint.
     *
     * @param weight from 0 (off) to below 1; 0.9 suits per-batch losses
     * @return this builder
     */
    public LearningCurves smoothing(double weight) {
        if (!(weight >= 0 && weight < 1)) {
            throw new IllegalArgumentException("smoothing weight must be in [0, 1), got " + weight);
        }
        this.smoothing = weight;
        return this;
    }

    /**
     * Sets the title (default from the metric).
     *
     * @param title chart title
     * @return this builder
     */
    public LearningCurves title(String title) {
        this.title = title;
        return this;
    }

    /**
     * Sets the figure size in logical pixels (default {@link Style#WIDTH} x {@link Style#HEIGHT}).
     *
     * @param width width
     * @param height height
     * @return this builder
     */
    public LearningCurves size(int width, int height) {
        this.width = width;
        this.height = height;
        return this;
    }

    /**
     * Draws the curves.
     *
     * @return the figure
     * @throws IllegalArgumentException if a table lacks the x column or every metric column
     */
    public Figure figure() {
        int curveCount = 0;
        for (Table table : runs.values()) {
            curveCount += curves(table).size();
        }
        // many curves: the legend goes beside the plot, which keeps its size, instead of over the lines
        boolean legendOutside = curveCount > 6;
        XYChart chart = new XYChart(legendOutside ? width + 220 : width, height);
        Style.apply(chart);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        String xColumn = null;
        double[] lastX = {};
        double[] lastY = {};
        int visibleSeries = 0;
        int runIndex = 0;
        for (Map.Entry<String, Table> run : runs.entrySet()) {
            Table table = run.getValue();
            String xc = x != null ? x : defaultX(table);
            xColumn = xc;
            List<String[]> curves = curves(table); // {column, label}
            if (!table.containsColumn(xc)) {
                throw new IllegalArgumentException(
                        where(run.getKey()) + "has no x column '" + xc + "'; columns are " + table.columnNames());
            }
            if (curves.isEmpty()) {
                throw new IllegalArgumentException(
                        where(run.getKey())
                                + "has no column for metric '"
                                + metric
                                + "' (looked for train_"
                                + metric
                                + ", val_"
                                + metric
                                + ", "
                                + metric
                                + "); columns are "
                                + table.columnNames());
            }
            // the palette has ten colours: runs beyond it are told apart by dashes when only one
            // curve per run is drawn
            boolean beyondPalette = runIndex >= Style.PALETTE.length && only != null;
            Color color = Style.color(runIndex++);
            for (String[] curve : curves) {
                int[] offScale = {0};
                boolean isReference = curve.length > 2;
                double[][] xy = points(table, xc, curve[0], run.getKey(), offScale);
                if (xy == null && isReference) {
                    continue; // this run has no reference values
                }
                if (xy == null) {
                    throw new IllegalArgumentException(where(run.getKey()) + "'" + curve[0] + "' has no values to plot"
                            + (offScale[0] > 0 ? " on a log scale (all " + offScale[0]
                                    + " are zero, negative or infinite)" : ""));
                }
                // one curve per run (one column named as the metric, or only(...)): no "(part)" suffix
                boolean onlyCurve = !isReference && (curve[1].equals(metric) || only != null);
                String name = run.getKey().isEmpty() ? curve[1] : onlyCurve ? run.getKey() : run.getKey() + " (" + curve[1] + ")";
                if (offScale[0] > 0) {
                    name += " (" + offScale[0] + " off scale)";
                }
                BasicStroke stroke = isReference || beyondPalette || (curve[1].equals("validation") && only == null)
                        ? DASHED : SOLID;
                if (smoothing > 0) {
                    XYSeries raw = chart.addSeries(name + " raw", xy[0], xy[1]);
                    raw.setLineColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 70));
                    raw.setLineStyle(THIN);
                    raw.setMarker(SeriesMarkers.NONE);
                    raw.setShowInLegend(false);
                    xy[1] = smooth(xy[1], smoothing);
                }
                XYSeries series = chart.addSeries(name, xy[0], xy[1]);
                series.setLineColor(color);
                series.setLineStyle(stroke);
                series.setMarker(SeriesMarkers.NONE);
                lastX = xy[0];
                lastY = xy[1];
                visibleSeries++;
            }
        }
        if (lastX.length > 30) {
            // XChart puts a tick on every k-th x value when all x values are equally spaced,
            // which crowds labels like "1 25 49 73 ..."; one invisible point in between makes it
            // fall back to round ticks (0, 100, 200, ...).
            XYSeries hidden = chart.addSeries(" ", new double[] {(lastX[0] + lastX[1]) / 2}, new double[] {lastY[0]});
            hidden.setMarker(SeriesMarkers.NONE);
            hidden.setLineStyle(SeriesLines.NONE);
            hidden.setShowInLegend(false);
        }
        chart.getStyler().setLegendVisible(visibleSeries > 1);
        if (logY) {
            LogAxis.apply(chart);
        }
        chart.getStyler().setLegendPosition(legendOutside ? Styler.LegendPosition.OutsideE : LegendPlacement.choose(chart));
        if (logX) {
            chart.getStyler().setXAxisLogarithmic(true);
            chart.getStyler().setXAxisLogarithmicDecadeOnly(false);
            chart.getStyler().setXAxisTickLabelsFormattingFunction(v -> LogAxis.label(v, false));
        }
        chart.setTitle(title != null ? title : defaultTitle());
        chart.setXAxisTitle(Style.label(xColumn) + (logX ? " (log scale)" : ""));
        chart.setYAxisTitle(Style.label(metric) + (logY ? " (log scale)" : ""));
        Overlaps.reveal(chart, logY);
        return Figure.of(chart);
    }

    private List<String[]> curves(Table table) {
        List<String[]> curves = new ArrayList<>();
        if (table.containsColumn("train_" + metric) && !"validation".equals(only)) {
            curves.add(new String[] {"train_" + metric, "train"});
        }
        if (table.containsColumn("val_" + metric) && !"train".equals(only)) {
            curves.add(new String[] {"val_" + metric, "validation"});
        }
        if (curves.isEmpty() && table.containsColumn(metric)) {
            curves.add(new String[] {metric, metric});
        }
        if (reference != null && table.containsColumn(reference[0]) && !curves.isEmpty()) {
            curves.add(new String[] {reference[0], reference[1], "reference"});
        }
        return curves;
    }

    private String defaultX(Table table) {
        boolean perBatch = table.containsColumn(metric) && !table.containsColumn("train_" + metric);
        if (perBatch && table.containsColumn("step")) {
            return "step";
        }
        return table.containsColumn("epoch") ? "epoch" : "step";
    }

    private String defaultTitle() {
        String words = Style.label(metric);
        String name = only != null ? (only.equals("train") ? "Training " : "Validation ") + words
                : words.isEmpty() ? words : Character.toUpperCase(words.charAt(0)) + words.substring(1);
        return smoothing > 0 ? name + " (smoothed)" : name;
    }

    private double[][] points(Table table, String xc, String yc, String run, int[] offScale) {
        if (!(table.column(xc) instanceof NumericColumn) || !(table.column(yc) instanceof NumericColumn)) {
            throw new IllegalArgumentException(where(run) + "columns '" + xc + "' and '" + yc + "' must be numeric");
        }
        NumericColumn<?> xs = (NumericColumn<?>) table.column(xc);
        NumericColumn<?> ys = (NumericColumn<?>) table.column(yc);
        List<double[]> kept = new ArrayList<>();
        for (int row = 0; row < table.rowCount(); row++) {
            if (xs.isMissing(row) || ys.isMissing(row)) {
                continue;
            }
            double xv = xs.getDouble(row);
            double yv = ys.getDouble(row);
            if (Double.isNaN(xv) || Double.isNaN(yv)) {
                continue;
            }
            if (logY && !(yv > 0 && yv < Double.POSITIVE_INFINITY)) {
                offScale[0]++;
                continue;
            }
            kept.add(new double[] {xv, yv});
        }
        if (kept.isEmpty()) {
            return null;
        }
        double[][] xy = new double[2][kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            xy[0][i] = kept.get(i)[0];
            xy[1][i] = kept.get(i)[1];
        }
        return xy;
    }

    /**
     * Exponential moving average with bias correction: early points are not pulled toward zero.
     *
     * @param values the raw values
     * @param weight smoothing weight in [0, 1)
     * @return smoothed values, same length
     */
    static double[] smooth(double[] values, double weight) {
        double[] result = new double[values.length];
        double average = 0;
        for (int i = 0; i < values.length; i++) {
            average = weight * average + (1 - weight) * values[i];
            result[i] = average / (1 - Math.pow(weight, i + 1));
        }
        return result;
    }

    private static String where(String run) {
        return run.isEmpty() ? "the history table " : "run '" + run + "' ";
    }

    @Override
    public String toString() {
        return "LearningCurves{runs=" + runs.keySet() + ", metric=" + metric + ", x=" + (x == null ? "auto" : x)
                + ", logY=" + logY + ", smoothing=" + smoothing + "}";
    }
}
