package dlkit.train;

import dlkit.display.Html;
import dlkit.display.MimeBundle;
import dlkit.plot.LearningCurves;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What happened during training, one row per epoch, plus every batch's loss.
 *
 * <p>Epoch table columns: {@code epoch} (1-based), {@code step} (batches so far), {@code
 * train_loss}, {@code train_<metric>} (e.g. {@code train_accuracy}), {@code val_loss} and {@code
 * val_<metric>} when there is a validation set, {@code lr} and {@code seconds} (cumulative wall
 * time). Batch table columns: {@code step}, {@code epoch}, {@code loss}.
 *
 * <p>Shown in a notebook as an HTML table.
 */
public final class History implements MimeBundle {

    private final List<String> columns;
    private final List<double[]> rows = new ArrayList<>();
    private int[] batchStep = new int[1024];
    private int[] batchEpoch = new int[1024];
    private float[] batchLoss = new float[1024];
    private int batchCount;
    private Table table;

    History(List<String> metricNames, boolean validation) {
        List<String> names = new ArrayList<>(List.of("epoch", "step", "train_loss"));
        metricNames.forEach(m -> names.add("train_" + m));
        if (validation) {
            names.add("val_loss");
            metricNames.forEach(m -> names.add("val_" + m));
        }
        names.add("lr");
        names.add("seconds");
        this.columns = Collections.unmodifiableList(names);
    }

    private History(List<String> columns) {
        this.columns = Collections.unmodifiableList(new ArrayList<>(columns));
    }

    /** Turns an evaluator's name ("Accuracy", "Top_5_Accuracy") into a column suffix. */
    static String columnName(String evaluatorName) {
        return evaluatorName.trim().replaceAll("[^A-Za-z0-9]+", "_").toLowerCase(Locale.ROOT);
    }

    /**
     * Returns the names of the epoch table's columns, in order.
     *
     * @return column names
     */
    public List<String> columns() {
        return columns;
    }

    /**
     * Returns the number of completed epochs.
     *
     * @return rows of the epoch table
     */
    public int epochs() {
        return rows.size();
    }

    /**
     * Returns one value of the epoch table.
     *
     * @param column a column name, e.g. {@code val_loss}
     * @param epoch a 1-based epoch
     * @return the value
     */
    public double value(String column, int epoch) {
        if (epoch < 1 || epoch > rows.size()) {
            throw new IllegalArgumentException(
                    "epoch " + epoch + " is not in the history (1.." + rows.size() + ")");
        }
        return rows.get(epoch - 1)[index(column)];
    }

    /**
     * Returns the epoch table as a Tablesaw table (a fresh copy; changing it changes nothing here).
     *
     * @return one row per epoch
     */
    public synchronized Table table() {
        if (table == null || table.rowCount() != rows.size()) {
            table = buildTable();
        }
        return table.copy();
    }

    /**
     * Learning curves of this run: train and validation loss per epoch; choose another metric with
     * {@code .metric("accuracy")}, then {@code .figure()}.
     *
     * @return a learning-curve builder over {@link #table()}
     */
    public LearningCurves curves() {
        return LearningCurves.of(table());
    }

    /**
     * Learning curves of several runs in one figure, e.g. {@code History.curves(models).metric("accuracy")
     * .only("validation").figure()}.
     *
     * @param histories legend name to history, in legend order
     * @return a learning-curve builder over their tables
     */
    public static LearningCurves curves(Map<String, History> histories) {
        Map<String, Table> tables = new LinkedHashMap<>();
        histories.forEach((name, h) -> tables.put(name, h.table()));
        return LearningCurves.of(tables);
    }

    /**
     * Every training batch's loss (noisy) with the validation loss of each epoch, both by training
     * step: how the batch losses scatter around the epochs' trend.
     *
     * @return a learning-curve builder; {@code .figure()} draws it
     */
    public LearningCurves stepCurves() {
        Map<String, Table> both = new LinkedHashMap<>();
        both.put("per batch", batches());
        both.put("per epoch", table());
        return LearningCurves.of(both).x("step");
    }

    /**
     * Returns the loss of every training batch.
     *
     * @return columns {@code step}, {@code epoch}, {@code loss}
     */
    public Table batches() {
        int[] steps = Arrays.copyOf(batchStep, batchCount);
        int[] epochs = Arrays.copyOf(batchEpoch, batchCount);
        double[] losses = new double[batchCount];
        for (int i = 0; i < batchCount; i++) {
            losses[i] = batchLoss[i];
        }
        return Table.create(
                "batches",
                IntColumn.create("step", steps),
                IntColumn.create("epoch", epochs),
                DoubleColumn.create("loss", losses));
    }

