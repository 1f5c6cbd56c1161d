package dlkit.plot;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;

/**
 * Where a line chart's legend goes: the first inside corner (top right, bottom right, top left,
 * bottom left) that no line passes through, else outside on the right, so that the legend never
 * covers a line. XChart places a legend where it is told, whatever is drawn there.
 */
final class LegendPlacement {

    /** The order corners are tried in, with their sides: right?, top?. */
    private static final Object[][] CORNERS = {
        {Styler.LegendPosition.InsideNE, true, true},
        {Styler.LegendPosition.InsideSE, true, false},
        {Styler.LegendPosition.InsideNW, false, true},
        {Styler.LegendPosition.InsideSW, false, false},
    };
    /** XChart draws the data over this share of the plot area, centred. */
    private static final double CONTENT = 0.92;

    private LegendPlacement() {}

    /**
     * Chooses the legend's place for a chart whose series are all added (and, for a log axis,
     * after {@link LogAxis#apply}).
     *
     * @param chart the chart
     * @return an inside corner free of lines, or {@code OutsideE}
     */
    static Styler.LegendPosition choose(XYChart chart) {
        List<double[][]> lines = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (XYSeries series : chart.getSeriesCollection()) {
            if (series.getLineStyle() != SeriesLines.NONE) {
                lines.add(new double[][] {series.getXData(), yValues(chart, series)});
            }
            if (series.isShowInLegend()) {
                names.add(series.getName());
            }
        }
        double[] range = range(lines);
        if (range == null) {
            return Styler.LegendPosition.InsideNE;
        }
        // The legend's size as a share of the plot area (the plot is the chart less its axes).
        Font font = chart.getStyler().getLegendFont();
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB).createGraphics();
        FontMetrics fm = g.getFontMetrics(font);
        g.dispose();
        int padding = chart.getStyler().getLegendPadding();
        int textWidth = names.stream().mapToInt(fm::stringWidth).max().orElse(0);
        double width = (textWidth + 40.0 + 3 * padding) / Math.max(1, chart.getWidth() - 100);
        double height = (names.size() * (fm.getHeight() + padding) + padding)
                / (double) Math.max(1, chart.getHeight() - 90);
        for (Object[] corner : CORNERS) {
            if (isFree(lines, range, width, height, (Boolean) corner[1], (Boolean) corner[2])) {
                return (Styler.LegendPosition) corner[0];
            }
        }
        return Styler.LegendPosition.OutsideE;
    }

    /** The y values as drawn: log10 on a logarithmic axis. */
    private static double[] yValues(XYChart chart, XYSeries series) {
        double[] y = series.getYData();
        if (!chart.getStyler().isYAxisLogarithmic()) {
            return y;
        }
        double[] log = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            log[i] = y[i] > 0 ? Math.log10(y[i]) : Double.NaN;
        }
        return log;
    }

    /** {xmin, xmax, ymin, ymax} over all finite points, or null when there are none. */
    private static double[] range(List<double[][]> lines) {
        double inf = Double.POSITIVE_INFINITY;
        double[] r = {inf, -inf, inf, -inf};
        for (double[][] line : lines) {
            for (int i = 0; i < line[0].length; i++) {
                if (Double.isFinite(line[0][i]) && Double.isFinite(line[1][i])) {
                    r[0] = Math.min(r[0], line[0][i]);
                    r[1] = Math.max(r[1], line[0][i]);
                    r[2] = Math.min(r[2], line[1][i]);
                    r[3] = Math.max(r[3], line[1][i]);
                }
            }
        }
        return r[0] > r[1] ? null : r;
    }

    /** Whether no line passes through the corner's box (plot shares; sampled along each segment). */
    private static boolean isFree(List<double[][]> lines, double[] range, double width, double height,
            boolean right, boolean top) {
        double xSpan = range[1] > range[0] ? range[1] - range[0] : 1;
        double ySpan = range[3] > range[2] ? range[3] - range[2] : 1;
        for (double[][] line : lines) {
            for (int i = 0; i < line[0].length; i++) {
                int from = Math.max(0, i - 1);
                for (int step = 0; step <= 8; step++) {
                    double t = step / 8.0;
                    double x = line[0][from] + t * (line[0][i] - line[0][from]);
                    double y = line[1][from] + t * (line[1][i] - line[1][from]);
                    if (!Double.isFinite(x) || !Double.isFinite(y)) {
                        continue;
                    }
                    // Plot shares: the data span the middle CONTENT of the plot area.
                    double px = (1 - CONTENT) / 2 + CONTENT * (x - range[0]) / xSpan;
                    double py = (1 - CONTENT) / 2 + CONTENT * (y - range[2]) / ySpan;
                    boolean inX = right ? px >= 1 - width : px <= width;
                    boolean inY = top ? py >= 1 - height : py <= height;
                    if (inX && inY) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}
