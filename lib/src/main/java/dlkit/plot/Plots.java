package dlkit.plot;

import ai.djl.ndarray.NDArray;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Ready-made charts in the dlkit {@link Style}: bars, grouped bars, scatter plots, confusion heat
 * maps and misclassified-image grids. Every method returns a {@link Figure}, which shows inline
 * and saves with {@link Figure#save(String)}. For learning curves see {@link LearningCurves}; for
 * image grids with more options see {@link ImageGrid}.
 */
public final class Plots {

    private Plots() {}

    /**
     * A bar chart of one value per category.
     *
     * @param title chart title
     * @param categories bar labels
     * @param values bar heights, one per category
     * @return the figure
     */
    public static Figure bar(String title, List<String> categories, double[] values) {
        if (categories.size() != values.length) {
            throw new IllegalArgumentException(
                    "got " + categories.size() + " categories but " + values.length + " values: give one value per category");
        }
        requireNonEmpty("categories", categories.size());
        CategoryChart chart = categoryChart(title, "", "");
        chart.addSeries(title == null || title.isEmpty() ? "value" : title, categories, toList(values));
        chart.getStyler().setLegendVisible(false);
        slantIfLong(chart, categories);
        return Figure.of(chart);
    }

    /**
     * A bar chart from two table columns.
     *
     * @param title chart title
     * @param table the data
     * @param categoryColumn the column whose values label the bars
     * @param valueColumn a numeric column of bar heights
     * @return the figure
     */
    public static Figure bar(String title, Table table, String categoryColumn, String valueColumn) {
        Figure figure = groupedBar(title, table, categoryColumn, valueColumn);
        CategoryChart chart = (CategoryChart) figure.chart();
        chart.getStyler().setLegendVisible(false);
        chart.setYAxisTitle(Style.label(valueColumn));
        return figure;
    }

    /**
     * Bars for several numeric columns side by side per category, e.g. {@code groupedBar("per
     * class", eval.perClass(), "class", "precision", "recall", "f1")}.
     *
     * @param title chart title
     * @param table the data
     * @param categoryColumn the column whose values label the groups
     * @param valueColumns numeric columns, one bar colour each
     * @return the figure
     */
    public static Figure groupedBar(String title, Table table, String categoryColumn, String... valueColumns) {
        requireColumns(table, categoryColumn);
        requireColumns(table, valueColumns);
        requireNonEmpty("value columns", valueColumns.length);
        requireNonEmpty("table rows", table.rowCount());
        List<String> categories = new ArrayList<>();
        Column<?> labels = table.column(categoryColumn);
        for (int row = 0; row < table.rowCount(); row++) {
            categories.add(labels.getString(row));
        }
        CategoryChart chart = categoryChart(title, Style.label(categoryColumn),
                valueColumns.length == 1 ? Style.label(valueColumns[0]) : "");
        for (String name : valueColumns) {
            chart.addSeries(name, categories, toList(numeric(table, name)));
        }
        chart.getStyler().setLegendVisible(valueColumns.length > 1);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        slantIfLong(chart, categories);
        return Figure.of(chart);
    }

    /**
     * A scatter plot of points.
     *
     * @param title chart title
     * @param xLabel what x is, e.g. {@code "true value"}
     * @param yLabel what y is, e.g. {@code "predicted value"}
     * @param x x coordinates
     * @param y y coordinates, as many as x
     * @return the figure
     */
    public static Figure scatter(String title, String xLabel, String yLabel, double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " values but y has " + y.length);
        }
        requireNonEmpty("points", x.length);
        XYChart chart = scatterChart(title, xLabel, yLabel);
        addScatter(chart, "points", x, y, Style.color(0));
        chart.getStyler().setLegendVisible(false);
        return Figure.of(chart);
    }

    /**
     * A scatter plot of 2-D points coloured by class, e.g. an autoencoder's latent codes.
     *
     * @param title chart title
     * @param points N rows of (x, y)
     * @param labels N class indices
     * @param classNames one name per class, or {@code null} for indices
     * @return the figure
     */
    public static Figure scatter(String title, float[][] points, int[] labels, List<String> classNames) {
        if (points.length != labels.length) {
            throw new IllegalArgumentException("got " + points.length + " points but " + labels.length + " labels");
        }
        requireNonEmpty("points", points.length);
        Map<Integer, List<float[]>> groups = new java.util.TreeMap<>();
        for (int i = 0; i < points.length; i++) {
            if (points[i].length != 2) {
                throw new IllegalArgumentException(
                        "points must have 2 coordinates each, row " + i + " has " + points[i].length);
            }
            groups.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(points[i]);
        }
        XYChart chart = scatterChart(title, "dimension 1", "dimension 2");
        for (Map.Entry<Integer, List<float[]>> group : groups.entrySet()) {
            int label = group.getKey();
            String name = classNames != null && label >= 0 && label < classNames.size()
                    ? classNames.get(label)
                    : String.valueOf(label);
            double[] xs = group.getValue().stream().mapToDouble(p -> p[0]).toArray();
            double[] ys = group.getValue().stream().mapToDouble(p -> p[1]).toArray();
            addScatter(chart, name, xs, ys, Style.color(label));
        }
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        return Figure.of(chart);
    }

    /**
     * A scatter plot from table columns, optionally one colour per group.
     *
     * @param title chart title
     * @param table the data
     * @param xColumn numeric x column
     * @param yColumn numeric y column
     * @param groupColumn column whose values pick the colour, or {@code null}
     * @return the figure
     */
    public static Figure scatter(String title, Table table, String xColumn, String yColumn, String groupColumn) {
        requireColumns(table, xColumn, yColumn);
        requireNonEmpty("table rows", table.rowCount());
        double[] xs = numeric(table, xColumn);
        double[] ys = numeric(table, yColumn);
        XYChart chart = scatterChart(title, xColumn, yColumn);
        if (groupColumn == null) {
            addScatter(chart, yColumn, xs, ys, Style.color(0));
            chart.getStyler().setLegendVisible(false);
            return Figure.of(chart);
        }
        requireColumns(table, groupColumn);
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        Column<?> group = table.column(groupColumn);
        for (int row = 0; row < table.rowCount(); row++) {
            groups.computeIfAbsent(group.getString(row), k -> new ArrayList<>()).add(row);
        }
        int index = 0;
        for (Map.Entry<String, List<Integer>> entry : groups.entrySet()) {
            double[] gx = entry.getValue().stream().mapToDouble(r -> xs[r]).toArray();
            double[] gy = entry.getValue().stream().mapToDouble(r -> ys[r]).toArray();
            addScatter(chart, entry.getKey(), gx, gy, Style.color(index++));
        }
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        return Figure.of(chart);
    }

    /** Long names side by side would run into each other: slanted, every bar keeps its label; short ones stay level. */
    private static void slantIfLong(CategoryChart chart, List<String> categories) {
        int widest = categories.stream().mapToInt(String::length).max().orElse(0);
        if (categories.stream().mapToInt(String::length).sum() > 50 || widest * categories.size() > 60) {
            chart.getStyler().setXAxisLabelRotation(45);
        }
    }

    private static CategoryChart categoryChart(String title, String xTitle, String yTitle) {
        CategoryChart chart = new CategoryChart(Style.WIDTH, Style.HEIGHT);
        Style.apply(chart);
        chart.setTitle(title == null ? "" : title);
        chart.setXAxisTitle(xTitle);
        chart.setYAxisTitle(yTitle);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setAvailableSpaceFill(0.75);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setXAxisTickMarkSpacingHint(20); // label every bar, not every other one
        return chart;
    }

    private static XYChart scatterChart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChart(Style.WIDTH, Style.HEIGHT);
        Style.apply(chart);
        chart.setTitle(title == null ? "" : title);
        chart.setXAxisTitle(xTitle);
        chart.setYAxisTitle(yTitle);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(6);
        return chart;
    }

    private static void addScatter(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setMarkerColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 190));
    }

    private static double[] numeric(Table table, String name) {
        Column<?> column = table.column(name);
        if (!(column instanceof NumericColumn)) {
            throw new IllegalArgumentException(
                    "column '" + name + "' must be numeric, it is " + column.type().name());
        }
        return ((NumericColumn<?>) column).asDoubleArray();
    }

    private static List<Double> toList(double[] values) {
        return Arrays.stream(values).boxed().collect(java.util.stream.Collectors.toList());
    }

    private static void requireColumns(Table table, String... names) {
        for (String name : names) {
            if (!table.containsColumn(name)) {
                throw new IllegalArgumentException(
                        "table '" + table.name() + "' has no column '" + name + "'; columns are " + table.columnNames());
            }
        }
    }

    private static void requireNonEmpty(String what, int size) {
        if (size == 0) {
            throw new IllegalArgumentException("nothing to plot: no " + what);
        }
    }
}
