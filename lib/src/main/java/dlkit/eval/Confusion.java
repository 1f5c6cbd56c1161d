package dlkit.eval;

import dlkit.display.Html;
import dlkit.display.MimeBundle;
import dlkit.plot.ConfusionHeatMap;
import dlkit.plot.Figure;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A confusion matrix: {@code counts()[t][p]} is how many examples of true class {@code t} were
 * predicted as class {@code p}. Rows are true classes, columns predicted classes.
 *
 * <p>Immutable; the arrays it returns are copies.
 */
public final class Confusion implements MimeBundle {

    private final int[][] counts;
    private final List<String> classNames;

    Confusion(int[][] counts, List<String> classNames) {
        this.counts = counts;
        this.classNames = List.copyOf(classNames);
    }

    /**
     * The matrix as a heat map with the count in each cell, coloured by the fraction of the true class.
     *
     * @return the figure
     */
    public Figure heatMap() {
        return heatMap(false);
    }

    /**
     * The matrix as a heat map.
     *
     * @param fractions true to write each cell's fraction of its true class instead of its count
     * @return the figure
     */
    public Figure heatMap(boolean fractions) {
        int[][] c = counts();
        long total = 0;
        long right = 0;
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c[i].length; j++) {
                total += c[i][j];
                right += i == j ? c[i][j] : 0;
            }
        }
        // the default title says what the matrix is of, so it reads on its own in a write-up
        String what = String.format(java.util.Locale.ROOT, "%,d examples, %.1f%% right", total,
                total == 0 ? 0 : 100.0 * right / total);
        return heatMap(fractions ? "Confusion matrix, fraction of each true class (" + what + ")"
                : "Confusion matrix (" + what + ")", fractions);
    }

    /**
     * The matrix as a heat map with a title of your own, e.g. the model and data set.
     *
     * @param title the figure's title
     * @param fractions true to write each cell's fraction of its true class instead of its count
     * @return the figure
     */
    public Figure heatMap(String title, boolean fractions) {
        return ConfusionHeatMap.of(title, counts(), classNames(), fractions);
    }

    /**
     * The class names, in index order.
     *
     * @return the names labelling rows and columns
     */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * The number of classes.
     *
     * @return rows (and columns) of the matrix
     */
    public int size() {
        return counts.length;
    }

    /**
     * The raw counts.
     *
     * @return {@code [true][predicted]} counts, a copy
     */
    public int[][] counts() {
        int[][] copy = new int[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    /**
     * The count for one cell.
     *
     * @param trueClass row: the true class index
     * @param predictedClass column: the predicted class index
     * @return how many examples of {@code trueClass} were predicted as {@code predictedClass}
     */
    public int count(int trueClass, int predictedClass) {
        return counts[trueClass][predictedClass];
    }

    /**
     * The matrix normalised by row: each row sums to 1, so cell {@code [t][p]} is the fraction of
     * class {@code t} predicted as {@code p} and the diagonal holds each class's recall. A class
     * with no examples gets a row of zeros.
     *
     * @return {@code [true][predicted]} fractions
     */
    public double[][] normalized() {
        double[][] result = new double[counts.length][counts.length];
        for (int t = 0; t < counts.length; t++) {
            long support = Arrays.stream(counts[t]).asLongStream().sum();
            for (int p = 0; p < counts.length && support > 0; p++) {
                result[t][p] = counts[t][p] / (double) support;
            }
        }
        return result;
    }

    /**
     * The counts as a table: a {@code true} column of class names, then one column per
     * predicted class.
     *
     * @return a new table
     */
    public Table table() {
        Table table = Table.create("confusion (rows: true, columns: predicted)");
        table.addColumns(StringColumn.create("true", classNames));
        for (int p = 0; p < counts.length; p++) {
            int[] column = new int[counts.length];
            for (int t = 0; t < counts.length; t++) {
                column[t] = counts[t][p];
            }
            table.addColumns(IntColumn.create(uniqueColumnName(p), column));
        }
        return table;
    }

    /**
     * The row-normalised matrix as a table, laid out like {@link #table()}.
     *
     * @return a new table
     */
    public Table normalizedTable() {
        double[][] normalized = normalized();
        Table table = Table.create("confusion, normalised by true class");
        table.addColumns(StringColumn.create("true", classNames));
        for (int p = 0; p < counts.length; p++) {
            double[] column = new double[counts.length];
            for (int t = 0; t < counts.length; t++) {
                column[t] = normalized[t][p];
            }
            table.addColumns(DoubleColumn.create(uniqueColumnName(p), column));
        }
        return table;
    }

    // Tablesaw needs unique column names; "true" is taken by the row labels.
    private String uniqueColumnName(int p) {
        String name = classNames.get(p);
        return name.equalsIgnoreCase("true") ? name + " (pred)" : name;
    }

    @Override
    public String toString() {
        return table().printAll();
    }

    @Override
    public Map<String, String> toMimeBundle() {
        Map<String, String> bundle = new LinkedHashMap<>();
        bundle.put("text/html", Html.table(table()));
        bundle.put("text/plain", toString());
        return bundle;
    }
}
