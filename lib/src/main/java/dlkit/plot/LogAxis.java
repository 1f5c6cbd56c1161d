package dlkit.plot;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * A logarithmic y axis that stays readable over any range. Up to {@link #WIDE_DECADES} decades it
 * is XChart's own log axis with compact labels; beyond that XChart labels every decade and draws
 * nine grid lines per decade, which over 30 decades is a grey block of overlapping labels, so the
 * series are drawn as log10 values on a linear axis labelled in powers of ten ("10⁻³⁰") at round
 * steps.
 */
public final class LogAxis {

    /** The most decades drawn with XChart's own log axis. */
    public static final double WIDE_DECADES = 6;

    private static final String SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    private LogAxis() {}

    /**
     * Puts the chart's y axis on a log scale: call it after adding every series, whose y values
     * must be positive.
     *
     * @param chart the chart
     * @return true when the range was wide and the series now hold log10 values
     */
    public static boolean apply(XYChart chart) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (XYSeries series : chart.getSeriesCollection()) {
            for (double y : series.getYData()) {
                if (y > 0 && Double.isFinite(y)) {
                    min = Math.min(min, y);
                    max = Math.max(max, y);
                }
            }
        }
        boolean wide = max > 0 && Math.log10(max / min) > WIDE_DECADES;
        if (!wide) {
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setYAxisLogarithmicDecadeOnly(false);
            // XChart puts a tick at 1..9 times every power of ten: label 1, 2 and 5 of each, or only
            // the powers of ten over more than two decades, so that labels never crowd
            boolean decadesOnly = max > 0 && Math.log10(max / min) > 2;
            chart.getStyler().setYAxisTickLabelsFormattingFunction(v -> label(v, decadesOnly));
            return false;
        }
        for (XYSeries series : chart.getSeriesCollection()) {
            double[] y = series.getYData().clone();
            for (int i = 0; i < y.length; i++) {
                y[i] = y[i] > 0 ? Math.log10(y[i]) : Double.NaN;
            }
            series.replaceData(series.getXData(), y, series.getExtraValues());
        }
        chart.getStyler().setYAxisLogarithmic(false);
        chart.getStyler().setYAxisTickMarkSpacingHint(45);
        chart.getStyler().setYAxisTickLabelsFormattingFunction(LogAxis::power);
        return true;
    }

    /**
     * A tick label on a narrow log axis: plain for 0.001 to 99,999 ("0.02", "500"), powers of ten
     * beyond; only at 1, 2 and 5 times a power of ten (only at powers of ten with {@code
     * decadesOnly}), empty elsewhere.
     *
     * @param value the tick value
     * @param decadesOnly whether to label only powers of ten
     * @return the label
     */
    static String label(Double value, boolean decadesOnly) {
        double v = value;
        if (v <= 0 || !Double.isFinite(v)) {
            return "";
        }
        double mantissa = v / Math.pow(10, Math.floor(Math.log10(v) + 1e-9));
        boolean one = Math.abs(mantissa - 1) < 1e-6;
        boolean twoOrFive = Math.abs(mantissa - 2) < 1e-6 || Math.abs(mantissa - 5) < 1e-6;
        if (!one && (decadesOnly || !twoOrFive)) {
            return "";
        }
        if (v >= 1e-3 && v < 1e5) {
            return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
        }
        double exponent = Math.log10(v);
        if (Math.abs(exponent - Math.rint(exponent)) < 1e-9) {
            return power(Math.rint(exponent));
        }
        return String.format(Locale.ROOT, "%.2g", v);
    }

    /**
     * A tick label on a wide log axis, whose values are log10 of the data: "10³" at whole
     * exponents, "3.2×10³" between them (XChart needs distinct labels at the ends of the range).
     *
     * @param exponent log10 of the value
     * @return the label
     */
    static String power(Double exponent) {
        double e = exponent;
        long k = (long) Math.floor(e + 1e-9);
        if (Math.abs(e - k) < 1e-9) {
            return k == 0 ? "1" : "10" + superscript(k);
        }
        String mantissa = String.format(Locale.ROOT, "%.1f", Math.pow(10, e - k));
        return mantissa + "×10" + superscript(k);
    }

    private static String superscript(long k) {
        StringBuilder s = new StringBuilder(k < 0 ? "⁻" : "");
        for (char c : Long.toString(Math.abs(k)).toCharArray()) {
            s.append(SUPERSCRIPTS.charAt(c - '0'));
        }
        return s.toString();
    }
}
