package dlkit.tune;

import dlkit.plot.Figure;
import dlkit.plot.LogAxis;
import dlkit.plot.Style;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Every configuration's validation curve in one figure, for a search or grid with or without
 * pruning: configurations that trained to their budget in colour, pruned ones in grey ending in a
 * cross where they were stopped, the best one drawn thicker. A dozen or more curves cannot be told
 * apart by a legend, so the legend names the three kinds instead of the configurations.
 */
final class PrunedCurves {

    /** One configuration's curve: its value after each epoch trained. */
    record Curve(List<Double> values, int prunedAt, boolean best) {}

    private static final Color PRUNED = new Color(0xA0A0A0);

    private PrunedCurves() {}

    static Figure figure(String title, String column, List<Curve> curves, List<Integer> rungs, boolean logY) {
        XYChart chart = new XYChart(820, 480);
        Style.apply(chart);
        chart.setTitle(title);
        chart.setXAxisTitle("epoch");
        chart.setYAxisTitle(Style.label(column));
        chart.getStyler().setMarkerSize(9);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        int finished = 0;
        int pruned = 0;
        int colour = 0;
        double[] stopX = new double[curves.size()];
        double[] stopY = new double[curves.size()];
        int stops = 0;
        Curve best = null;
        for (int c = 0; c < curves.size(); c++) {
            Curve curve = curves.get(c);
            double[][] xy = points(curve.values(), logY);
            if (xy[0].length == 0) {
                continue;
            }
            if (curve.best()) {
                best = curve;
                continue; // drawn last, on top
            }
            XYSeries s = chart.addSeries("c" + c, xy[0], xy[1]);
            s.setMarker(SeriesMarkers.NONE);
            s.setShowInLegend(false);
            if (curve.prunedAt() > 0) {
                s.setLineColor(PRUNED);
                s.setLineStyle(new BasicStroke(1.2f));
                stopX[stops] = xy[0][xy[0].length - 1];
                stopY[stops++] = xy[1][xy[1].length - 1];
                pruned++;
            } else {
                s.setLineColor(Style.color(colour++ % 9 + 1)); // colour 0 is kept for the best
                s.setLineStyle(new BasicStroke(1.6f));
                finished++;
            }
        }
        if (best != null) {
            double[][] xy = points(best.values(), logY);
            XYSeries s = chart.addSeries("best", xy[0], xy[1]);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(Style.color(0));
            s.setLineStyle(new BasicStroke(3f));
        }
        if (finished > 0) { // besides the best, which is always trained to its end
            legendEntry(chart, String.format(Locale.ROOT, "others trained to the end (%d)", finished), Style.color(1),
                    SeriesMarkers.NONE, SeriesLines.SOLID);
        }
        if (stops > 0) {
            XYSeries s = chart.addSeries(String.format(Locale.ROOT, "pruned (%d), x where stopped", pruned),
                    java.util.Arrays.copyOf(stopX, stops), java.util.Arrays.copyOf(stopY, stops));
            s.setMarker(SeriesMarkers.CROSS);
            s.setMarkerColor(new Color(0x555555));
            s.setLineStyle(SeriesLines.NONE);
        }
        int last = rungs.get(rungs.size() - 1);
        if (last > 1) {
            chart.getStyler().setXAxisMin(1.0);
            chart.getStyler().setXAxisMax((double) last);
        }
        // epochs are whole: no label or grid line at 1.5
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(v -> Math.abs(v - Math.rint(v)) < 1e-9
                ? Long.toString(Math.round(v)) : "");
        if (logY) {
            LogAxis.apply(chart);
        }
        return Figure.of(chart);
    }

    /** A series that only names a kind of line in the legend (a point the plot does not show). */
    private static void legendEntry(XYChart chart, String name, Color color,
            org.knowm.xchart.style.markers.Marker marker, BasicStroke line) {
        XYSeries s = chart.addSeries(name, new double[] {Double.NaN}, new double[] {Double.NaN});
        s.setLineColor(color);
        s.setMarker(marker);
        s.setLineStyle(line);
    }

    /** Epochs 1.. as x; values a log axis cannot show are left out. */
    private static double[][] points(List<Double> values, boolean logY) {
        int n = 0;
        double[] x = new double[values.size()];
        double[] y = new double[values.size()];
        for (int e = 0; e < values.size(); e++) {
            double v = values.get(e);
            if (Double.isFinite(v) && (!logY || v > 0)) {
                x[n] = e + 1;
                y[n++] = v;
            }
        }
        return new double[][] {java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(y, n)};
    }
}
