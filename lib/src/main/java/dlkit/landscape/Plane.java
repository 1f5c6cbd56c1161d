package dlkit.landscape;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dlkit.analysis.Pca;
import java.util.Locale;
import java.util.Random;

/**
 * A 2-D slice of parameter space: an origin and two directions, so the point at coordinates
 * {@code (a, b)} is {@code origin + a * x + b * y}.
 *
 * <ul>
 *   <li>{@link #pca(Trajectory)}: the two directions along which training moved most (seed 004,
 *       Problem 3), centred on the trajectory's mean like {@code sklearn}'s {@code
 *       inverse_transform}.
 *   <li>{@link #filterNormalized(ParameterLayout, float[], long)}: two random directions around the
 *       trained weights, scaled filter by filter (Li et al. 2018).
 * </ul>
 */
public final class Plane {

    private final float[] origin;
    private final float[] x;
    private final float[] y;
    private final String xLabel;
    private final String yLabel;
    private final double[] explained;
    // Gram matrix of the directions, to find a point's coordinates by least squares.
    private final double xx;
    private final double xy;
    private final double yy;

    private Plane(float[] origin, float[] x, float[] y, String xLabel, String yLabel, double[] explained) {
        if (origin.length != x.length || origin.length != y.length) {
            throw new IllegalArgumentException("origin and directions must have the same length, got "
                    + origin.length + ", " + x.length + " and " + y.length);
        }
        this.origin = origin;
        this.x = x;
        this.y = y;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.explained = explained;
        xx = dot(x, x);
        xy = dot(x, y);
        yy = dot(y, y);
        if (xx * yy - xy * xy <= 1e-12 * xx * yy || xx == 0 || yy == 0) {
            throw new IllegalArgumentException("the two directions must be non-zero and not parallel");
        }
    }

    /**
     * A plane from explicit vectors.
     *
     * @param origin the point at (0, 0)
     * @param x the first direction
     * @param y the second direction
     * @param xLabel axis title for the first direction
     * @param yLabel axis title for the second direction
     * @return the plane (the arrays are copied)
     */
    public static Plane of(float[] origin, float[] x, float[] y, String xLabel, String yLabel) {
        return new Plane(origin.clone(), x.clone(), y.clone(), xLabel, yLabel, null);
    }

    /**
     * The plane of the trajectory's first two principal components, through its mean snapshot.
     * Uses {@link Pca} (the Gram-matrix route: a few hundred snapshots of many parameters).
     *
     * @param trajectory at least 3 snapshots
     * @return the plane; axis titles carry the explained variance, e.g. "PC1 (91.2%)"; PC1 points
     *     from the first snapshot towards the last
     * @throws IllegalArgumentException with fewer than 3 snapshots
     */
    public static Plane pca(Trajectory trajectory) {
        if (trajectory.size() < 3) {
            throw new IllegalArgumentException("the PCA plane needs a trajectory of at least 3 snapshots, got "
                    + trajectory.size() + ": record more snapshots per epoch (Trajectory.recorder(block, perEpoch))"
                    + " or train for more epochs");
        }
        Pca pca;
        try (NDManager manager = NDManager.newBaseManager()) {
            pca = Pca.fit(trajectory.rows(), 2, manager);
        }
        double[] ratio = pca.explainedVarianceRatio();
        float[][] c = pca.components();
        // A component's sign is arbitrary: point PC1 from the start of training towards its end, so
        // that every such plot reads the same way (and the default 3-D view shows the descent).
        float[] first = trajectory.first();
        float[] last = trajectory.last();
        double progress = 0;
        for (int i = 0; i < first.length; i++) {
            progress += (double) (last[i] - first[i]) * c[0][i];
        }
        if (progress < 0) {
            for (int i = 0; i < c[0].length; i++) {
                c[0][i] = -c[0][i];
            }
        }
        return new Plane(pca.mean(), c[0], c[1], String.format(Locale.ROOT, "PC1 (%.1f%%)", 100 * ratio[0]),
                String.format(Locale.ROOT, "PC2 (%.1f%%)", 100 * ratio[1]), ratio);
    }

    /**
     * Two random Gaussian directions with filter normalisation (Li et al. 2018, "Visualizing the
     * Loss Landscape of Neural Nets"), centred on the given weights: for each weight tensor, each
     * filter (row of a dense layer's {@code [out, in]} weight, output channel of a convolution)
     * of the direction is scaled to the norm of the same filter of the weights; biases and other
     * 1-D parameters get 0. Distances then mean the same in every layer, whatever its scale.
     *
     * @param layout the parameter layout
     * @param center the weights at (0, 0), usually the trained ones
     * @param seed seeds the random directions
     * @return the plane, axes titled "random direction 1" and "random direction 2"
     */
    public static Plane filterNormalized(ParameterLayout layout, float[] center, long seed) {
        layout.requireLength(center, "the centre");
        Random random = new Random(seed);
        float[] d1 = filterNormalizedDirection(layout, center, random);
        float[] d2 = filterNormalizedDirection(layout, center, random);
        return new Plane(center.clone(), d1, d2, "random direction 1", "random direction 2", null);
    }