    /**
     * Several histories side by side, one row each: e.g. fits and hand-written loops of one
     * experiment. Columns: {@code run}, {@code epochs}, {@code updates} (training steps),
     * {@code seconds}, {@code updates/s}, {@code sum of lr} (the learning rates of all updates
     * added up: how far plain SGD may move the weights), then the last epoch's value of every
     * other column the histories share, e.g. {@code final val_accuracy}.
     *
     * @param histories name to history, in row order
     * @return the table
     */
    public static Table table(Map<String, History> histories) {
        List<String> shared = null;
        for (History h : histories.values()) {
            h.requireRows();
            List<String> own = new ArrayList<>(h.columns);
            own.removeAll(List.of("epoch", "step", "lr", "seconds"));
            if (shared == null) {
                shared = own;
            } else {
                shared.retainAll(own);
            }
        }
        StringColumn run = StringColumn.create("run");
        IntColumn epochs = IntColumn.create("epochs");
        IntColumn updates = IntColumn.create("updates");
        DoubleColumn seconds = DoubleColumn.create("seconds");
        DoubleColumn rate = DoubleColumn.create("updates/s");
        DoubleColumn lrSum = DoubleColumn.create("sum of lr");
        List<DoubleColumn> finals = new ArrayList<>();
        for (String c : shared == null ? List.<String>of() : shared) {
            finals.add(DoubleColumn.create("final " + c));
        }
        histories.forEach((name, h) -> {
            int last = h.rows.size() - 1;
            double total = h.value("seconds", last + 1);
            int steps = (int) h.value("step", last + 1);
            double sum = 0;
            for (int e = 1, before = 0; e <= h.rows.size(); e++) {
                int after = (int) h.value("step", e);
                sum += (after - before) * h.value("lr", e);
                before = after;
            }
            run.append(name);
            epochs.append(h.rows.size());
            updates.append(steps);
            seconds.append(total);
            rate.append(steps / Math.max(total, 1e-9));
            lrSum.append(sum);
            for (DoubleColumn f : finals) {
                f.append(h.value(f.name().substring("final ".length()), last + 1));
            }
        });
        Table t = Table.create("runs", run, epochs, updates, seconds, rate, lrSum);
        finals.forEach(t::addColumns);
        return t;
    }

    /** Words of a column name that make lower values better (see {@link #lowerIsBetter}). */
    private static final java.util.Set<String> LOWER_IS_BETTER = java.util.Set.of("err", "mse", "mae", "rmse", "mape",
            "msle", "nll", "perplexity", "distance");

