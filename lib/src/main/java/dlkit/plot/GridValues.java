package dlkit.plot;

/** Values on a rectangular grid, checked once for {@link Surface3D} and {@link ContourMap}. */
final class GridValues {

    final double[] xs;
    final double[] ys;
    /** {@code z[j][i]} is the value at {@code (xs[i], ys[j])}. */
    final double[][] z;

    GridValues(double[] xs, double[] ys, double[][] z) {
        check(xs, "x");
        check(ys, "y");
        if (z.length != ys.length) {
            throw new IllegalArgumentException("z must have one row per y value: " + ys.length + " rows, got " + z.length);
        }
        for (int j = 0; j < z.length; j++) {
            if (z[j] == null || z[j].length != xs.length) {
                throw new IllegalArgumentException("z row " + j + " must have one value per x value (" + xs.length
                        + "), got " + (z[j] == null ? "null" : z[j].length));
            }
        }
        this.xs = xs.clone();
        this.ys = ys.clone();
        this.z = new double[z.length][];
        for (int j = 0; j < z.length; j++) {
            this.z[j] = z[j].clone();
        }
    }

    private static void check(double[] axis, String name) {
        if (axis == null || axis.length < 2) {
            throw new IllegalArgumentException("a surface needs at least 2 " + name + " values (grid size >= 2), got "
                    + (axis == null ? "none" : axis.length));
        }
        for (int i = 1; i < axis.length; i++) {
            if (!(axis[i] > axis[i - 1])) {
                throw new IllegalArgumentException(name + " values must increase, but value " + i + " (" + axis[i]
                        + ") is not above the one before (" + axis[i - 1] + ")");
            }
        }
    }

    /** {min, max} over the finite values of the grid and of extra values (e.g. a path). */
    double[] range(double[] extra) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] row : z) {
            for (double v : row) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (extra != null) {
            for (double v : extra) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (min > max) {
            throw new IllegalArgumentException("the surface has no finite values to draw");
        }
        return new double[] {min, max};
    }

    /** Bilinear interpolation of the grid at (x, y), clamped to the grid's edges. */
    double at(double x, double y) {
        double fx = fraction(xs, x);
        double fy = fraction(ys, y);
        int i = Math.min(xs.length - 2, (int) fx);
        int j = Math.min(ys.length - 2, (int) fy);
        double tx = fx - i;
        double ty = fy - j;
        return (1 - ty) * ((1 - tx) * z[j][i] + tx * z[j][i + 1]) + ty * ((1 - tx) * z[j + 1][i] + tx * z[j + 1][i + 1]);
    }

    /** The fractional index of a coordinate on an increasing axis. */
    private static double fraction(double[] axis, double v) {
        if (v <= axis[0]) {
            return 0;
        }
        for (int k = 1; k < axis.length; k++) {
            if (v <= axis[k]) {
                return k - 1 + (v - axis[k - 1]) / (axis[k] - axis[k - 1]);
            }
        }
        return axis.length - 1;
    }

    static void checkPath(double[] x, double[] y, double[] z) {
        if (x.length != y.length || (z != null && z.length != x.length)) {
            throw new IllegalArgumentException("path coordinates must have the same length, got " + x.length + ", "
                    + y.length + (z != null ? " and " + z.length : ""));
        }
    }
}
