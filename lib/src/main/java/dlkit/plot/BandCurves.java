package dlkit.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Curves of several groups of runs on shared axes: per group, the mean over its runs as a line and
 * the range from the lowest to the highest run as a shaded band, so a difference between groups
 * can be told from run-to-run noise. Groups that diverged are marked with a cross where they
 * stopped and "(diverged)" in the legend.
 *
 * <pre>{@code
 * result.bands("val_accuracy").title("Validation accuracy").figure();   // a Comparison.Result
 * BandCurves.of(table, "config", "epoch", "train_loss").figure();                // any long table
 * }</pre>
 */
public final class BandCurves {

    private static final BasicStroke LINE = new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);

    private final Table table;
    private final String group;
    private final String x;
    private final String y;
    private Map<String, Double> divergedAt = Map.of();
    private List<String> order;
    private String title;
    private boolean logY;

    private BandCurves(Table table, String group, String x, String y) {
        for (String c : new String[] {group, x, y}) {
            if (!table.containsColumn(c)) {
                throw new IllegalArgumentException(
                        "the table has no column '" + c + "'; columns are " + table.columnNames());
            }
        }
        if (!(table.column(x) instanceof NumericColumn) || !(table.column(y) instanceof NumericColumn)) {
            throw new IllegalArgumentException("columns '" + x + "' and '" + y + "' must be numeric");
        }
        this.table = table;
        this.group = group;
        this.x = x;
        this.y = y;
    }

    /**
     * Curves from a long table: one row per run and x value.
     *
     * @param table e.g. {@code config, seed, epoch, train_loss, ...}
     * @param groupColumn the column naming each row's group (a band per group)
     * @param xColumn numeric x, e.g. {@code epoch}
     * @param yColumn numeric y, e.g. {@code val_accuracy}
     * @return a builder
     */
    public static BandCurves of(Table table, String groupColumn, String xColumn, String yColumn) {
        return new BandCurves(table, groupColumn, xColumn, yColumn);
    }

    /**
     * Sets the order of the groups in the legend (default: as they first appear in the table).
     *
     * @param groups group names
     * @return this builder
     */
    public BandCurves order(List<String> groups) {
        this.order = new ArrayList<>(groups);
        return this;
    }

    /**
     * Marks groups that diverged, at the x value where they stopped.
     *
     * @param divergedAt group name to x value
     * @return this builder
     */
    public BandCurves diverged(Map<String, Double> divergedAt) {
        this.divergedAt = Map.copyOf(divergedAt);
        return this;
    }

    /**
     * Sets the title (default: the y column).
     *
     * @param title the title
     * @return this builder
     */
    public BandCurves title(String title) {
        this.title = title;
        return this;
    }

    /**
     * Uses a logarithmic y axis, e.g. for losses that span decades.
     *
     * @return this builder
     */
    public BandCurves logScale() {
        this.logY = true;
        return this;
    }

    /**
     * Draws the chart.
     *
     * @return the figure
     */
    public Figure figure() {
        Map<String, TreeMap<Double, List<Double>>> groups = new LinkedHashMap<>();
        if (order != null) {
            order.forEach(g -> groups.put(g, new TreeMap<>()));
        }
        Column<?> names = table.column(group);
        NumericColumn<?> xs = (NumericColumn<?>) table.column(x);
        NumericColumn<?> ys = (NumericColumn<?>) table.column(y);
        for (int r = 0; r < table.rowCount(); r++) {
            double yv = ys.getDouble(r);
            TreeMap<Double, List<Double>> points = groups.computeIfAbsent(names.getString(r), k -> new TreeMap<>());
            if (Double.isFinite(yv) && !(logY && yv <= 0)) {
                points.computeIfAbsent(xs.getDouble(r), k -> new ArrayList<>()).add(yv);
            }
        }
        for (String g : divergedAt.keySet()) {
            groups.computeIfAbsent(g, k -> new TreeMap<>());
        }
        XYChart chart = new XYChart(Style.WIDTH + 200, Style.HEIGHT); // room for the legend on the right
        Style.apply(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        double top = Double.NEGATIVE_INFINITY;
        for (TreeMap<Double, List<Double>> points : groups.values()) {
            for (List<Double> v : points.values()) {
                top = Math.max(top, v.stream().mapToDouble(Double::doubleValue).max().orElse(top));
            }
        }
        boolean anything = false;
        int index = 0;
        for (Map.Entry<String, TreeMap<Double, List<Double>>> entry : groups.entrySet()) {
            Color color = Style.color(index++);
            String name = entry.getKey();
            TreeMap<Double, List<Double>> points = entry.getValue();
            Double stop = divergedAt.get(name);
            String label = stop == null ? name : String.format(java.util.Locale.ROOT, "%s (diverged, epoch %.0f)", name, stop);
            int n = points.size();
            double[] px = new double[n];
            double[] mean = new double[n];
            double[] low = new double[n];
            double[] high = new double[n];
            boolean spread = false;
            int i = 0;
            for (Map.Entry<Double, List<Double>> p : points.entrySet()) {
                px[i] = p.getKey();
                mean[i] = p.getValue().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                low[i] = p.getValue().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
                high[i] = p.getValue().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
                spread |= high[i] > low[i];
                i++;
            }
            if (n > 1 && spread) {
                double[] bx = new double[2 * n];
                double[] by = new double[2 * n];
                for (int k = 0; k < n; k++) {
                    bx[k] = px[k];
                    by[k] = high[k];
                    bx[2 * n - 1 - k] = px[k];
                    by[2 * n - 1 - k] = low[k];
                }
                XYSeries band = chart.addSeries(name + " range", bx, by);
                band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
                band.setFillColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 50));
                band.setLineStyle(SeriesLines.NONE);
                band.setMarker(SeriesMarkers.NONE);
                band.setShowInLegend(false);
            }
            if (n > 0) {
                XYSeries line = chart.addSeries(label, px, mean);
                line.setLineColor(color);
                line.setLineStyle(LINE);
                line.setMarker(n == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
                line.setMarkerColor(color);
                anything = true;
            }
            if (stop != null) {
                // a cross where the group stopped: on its mean there (or its last one), else at the top
                int k = java.util.Arrays.binarySearch(px, stop);
                double at = n == 0 ? top : k >= 0 ? mean[k] : mean[Math.max(0, -k - 2)];
                if (Double.isFinite(at)) {
                    XYSeries cross = chart.addSeries(n > 0 ? name + " stop" : label, new double[] {stop}, new double[] {at});
                    cross.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                    cross.setMarker(SeriesMarkers.CROSS);
                    cross.setMarkerColor(color);
                    cross.setShowInLegend(n == 0);
                    anything = true;
                }
            }
        }
        if (!anything) {
            throw new IllegalArgumentException("column '" + y + "' has no finite values to plot");
        }
        if (logY) {
            LogAxis.apply(chart);
        }
        // what the band is, from the data: "mean and min-max of 3 runs"; nothing for single runs
        int runs = 0;
        for (TreeMap<Double, List<Double>> points : groups.values()) {
            for (List<Double> v : points.values()) {
                runs = Math.max(runs, v.size());
            }
        }
        String caption = runs > 1 ? " (mean and min-max of " + runs + " runs)" : "";
        chart.setTitle((title != null ? title : Style.label(y)) + caption);
        chart.setXAxisTitle(Style.label(x));
        chart.setYAxisTitle(Style.label(y) + (logY ? " (log scale)" : ""));
        Overlaps.reveal(chart, logY);
        return Figure.of(chart);
    }

    @Override
    public String toString() {
        return "BandCurves{group=" + group + ", x=" + x + ", y=" + y + ", diverged=" + divergedAt.keySet() + "}";
    }
}
