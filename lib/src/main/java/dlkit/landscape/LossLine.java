package dlkit.landscape;

import dlkit.plot.Figure;
import dlkit.plot.Style;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The loss along a straight line between two weight vectors, made by {@link
 * Landscape#interpolate}: alpha 0 is the start (e.g. the initial weights), alpha 1 the end (the
 * trained weights).
 */
public final class LossLine {

    private final double[] alphas;
    private final double[] losses;

    LossLine(double[] alphas, double[] losses) {
        this.alphas = alphas;
        this.losses = losses;
    }

    /**
     * The interpolation coefficients.
     *
     * @return a copy
     */
    public double[] alphas() {
        return alphas.clone();
    }

    /**
     * The loss at each alpha.
     *
     * @return a copy
     */
    public double[] losses() {
        return losses.clone();
    }

    /**
     * The loss at the alpha nearest to the given one.
     *
     * @param alpha e.g. 0 or 1
     * @return the loss there
     */
    public double lossAt(double alpha) {
        int best = 0;
        for (int i = 1; i < alphas.length; i++) {
            if (Math.abs(alphas[i] - alpha) < Math.abs(alphas[best] - alpha)) {
                best = i;
            }
        }
        return losses[best];
    }

    /**
     * Whether the loss never rises by more than a tolerance between alpha 0 and 1: no barrier
     * separates the two weight vectors along the straight line.
     *
     * @param tolerance allowed rise, e.g. 1e-3
     * @return true if the loss falls monotonically (within the tolerance) from 0 to 1
     */
    public boolean monotoneBetweenEnds(double tolerance) {
        double previous = Double.POSITIVE_INFINITY;
        for (int i = 0; i < alphas.length; i++) {
            if (alphas[i] < -1e-9 || alphas[i] > 1 + 1e-9) {
                continue;
            }
            if (losses[i] > previous + tolerance) {
                return false;
            }
            previous = losses[i];
        }
        return true;
    }

    /**
     * A line chart of loss against alpha, with the two ends marked.
     *
     * @param title the chart title
     * @return the figure
     */
    public Figure figure(String title) {
        XYChart chart = Style.apply(new XYChartBuilder().width(Style.WIDTH).height(Style.HEIGHT).title(title)
                .xAxisTitle("alpha  (0 = start, 1 = end)").yAxisTitle("loss").build());
        chart.getStyler().setLegendVisible(true);
        XYSeries line = chart.addSeries("loss", alphas, losses);
        line.setMarker(SeriesMarkers.NONE);
        line.setLineWidth(2f);
        XYSeries ends = chart.addSeries("start / end", new double[] {0, 1}, new double[] {lossAt(0), lossAt(1)});
        ends.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        ends.setMarker(SeriesMarkers.CIRCLE);
        ends.setMarkerColor(Style.color(3));
        // XChart ticks every x value when all are equally spaced; one invisible point in between
        // makes it fall back to round ticks (the same fix as LearningCurves).
        XYSeries hidden = chart.addSeries(" ", new double[] {(alphas[0] + alphas[1]) / 2}, new double[] {losses[0]});
        hidden.setMarker(SeriesMarkers.NONE);
        hidden.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.NONE);
        hidden.setShowInLegend(false);
        return Figure.of(Style.placeLegend(chart));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LossLine(%d points, alpha %.2f to %.2f, loss at 0 = %.4f, at 1 = %.4f)",
                alphas.length, alphas[0], alphas[alphas.length - 1], lossAt(0), lossAt(1));
    }
}
