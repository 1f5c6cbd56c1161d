package dlkit.tune;

import dlkit.display.Html;
import dlkit.display.MimeBundle;
import dlkit.models.Mlp;
import dlkit.plot.Figure;
import dlkit.plot.Plots;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What a {@link Search} found: one row per trial, the best trial, and charts of validation
 * accuracy against each hyper-parameter. Shows itself as its table sorted best first.
 */
public final class SearchResults implements MimeBundle {

    /** Hyper-parameter columns of {@link #table()}, in the order the charts show them. */
    public static final List<String> HYPER_PARAMETERS =
            List.of("lr", "batch", "units", "layers", "epochs", "weight_decay", "activation", "batch_norm", "dropout");

    private final String name;
    private final List<TrialResult> trials;
    private final double wallSeconds;
    private final int reused;
    private final Halving pruning;

    SearchResults(String name, List<TrialResult> trials, double wallSeconds, int reused, Halving pruning) {
        this.name = name;
        this.trials = List.copyOf(trials);
        this.wallSeconds = wallSeconds;
        this.reused = reused;
        this.pruning = pruning;
    }

    /**
     * Every trial's result, in trial order.
     *
     * @return the results
     */
    public List<TrialResult> trials() {
        return trials;
    }

    /**
     * The trial with the highest validation accuracy (the earliest one on a tie); diverged and
     * pruned trials never win.
     *
     * @return the best result
     */
    public TrialResult best() {
        return trials.stream()
                .filter(t -> !t.diverged() && !t.pruned())
                .max(Comparator.comparingDouble(TrialResult::valAccuracy).thenComparing(t -> -t.index()))
                .orElseThrow(() -> new IllegalStateException("every trial diverged: lower the learning rates"));
    }

    /**
     * Seconds this {@code run()} took, reading finished trials back included.
     *
     * @return wall-clock seconds
     */
    public double wallSeconds() {
        return wallSeconds;
    }

    /**
     * Total training time of all trials, as they were first trained.
     *
     * @return seconds
     */
    public double trainingSeconds() {
        return trials.stream().mapToDouble(TrialResult::seconds).sum();
    }

    /**
     * Epochs trained over all trials, and what training every trial to its budget would take.
     *
     * @return {@code {trained, budget}}
     */
    public int[] epochs() {
        return new int[] {trials.stream().mapToInt(TrialResult::epochsTrained).sum(),
                trials.stream().mapToInt(t -> t.trial().epochs()).sum()};
    }

    /**
     * How many trials were read back instead of trained: from the search's results file, or from the
     * run cache (a trial that is the same computation as a run stored under another name).
     *
     * @return the count
     */
    public int reused() {
        return reused;
    }

    /**
     * One row per trial: {@code trial, hidden, layers, units, activation, batch_norm, dropout, lr,
     * batch, epochs, weight_decay, parameters, val_accuracy, val_loss, train_loss, seconds, diverged}, in
     * trial order, and after a pruned search {@code epochs_trained} and {@code pruned} (its scores are
     * those of the last epoch trained); sort it with Tablesaw, e.g. {@code
     * table().sortDescendingOn("val_accuracy")}.
     *
     * @return a new table
     */
    public Table table() {
        Table t = Table.create(name,
                IntColumn.create("trial"), StringColumn.create("hidden"), IntColumn.create("layers"),
                IntColumn.create("units"), StringColumn.create("activation"), BooleanColumn.create("batch_norm"),
                DoubleColumn.create("dropout"), DoubleColumn.create("lr"), IntColumn.create("batch"),
                IntColumn.create("epochs"), DoubleColumn.create("weight_decay"), LongColumn.create("parameters"),
                DoubleColumn.create("val_accuracy"), DoubleColumn.create("val_loss"),
                DoubleColumn.create("train_loss"), DoubleColumn.create("seconds"), BooleanColumn.create("diverged"));
        for (TrialResult r : trials) {
            Trial c = r.trial();
            t.intColumn("trial").append(r.index());
            t.stringColumn("hidden").append(Mlp.shape(Collections.nCopies(c.layers(), c.units())));
            t.intColumn("layers").append(c.layers());
            t.intColumn("units").append(c.units());
            t.stringColumn("activation").append(c.activation().toString());
            t.booleanColumn("batch_norm").append(c.batchNorm());
            t.doubleColumn("dropout").append(exact(c.dropout()));
            t.doubleColumn("lr").append(exact(c.learningRate()));
            t.intColumn("batch").append(c.batchSize());
            t.intColumn("epochs").append(c.epochs());
            t.doubleColumn("weight_decay").append(exact(c.weightDecay()));
            t.longColumn("parameters").append(r.parameters());
            t.doubleColumn("val_accuracy").append(r.valAccuracy());
            t.doubleColumn("val_loss").append(r.valLoss());
            t.doubleColumn("train_loss").append(r.trainLoss());
            t.doubleColumn("seconds").append(r.seconds());
            t.booleanColumn("diverged").append(r.diverged());
        }
        if (pruning != null) {
            t.insertColumn(t.columnIndex("epochs") + 1, IntColumn.create("epochs_trained",
                    trials.stream().mapToInt(TrialResult::epochsTrained).toArray()));
            t.addColumns(BooleanColumn.create("pruned", trials.stream().map(TrialResult::pruned).toList()));
        }
        return t;
    }

    /** 0.1f as 0.1, not 0.10000000149. */
    private static double exact(float v) {
        return Double.parseDouble(Float.toString(v));
    }

