package dlkit.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

class LogAxisTest {

    @Test
    void narrowRangesKeepXChartsLogAxisWithReadableLabels() {
        XYChart chart = new XYChart(640, 400);
        chart.addSeries("loss", new double[] {1, 2, 3}, new double[] {2.3, 0.5, 1e-4});
        assertFalse(LogAxis.apply(chart));
        assertTrue(chart.getStyler().isYAxisLogarithmic());
        assertEquals("0.02", LogAxis.label(0.02, false));
        assertEquals("500", LogAxis.label(500.0, false));
        assertEquals("", LogAxis.label(500.0, true), "only powers of ten over more than two decades");
        assertEquals("", LogAxis.label(0.07, false), "7 x 10^k is a tick without a label");
        assertEquals("10⁻⁵", LogAxis.label(1e-5, true));
        assertEquals("10⁶", LogAxis.label(1e6, false));
    }

    @Test
    void wideRangesBecomeLog10ValuesLabelledInPowers() {
        XYChart chart = new XYChart(640, 400);
        chart.addSeries("variance", new double[] {1, 2, 3}, new double[] {1, 1e-15, 1e-30});
        assertTrue(LogAxis.apply(chart));
        assertFalse(chart.getStyler().isYAxisLogarithmic());
        double[] y = chart.getSeries("variance").getYData();
        assertEquals(-30, y[2], 1e-12);
        assertEquals("10⁻³⁰", LogAxis.power(-30.0));
        assertEquals("1", LogAxis.power(0.0));
        assertEquals("10¹²", LogAxis.power(12.0));
        assertEquals("3.2×10⁻³", LogAxis.power(-2.5));
        // XChart asks for the labels of the ticks it draws: at least one per ten decades here
        java.util.Set<String> drawn = new java.util.TreeSet<>();
        var labels = chart.getStyler().getYAxisTickLabelsFormattingFunction();
        chart.getStyler().setYAxisTickLabelsFormattingFunction(v -> {
            drawn.add(labels.apply(v));
            return labels.apply(v);
        });
        assertTrue(Figure.of(chart).png(1).length > 1000);
        assertTrue(drawn.containsAll(java.util.List.of("10⁻³⁰", "10⁻²⁰", "10⁻¹⁰", "1")), drawn.toString());
    }
}
