package dlkit.tune;

import dlkit.display.Html;
import dlkit.display.MimeBundle;
import dlkit.plot.Figure;
import dlkit.plot.LearningCurves;
import dlkit.train.History;
import dlkit.train.Run;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * The outcome of a {@link Grid}: one row per configuration, every run's history, a figure.
 *
 * <p>Table columns: the axes, {@code parameters} (trainable), {@code epochs} trained, {@code
 * seconds}, {@code stopped_early}, {@code final_<column>} for every history column (the last
 * epoch's value), {@code best_<compared>} and {@code best_epoch}.
 */
public final class GridResults implements MimeBundle {

    private final String name;
    private final List<String> axes;
    private final String compared;
    private final boolean lowerIsBetter;
    private final List<GridConfig> configs = new ArrayList<>();
    private final Map<String, Table> histories = new LinkedHashMap<>();
    private final List<Map<String, Double>> finals = new ArrayList<>();
    private final List<long[]> counts = new ArrayList<>();
    private final List<double[]> bests = new ArrayList<>();
    private final List<Boolean> stopped = new ArrayList<>();
    private final List<Map<String, Double>> tests = new ArrayList<>();
    private final List<Integer> prunedAts = new ArrayList<>();
    private final Halving pruning;
    private double seconds;

    GridResults(String name, List<String> axes, String compared, Halving pruning) {
        this.name = name;
        this.axes = axes;
        this.compared = compared;
        this.lowerIsBetter = History.lowerIsBetter(compared);
        this.pruning = pruning;
    }

    void add(GridConfig config, Run run, long parameters, Map<String, Double> test) {
        add(config, run.history().table(), run.stoppedEarly().isPresent(), 0, parameters, test);
    }

    /**
     * Adds a configuration from its epoch table: all its epochs, or those up to where pruning
     * stopped it ({@code prunedAt > 0}).
     */
    void add(GridConfig config, Table h, boolean stoppedEarly, int prunedAt, long parameters, Map<String, Double> test) {
        tests.add(test);
        configs.add(config);
        histories.put(config.toString(), h);
        int epochs = h.rowCount();
        Map<String, Double> last = new LinkedHashMap<>();
        for (String c : h.columnNames()) {
            if (!List.of("epoch", "step", "lr").contains(c) && epochs > 0) {
                last.put(c, h.numberColumn(c).getDouble(epochs - 1));
            }
        }
        finals.add(last);
        counts.add(new long[] {parameters, epochs});
        double best = Double.NaN;
        int bestEpoch = 0;
        if (h.containsColumn(compared)) {
            for (int r = 0; r < epochs; r++) {
                double v = h.numberColumn(compared).getDouble(r);
                if (Double.isNaN(best) || (lowerIsBetter ? v < best : v > best)) {
                    best = v;
                    bestEpoch = r + 1;
                }
            }
        }
        bests.add(new double[] {best, bestEpoch});
        stopped.add(stoppedEarly);
        prunedAts.add(prunedAt);
    }

    void finish(double wallSeconds) {
        this.seconds = wallSeconds;
    }

    /**
     * One row per configuration, in training order.
     *
     * @return a new table
     */
    public Table table() {
        Table t = Table.create(name + ": " + configs.size() + " configurations");
        for (String axis : axes) {
            t.addColumns(axisColumn(axis));
        }
        t.addColumns(LongColumn.create("parameters", counts.stream().mapToLong(c -> c[0]).toArray()),
                IntColumn.create("epochs", counts.stream().mapToInt(c -> (int) c[1]).toArray()));
        List<String> columns = new ArrayList<>();
        finals.forEach(f -> f.keySet().forEach(k -> {
            if (!columns.contains(k)) {
                columns.add(k);
            }
        }));
        for (String c : columns) {
            DoubleColumn d = DoubleColumn.create(c.equals("seconds") ? "seconds" : "final_" + c);
            finals.forEach(f -> d.append(f.getOrDefault(c, Double.NaN)));
            t.addColumns(d);
        }
        List<String> testColumns = new ArrayList<>();
        tests.forEach(m -> m.keySet().forEach(k -> {
            if (!testColumns.contains(k)) {
                testColumns.add(k);
            }
        }));
        for (String c : testColumns) {
            t.addColumns(DoubleColumn.create(c, tests.stream().mapToDouble(m -> m.getOrDefault(c, Double.NaN)).toArray()));
        }
        t.addColumns(DoubleColumn.create("best_" + compared, bests.stream().mapToDouble(b -> b[0]).toArray()),
                IntColumn.create("best_epoch", bests.stream().mapToInt(b -> (int) b[1]).toArray()),
                BooleanColumn.create("stopped_early", stopped));
        if (pruning != null) {
            t.addColumns(BooleanColumn.create("pruned", prunedAts.stream().map(p -> p > 0).toList()));
        }
        return t;
    }

    /**
     * The table ordered from the best configuration to the worst by the compared column.
     *
     * @return a new table
     */
    public Table ranked() {
        return ranked("best_" + compared);
    }

    /**
     * The table ordered from best to worst by any of its numeric columns: ascending for losses
     * and errors ({@code loss}, {@code error}, {@code mse}, {@code mae}, {@code rmse} at the end of
     * the name), descending otherwise.
     *
     * @param column e.g. {@code test_mse}
     * @return a new table
     */
    public Table ranked(String column) {
        Table t = table();
        if (!t.containsColumn(column)) {
            throw new IllegalArgumentException("no column '" + column + "' to rank by; the columns are " + t.columnNames());
        }
        // runs with no value (no finished epoch) go last whichever way the column sorts
        Table scored = t.where(t.numberColumn(column).isNotMissing());
        Table unscored = t.where(t.numberColumn(column).isMissing());
        Table sorted = History.lowerIsBetter(column) ? scored.sortAscendingOn(column) : scored.sortDescendingOn(column);
        return sorted.append(unscored);
    }

    /**
     * The best configuration by the compared column; a pruned configuration never wins.
     *
     * @return its values
     */
    public GridConfig best() {
        return configs.get(bestIndex());
    }

    private int bestIndex() {
        int best = -1;
        for (int i = 0; i < bests.size(); i++) {
            double v = bests.get(i)[0];
            if (prunedAts.get(i) > 0) {
                continue;
            }
            double b = best < 0 ? Double.NaN : bests.get(best)[0];
            if (best < 0 || Double.isNaN(b) || (!Double.isNaN(v) && (lowerIsBetter ? v < b : v > b))) {
                best = i;
            }
        }
        return Math.max(best, 0);
    }

    /**
     * Every configuration's history (per epoch), by configuration name ({@code layers=2 width=10}).
     *
     * @return name to history table
     */
    public Map<String, Table> histories() {
        Map<String, Table> copy = new LinkedHashMap<>();
        histories.forEach((k, v) -> copy.put(k, v.copy()));
        return copy;
    }

    /**
     * The compared column's best value by the last axis, one line per combination of the other
     * axes (log scale for losses over several decades).
     *
     * @return the figure
     */
    public Figure figure() {
        return figure("best_" + compared);
    }

    /**
     * A column of the results table by the last axis, one line per combination of the other axes.
     *
     * @param column e.g. {@code final_val_loss} or {@code parameters}
     * @return the figure
     */
    public Figure figure(String column) {
        String x = axes.get(axes.size() - 1);
        Map<String, Table> lines = new LinkedHashMap<>();
        Table t = table();
        for (int row = 0; row < t.rowCount(); row++) {
            StringBuilder group = new StringBuilder();
            for (String axis : axes.subList(0, axes.size() - 1)) {
                group.append(group.length() > 0 ? ", " : "").append(axis).append('=').append(t.column(axis).getString(row));
            }
            String key = group.length() == 0 ? compared : group.toString();
            String key2 = group.length() == 0 ? column : key;
            Table line = lines.computeIfAbsent(key2, k -> Table.create(k, DoubleColumn.create(x),
                    DoubleColumn.create(column)));
            line.doubleColumn(x).append(numeric(t.column(x), row));
            line.doubleColumn(column).append(((tech.tablesaw.api.NumericColumn<?>) t.column(column)).getDouble(row));
        }
        LearningCurves curves = LearningCurves.of(lines).x(x).metric(column)
                .title(String.format(Locale.ROOT, "%s by %s", dlkit.plot.Style.label(column), x));
        // values over several decades (widths 2 to 200, errors from 4 to 0.02) read better on log axes
        if (spansDecades(lines.values(), x)) {
            curves.logScaleX();
        }
        if (spansDecades(lines.values(), column)) {
            curves.logScale();
        }
        return curves.figure();
    }

    /** Whether a column's values are all positive and span more than a factor of 20. */
    private static boolean spansDecades(java.util.Collection<Table> tables, String column) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (Table t : tables) {
            for (int r = 0; r < t.rowCount(); r++) {
                double v = t.doubleColumn(column).getDouble(r);
                if (!(v > 0)) {
                    return false;
                }
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return max / min > 20;
    }

    /**
     * Learning curves of every configuration overlaid: the validation curve of each when there is
     * one (train and validation of a dozen runs in one panel cannot be told apart), on a log scale
     * for losses; configurations that finished no epoch (a loss that was not a number at once) are
     * named in the title instead.
     *
     * @param metric e.g. {@code loss} or {@code mse}
     * @return the figure
     */
    public Figure curves(String metric) {
        if (pruning != null) {
            return prunedCurves(metric);
        }
        Map<String, Table> drawn = new LinkedHashMap<>();
        List<String> empty = new ArrayList<>();
        histories.forEach((k, v) -> {
            if (v.rowCount() > 0) {
                drawn.put(k, v);
            } else {
                empty.add(k);
            }
        });
        String title = name + ": " + metric + " by epoch"
                + (empty.isEmpty() ? "" : " (no finished epoch: " + String.join(", ", empty) + ")");
        if (drawn.isEmpty()) {
            throw new IllegalArgumentException("no configuration of " + name + " finished an epoch: nothing to draw");
        }
        LearningCurves curves = LearningCurves.of(drawn).metric(metric).title(title);
        if (drawn.values().iterator().next().containsColumn("val_" + metric)) {
            curves.only("validation").title(title.replace(": " + metric, ": validation " + metric));
        }
        if (History.lowerIsBetter(metric)) {
            curves.logScale();
        }
        return curves.figure();
    }

    /** Every configuration's validation curve, pruned ones in grey with a cross where they stopped. */
    private Figure prunedCurves(String metric) {
        List<Table> tables = new ArrayList<>(histories.values());
        String column = tables.stream().anyMatch(t -> t.containsColumn("val_" + metric)) ? "val_" + metric : "train_" + metric;
        int best = bestIndex();
        List<PrunedCurves.Curve> curves = new ArrayList<>();
        int longest = 1;
        for (int i = 0; i < tables.size(); i++) {
            Table t = tables.get(i);
            List<Double> values = new ArrayList<>();
            for (int r = 0; t.containsColumn(column) && r < t.rowCount(); r++) {
                values.add(t.numberColumn(column).getDouble(r));
            }
            longest = Math.max(longest, values.size());
            curves.add(new PrunedCurves.Curve(values, prunedAts.get(i), i == best));
        }
        long prunedCount = prunedAts.stream().filter(p -> p > 0).count();
        String title = String.format(Locale.ROOT, "%s, pruned: %d of %d configurations stopped early", name, prunedCount,
                configs.size());
        return PrunedCurves.figure(title, column, curves, pruning.rungs(longest),
                History.lowerIsBetter(metric));
    }

    private Column<?> axisColumn(String axis) {
        List<Object> values = new ArrayList<>();
        configs.forEach(c -> values.add(c.get(axis)));
        if (values.stream().allMatch(v -> v instanceof Integer || v instanceof Long)) {
            return IntColumn.create(axis, values.stream().mapToInt(v -> ((Number) v).intValue()).toArray());
        }
        if (values.stream().allMatch(v -> v instanceof Number)) {
            return DoubleColumn.create(axis, values.stream().mapToDouble(v -> Double.parseDouble(v.toString())).toArray());
        }
        return StringColumn.create(axis, values.stream().map(String::valueOf).toArray(String[]::new));
    }

    private static double numeric(Column<?> column, int row) {
        Object v = column.get(row);
        return v instanceof Number n ? n.doubleValue() : row;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %d configurations in %.1f s, best %s", name, configs.size(), seconds,
                configs.isEmpty() ? "-" : best());
    }

    @Override
    public Map<String, String> toMimeBundle() {
        Map<String, String> bundle = new LinkedHashMap<>();
        bundle.put("text/plain", toString() + "\n" + Html.text(ranked()));
        bundle.put("text/html", "<p>" + Html.escape(toString()) + "</p>" + Html.table(ranked()));
        return bundle;
    }
}