    /**
     * Whether lower values of a column are better: losses and errors, by the words of the name
     * (split at anything but letters and digits): a word ending in {@code loss}, a word starting or
     * ending with {@code error}, or {@code err}, {@code mse}, {@code mae}, {@code rmse}, {@code mape},
     * {@code msle}, {@code nll}, {@code perplexity}, {@code distance}. So {@code val_loss},
     * {@code val_l2loss}, {@code val_error_rate}, {@code test_mse} and {@code top_5_error} are better
     * lower; {@code val_accuracy}, {@code val_r2} and other names higher. Early stopping, grids,
     * comparisons and {@link #best} all decide by this rule; {@code EarlyStopping.optLowerIsBetter}
     * overrides it for one column.
     *
     * @param column a history, grid or comparison column, e.g. {@code val_error_rate}
     * @return true when lower is better
     */
    public static boolean lowerIsBetter(String column) {
        for (String word : column.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (word.endsWith("loss") || word.startsWith("error") || word.endsWith("error")
                    || LOWER_IS_BETTER.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the row of the best epoch for a column: lowest for losses and errors, highest
     * otherwise ({@link #lowerIsBetter}).
     *
     * @param column e.g. {@code val_loss} or {@code val_accuracy}
     * @return a row of {@link #table()} positioned at the best epoch
     */
    public Row best(String column) {
        int c = index(column);
        requireRows();
        boolean lower = lowerIsBetter(column);
        int best = 0;
        for (int r = 1; r < rows.size(); r++) {
            double v = rows.get(r)[c];
            double b = rows.get(best)[c];
            if (Double.isNaN(b) || (lower ? v < b : v > b)) {
                best = r;
            }
        }
        return rowAt(best);
    }

    /**
     * Returns the row of the last completed epoch.
     *
     * @return a row of {@link #table()}
     */
    public Row last() {
        requireRows();
        return rowAt(rows.size() - 1);
    }

    private Row rowAt(int index) {
        Row row = new Row(table());
        row.at(index);
        return row;
    }

    private void requireRows() {
        if (rows.isEmpty()) {
            throw new IllegalStateException("the history is empty: no epoch was completed");
        }
    }

    private int index(String column) {
        int i = columns.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException(
                    "no column '" + column + "' in the history; columns are " + columns);
        }
        return i;
    }

    void addBatch(int step, int epoch, float loss) {
        if (batchCount == batchStep.length) {
            int size = batchCount * 2;
            batchStep = Arrays.copyOf(batchStep, size);
            batchEpoch = Arrays.copyOf(batchEpoch, size);
            batchLoss = Arrays.copyOf(batchLoss, size);
        }
        batchStep[batchCount] = step;
        batchEpoch[batchCount] = epoch;
        batchLoss[batchCount] = loss;
        batchCount++;
    }

    synchronized void addEpoch(Map<String, Double> values) {
        double[] row = new double[columns.size()];
        for (int i = 0; i < row.length; i++) {
            Double v = values.get(columns.get(i));
            if (v == null) {
                throw new IllegalStateException("missing history value " + columns.get(i));
            }
            row[i] = v;
        }
        rows.add(row);
    }

    /** Drops batches after {@code step}: used when resuming a run from a checkpoint. */
    void truncateBatches(int step) {
        while (batchCount > 0 && batchStep[batchCount - 1] > step) {
            batchCount--;
        }
    }

    int lastStep() {
        return batchCount == 0 ? 0 : batchStep[batchCount - 1];
    }

    /** Whether two histories hold the same numbers, ignoring wall-clock seconds. */
    boolean sameResults(History other) {
        if (!columns.equals(other.columns) || rows.size() != other.rows.size()) {
            return false;
        }
        int seconds = index("seconds");
        for (int r = 0; r < rows.size(); r++) {
            double[] a = rows.get(r).clone();
            double[] b = other.rows.get(r).clone();
            a[seconds] = 0;
            b[seconds] = 0;
            if (!Arrays.equals(a, b)) {
                return false;
            }
        }
        return batchCount == other.batchCount
                && Arrays.equals(Arrays.copyOf(batchLoss, batchCount), Arrays.copyOf(other.batchLoss, batchCount))
                && Arrays.equals(Arrays.copyOf(batchStep, batchCount), Arrays.copyOf(other.batchStep, batchCount));
    }

    private Table buildTable() {
        Table t = Table.create("history");
        for (int c = 0; c < columns.size(); c++) {
            String name = columns.get(c);
            if (name.equals("epoch") || name.equals("step")) {
                int[] values = new int[rows.size()];
                for (int r = 0; r < values.length; r++) {
                    values[r] = (int) rows.get(r)[c];
                }
                t.addColumns(IntColumn.create(name, values));
            } else {
                double[] values = new double[rows.size()];
                for (int r = 0; r < values.length; r++) {
                    values[r] = rows.get(r)[c];
                }
                t.addColumns(DoubleColumn.create(name, values));
            }
        }
        return t;
    }

    /** The epoch table as CSV. */
    String epochsCsv() {
        return csv(table());
    }

    /** The batch table as CSV. */
    String batchesCsv() {
        return csv(batches());
    }

    private static String csv(Table t) {
        StringWriter out = new StringWriter();
        t.write().csv(out);
        return out.toString();
    }

    /** Reads the two CSVs written by {@link #epochsCsv()} and {@link #batchesCsv()}. */
    static History fromCsv(String epochsCsv, String batchesCsv) throws IOException {
        List<double[]> epochRows = new ArrayList<>();
        List<String> columns = parse(epochsCsv, epochRows);
        History h = new History(columns);
        h.rows.addAll(epochRows);
        List<double[]> batchRows = new ArrayList<>();
        if (!parse(batchesCsv, batchRows).equals(List.of("step", "epoch", "loss"))) {
            throw new IOException("batches CSV must have columns step,epoch,loss");
        }
        for (double[] r : batchRows) {
            h.addBatch((int) r[0], (int) r[1], (float) r[2]);
        }
        return h;
    }

    /** Numbers-only CSV as Tablesaw writes it; an empty cell (Tablesaw's missing value) is NaN. */
    private static List<String> parse(String csv, List<double[]> rows) throws IOException {
        List<String> lines = csv.lines().filter(l -> !l.isBlank()).collect(Collectors.toList());
        if (lines.isEmpty()) {
            throw new IOException("empty CSV");
        }
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            if (cells.length != header.size()) {
                throw new IOException("CSV line " + (i + 1) + " has " + cells.length + " cells, expected " + header.size());
            }
            double[] row = new double[cells.length];
            for (int c = 0; c < cells.length; c++) {
                try {
                    row[c] = cells[c].isEmpty() ? Double.NaN : Double.parseDouble(cells[c]);
                } catch (NumberFormatException e) {
                    throw new IOException("CSV line " + (i + 1) + ": not a number: " + cells[c], e);
                }
            }
            rows.add(row);
        }
        return header;
    }

    /** Keeps the batch arrays and epoch rows of another history (a checkpoint's). */
    void copyFrom(History other) {
        rows.clear();
        other.rows.forEach(r -> rows.add(r.clone()));
        batchStep = Arrays.copyOf(other.batchStep, Math.max(1024, other.batchCount));
        batchEpoch = Arrays.copyOf(other.batchEpoch, Math.max(1024, other.batchCount));
        batchLoss = Arrays.copyOf(other.batchLoss, Math.max(1024, other.batchCount));
        batchCount = other.batchCount;
        table = null;
    }

    @Override
    public String toString() {
        return Html.text(table());
    }

    @Override
    public Map<String, String> toMimeBundle() {
        Map<String, String> bundle = new LinkedHashMap<>();
        bundle.put("text/plain", toString());
        bundle.put("text/html", Html.table(table()));
        return bundle;
    }

    static String format(String column, double v) {
        if (column.equals("epoch") || column.equals("step")) {
            return Integer.toString((int) v);
        }
        if (column.equals("lr")) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        if (column.equals("seconds")) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
