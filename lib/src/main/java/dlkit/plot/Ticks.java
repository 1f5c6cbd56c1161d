package dlkit.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Round tick values ("nice numbers": 1, 2 or 5 times a power of ten) and their labels. */
final class Ticks {

    private Ticks() {}

    /** Maps data values to [0, 1] over a range, linearly or on a log scale. */
    static final class Axis {
        final double min;
        final double max;
        final boolean log;

        Axis(double min, double max, boolean log) {
            if (log && !(min > 0)) {
                throw new IllegalArgumentException("a log scale needs positive values, the smallest is " + min);
            }
            this.min = min;
            this.max = max > min ? max : min + (log ? min : 1);
            this.log = log;
        }

        /** Where a value falls: 0 at min, 1 at max (not clamped). */
        double position(double value) {
            return log ? Math.log(value / min) / Math.log(max / min) : (value - min) / (max - min);
        }

        /** Tick values inside the range: round numbers, or 1-2-5 per decade on a log scale. */
        double[] ticks(int approximate) {
            if (log && max / min > 20) {
                List<Double> ticks = new ArrayList<>();
                double decade = Math.pow(10, Math.floor(Math.log10(min)));
                int[] steps = max / min > 1e4 ? new int[] {1} : new int[] {1, 2, 5};
                for (; decade <= max; decade *= 10) {
                    for (int s : steps) {
                        double v = s * decade;
                        if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) {
                            ticks.add(v);
                        }
                    }
                }
                return ticks.stream().mapToDouble(Double::doubleValue).toArray();
            }
            return nice(min, max, approximate);
        }
    }

    /**
     * Round values between min and max, about {@code approximate} of them.
     *
     * @param min low end
     * @param max high end
     * @param approximate wanted count
     * @return ascending values inside [min, max]
     */
    static double[] nice(double min, double max, int approximate) {
        if (!(max > min)) {
            return new double[] {min};
        }
        double step = step(max - min, approximate);
        double first = Math.ceil(min / step - 1e-9) * step;
        List<Double> ticks = new ArrayList<>();
        for (double v = first; v <= max + step * 1e-9; v += step) {
            ticks.add(Math.abs(v) < step * 1e-9 ? 0 : v);
        }
        return ticks.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** A step of 1, 2 or 5 times a power of ten giving about {@code approximate} intervals. */
    static double step(double span, int approximate) {
        double raw = span / Math.max(1, approximate);
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double fraction = raw / power;
        return (fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10) * power;
    }

    /**
     * Labels for tick values: evenly spaced ticks share the decimals their spacing needs ("0.5",
     * "1.0", "1.5"); uneven (log-scale) ticks each get the fewest that show them ("0.2", "1", "5").
     *
     * @param ticks ascending values
     * @return one label per value
     */
    static String[] labels(double[] ticks) {
        String[] labels = new String[ticks.length];
        double largest = 0;
        for (double t : ticks) {
            largest = Math.max(largest, Math.abs(t));
        }
        boolean even = true;
        for (int i = 2; i < ticks.length; i++) {
            even &= Math.abs((ticks[i] - ticks[i - 1]) - (ticks[1] - ticks[0])) < 1e-6 * (ticks[1] - ticks[0]);
        }
        for (int i = 0; i < ticks.length; i++) {
            if (largest >= 1e5 || (largest > 0 && largest < 1e-3)) {
                labels[i] = String.format(Locale.ROOT, "%.1e", ticks[i]);
            } else if (even && ticks.length > 1) {
                int decimals = Math.max(0, (int) Math.ceil(-Math.log10(ticks[1] - ticks[0]) - 1e-9));
                labels[i] = String.format(Locale.ROOT, "%." + Math.min(decimals, 6) + "f", ticks[i]);
            } else {
                labels[i] = new java.math.BigDecimal(ticks[i]).round(new java.math.MathContext(3))
                        .stripTrailingZeros().toPlainString();
            }
        }
        return labels;
    }
}