    /**
     * Validation accuracy against one hyper-parameter: one column of points (one per trial) for
     * each value the parameter took, labelled with that value, and a cross at each value's mean.
     * Search spaces list a few values per parameter, so they are shown as categories: a log axis
     * would label only powers of ten, and bars of the mean from zero would hide the differences.
     *
     * @param column one of {@link #HYPER_PARAMETERS}
     * @return the figure
     */
    public Figure chart(String column) {
        if (!HYPER_PARAMETERS.contains(column)) {
            throw new IllegalArgumentException("no hyper-parameter '" + column + "': use one of " + HYPER_PARAMETERS);
        }
        Table all = table();
        Table t = all.dropWhere(all.booleanColumn("diverged").isTrue());
        if (t.rowCount() == 0) {
            throw new IllegalStateException("every trial diverged: nothing to chart");
        }
        Table values = t.column(column) instanceof NumericColumn<?>
                ? t.sortAscendingOn(column) : t; // numbers in order, names as first seen
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (int row = 0; row < values.rowCount(); row++) {
            distinct.add(values.column(column).getString(row));
        }
        List<String> labels = new ArrayList<>(distinct);
        double[] x = new double[t.rowCount()];
        double[] y = t.doubleColumn("val_accuracy").asDoubleArray();
        double[][] sums = new double[labels.size()][2];
        for (int row = 0; row < x.length; row++) {
            int at = labels.indexOf(t.column(column).getString(row));
            x[row] = at;
            sums[at][0] += y[row];
            sums[at][1]++;
        }
        String words = dlkit.plot.Style.label(column);
        Figure figure = Plots.scatter("Validation accuracy by " + words + " (crosses: means)", words,
                "validation accuracy", x, y);
        XYChart chart = (XYChart) figure.chart();
        double[] positions = new double[labels.size()];
        double[] means = new double[labels.size()];
        for (int i = 0; i < labels.size(); i++) {
            positions[i] = i;
            means[i] = sums[i][0] / sums[i][1];
        }
        chart.addSeries("mean", positions, means).setMarker(SeriesMarkers.CROSS).setMarkerColor(Color.BLACK);
        if (labels.size() > 1) {
            // Axis ends on the first and last value (XChart makes no ticks when both ends' labels
            // are the same, e.g. blank at -0.5 and k - 0.5); the margin keeps their points off the frame.
            chart.getStyler().setXAxisMin(0.0).setXAxisMax(labels.size() - 1.0).setPlotMargin(40);
        }
        chart.getStyler().setxAxisTickLabelsFormattingFunction(v -> {
            long i = Math.round(v);
            return Math.abs(v - i) < 1e-6 && i >= 0 && i < labels.size() ? labels.get((int) i) : "";
        });
        return figure;
    }

    /**
     * Validation accuracy against every hyper-parameter that took more than one value, side by side
     * (for the screen; a write-up takes the panels one by one with {@link #chart(String)}, each
     * the width of a page).
     *
     * @return a grid of {@link #chart(String)} panels
     */
    public Figure charts() {
        Table t = table();
        List<Figure> panels = new ArrayList<>();
        for (String column : HYPER_PARAMETERS) {
            if (t.column(column).countUnique() > 1) {
                panels.add(chart(column));
            }
        }
        if (panels.isEmpty()) {
            panels.add(chart("lr"));
        }
        return Figure.grid(Math.min(3, panels.size()), panels.toArray(new Figure[0]));
    }

    /**
     * Every trial's validation accuracy by epoch: trials trained to their budget in colour (the best
     * thickest), pruned ones in grey with a cross where the search stopped them.
     *
     * @return the figure
     */
    public Figure curves() {
        TrialResult best = best();
        List<PrunedCurves.Curve> curves = trials.stream()
                .map(t -> new PrunedCurves.Curve(t.curve(), t.prunedAt(), t == best)).toList();
        int longest = trials.stream().mapToInt(t -> t.trial().epochs()).max().orElse(1);
        int[] e = epochs();
        String title = pruning == null
                ? String.format(Locale.ROOT, "%s: %d trials, validation accuracy by epoch", name, trials.size())
                : String.format(Locale.ROOT, "%s, pruned: %d of %d trials stopped early, %d of %d epochs trained",
                        name, trials.stream().filter(TrialResult::pruned).count(), trials.size(), e[0], e[1]);
        return PrunedCurves.figure(title, "val_accuracy", curves,
                pruning == null ? List.of(longest) : pruning.rungs(longest), false);
    }

    /**
     * One line: trial count, best validation accuracy and its configuration, time.
     *
     * @return the summary
     */
    public String summary() {
        TrialResult b = best();
        int[] e = epochs();
        String pruned = pruning == null ? "" : String.format(Locale.ROOT, ", %d pruned by %s (%d of %d epochs trained)",
                trials.stream().filter(TrialResult::pruned).count(), pruning, e[0], e[1]);
        return String.format(Locale.ROOT,
                "%s: %d trials (%d read back%s), best val_accuracy %.4f (trial %d: %s, %,d parameters);"
                        + " training %.0f s, this run %.1f s",
                name, trials.size(), reused, pruned, b.valAccuracy(), b.index(), b.trial().id(), b.parameters(),
                trainingSeconds(), wallSeconds);
    }

    @Override
    public String toString() {
        return summary() + "\n" + table().sortDescendingOn("val_accuracy").printAll();
    }

    @Override
    public Map<String, String> toMimeBundle() {
        Map<String, String> bundle = new LinkedHashMap<>();
        Table ranked = table().sortDescendingOn("val_accuracy");
        bundle.put("text/plain", summary() + "\n" + Html.text(ranked)); // rounded like the HTML; toString() has every digit
        bundle.put("text/html", "<p>" + Html.escape(summary()) + "</p>" + Html.table(ranked));
        return bundle;
    }
}
