package dlkit.plot;

import java.awt.BasicStroke;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * Keeps a line visible when a later one is drawn over it: two runs that behave alike (Adam and
 * AdamW without weight decay, say) otherwise show as one line, and the reader takes the hidden one
 * for missing. A later line that follows an earlier one within 1.5% of the plot's height along its
 * whole length is drawn with long gaps, through which the earlier line shows.
 */
final class Overlaps {

    static final float[] GAPS = {6f, 6f};
    private static final double CLOSE = 0.015;

    private Overlaps() {}

    /**
     * Redraws each line that hides an earlier one with gaps.
     *
     * @param chart the chart, all series added
     * @param logY whether the y axis is logarithmic (closeness is then measured in decades)
     * @return how many lines were given gaps
     */
    static int reveal(XYChart chart, boolean logY) {
        List<XYSeries> lines = new ArrayList<>();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (XYSeries s : chart.getSeriesCollection()) {
            boolean line = s.getXYSeriesRenderStyle().map(r -> r == XYSeries.XYSeriesRenderStyle.Line).orElse(true);
            if (!line || s.getLineStyle() == null || s.getLineStyle() == org.knowm.xchart.style.lines.SeriesLines.NONE
                    || s.getXData().length < 2 || !s.isShowInLegend()) {
                continue;
            }
            lines.add(s);
            for (double y : s.getYData()) {
                double v = logY ? Math.log10(y) : y;
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        double span = max - min;
        int changed = 0;
        for (int j = 1; j < lines.size() && span > 0; j++) {
            for (int i = 0; i < j; i++) {
                if (close(lines.get(i), lines.get(j), span, logY)) {
                    BasicStroke s = lines.get(j).getLineStyle();
                    lines.get(j).setLineStyle(new BasicStroke(s.getLineWidth(), BasicStroke.CAP_BUTT,
                            BasicStroke.JOIN_ROUND, 10f, GAPS, 0f));
                    changed++;
                    break;
                }
            }
        }
        return changed;
    }

    private static boolean close(XYSeries a, XYSeries b, double span, boolean logY) {
        double[] ax = a.getXData();
        double[] bx = b.getXData();
        if (!java.util.Arrays.equals(ax, bx)) {
            return false;
        }
        double[] ay = a.getYData();
        double[] by = b.getYData();
        for (int k = 0; k < ay.length; k++) {
            double d = logY ? Math.log10(ay[k]) - Math.log10(by[k]) : ay[k] - by[k];
            if (Double.isFinite(d) && Math.abs(d) > CLOSE * span) {
                return false;
            }
        }
        return true;
    }
}