    static float[] filterNormalizedDirection(ParameterLayout layout, float[] weights, Random random) {
        float[] d = new float[layout.size()];
        for (int p = 0; p < layout.count(); p++) {
            Shape shape = layout.shape(p);
            if (shape.dimension() < 2) {
                continue; // biases, norm scales: left at 0, as in the paper
            }
            int filters = (int) shape.get(0);
            int length = (int) (shape.size() / filters);
            for (int f = 0; f < filters; f++) {
                int start = layout.offset(p) + f * length;
                double dNorm = 0;
                double wNorm = 0;
                for (int i = start; i < start + length; i++) {
                    d[i] = (float) random.nextGaussian();
                    dNorm += d[i] * d[i];
                    wNorm += weights[i] * weights[i];
                }
                double scale = dNorm > 0 ? Math.sqrt(wNorm / dNorm) : 0;
                for (int i = start; i < start + length; i++) {
                    d[i] *= (float) scale;
                }
            }
        }
        return d;
    }

    /**
     * The parameters at coordinates (a, b).
     *
     * @param a along the first direction
     * @param b along the second direction
     * @return a new flat vector
     */
    public float[] at(double a, double b) {
        return at(a, b, new float[origin.length]);
    }

    /**
     * The parameters at coordinates (a, b), written into a given vector (no allocation per point).
     *
     * @param a along the first direction
     * @param b along the second direction
     * @param into where to write, of the plane's length
     * @return {@code into}
     */
    public float[] at(double a, double b, float[] into) {
        float fa = (float) a;
        float fb = (float) b;
        for (int i = 0; i < into.length; i++) {
            into[i] = origin[i] + fa * x[i] + fb * y[i];
        }
        return into;
    }

    /**
     * The coordinates of the point of the plane nearest to the given parameters (least squares;
     * for orthonormal PCA directions, the projection).
     *
     * @param point flat parameters of the plane's length
     * @return {a, b}
     */
    public double[] coordinates(float[] point) {
        if (point.length != origin.length) {
            throw new IllegalArgumentException("the point has " + point.length + " values, the plane "
                    + origin.length);
        }
        double px = 0;
        double py = 0;
        for (int i = 0; i < point.length; i++) {
            double v = point[i] - origin[i];
            px += v * x[i];
            py += v * y[i];
        }
        double det = xx * yy - xy * xy;
        return new double[] {(yy * px - xy * py) / det, (xx * py - xy * px) / det};
    }

    /**
     * How far a point is from the plane, relative to its distance from the origin: 0 when it lies
     * in the plane, near 1 when the plane shows almost nothing of how it differs from the origin.
     *
     * @param point flat parameters
     * @return the relative residual, in [0, 1]
     */
    public double residual(float[] point) {
        double[] ab = coordinates(point);
        double off = 0;
        double total = 0;
        for (int i = 0; i < point.length; i++) {
            double v = point[i] - origin[i];
            double r = v - ab[0] * x[i] - ab[1] * y[i];
            off += r * r;
            total += v * v;
        }
        return total > 0 ? Math.sqrt(off / total) : 0;
    }

    /**
     * Number of parameters.
     *
     * @return the length of every point of the plane
     */
    public int dimension() {
        return origin.length;
    }

    /**
     * The point at (0, 0).
     *
     * @return a copy
     */
    public float[] origin() {
        return origin.clone();
    }

    /**
     * Title of the first axis.
     *
     * @return e.g. "PC1 (91.2%)"
     */
    public String xLabel() {
        return xLabel;
    }

    /**
     * Title of the second axis.
     *
     * @return e.g. "PC2 (5.3%)"
     */
    public String yLabel() {
        return yLabel;
    }

    /**
     * For a PCA plane, the share of the trajectory's variance along each direction.
     *
     * @return {PC1, PC2} ratios in [0, 1], or an empty array for other planes
     */
    public double[] explainedVarianceRatio() {
        return explained == null ? new double[0] : explained.clone();
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    @Override
    public String toString() {
        return "Plane(" + xLabel + " x " + yLabel + ", " + String.format(Locale.ROOT, "%,d", origin.length)
                + " parameters)";
    }
}
