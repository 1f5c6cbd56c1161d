package dlkit.analysis;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Principal component analysis of the rows of a matrix: the directions along which the rows vary
 * most, with the share of the variance each explains. Used for 2-D views of learned features and
 * codes, and for the loss landscape's trajectory directions.
 *
 * <p>The products run in DJL (PyTorch); the small symmetric eigen-problem is solved by Apache
 * Commons Math, since DJL has no eigen-solver. With fewer rows than columns (a few hundred parameter
 * snapshots of a 100k-parameter model) it decomposes the rows' Gram matrix instead of the covariance,
 * so the cost follows the smaller side.
 *
 * <pre>{@code
 * Pca pca = Pca.fit(features, 2);          // features: [N, D]
 * float[][] xy = pca.project(features);     // [N][2]
 * double[] share = pca.explainedVarianceRatio();
 * }</pre>
 */
public final class Pca {

    private final float[] mean;
    private final float[][] components;
    private final double[] variance;
    private final double totalVariance;

    private Pca(float[] mean, float[][] components, double[] variance, double totalVariance) {
        this.mean = mean;
        this.components = components;
        this.variance = variance;
        this.totalVariance = totalVariance;
    }

    /**
     * Finds the first principal components of the rows.
     *
     * @param rows the data, [N, D] with N &ge; 2 (any float type; not changed)
     * @param count how many components, 1 &le; count &le; min(N - 1, D)
     * @return the fitted analysis
     * @throws IllegalArgumentException if the shape or count is impossible
     */
    public static Pca fit(NDArray rows, int count) {
        Shape shape = rows.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("PCA needs a matrix [rows, columns], got shape " + shape
                    + "; flatten each example first, e.g. x.reshape(n, -1)");
        }
        int n = (int) shape.get(0);
        int d = (int) shape.get(1);
        if (n < 2) {
            throw new IllegalArgumentException("PCA needs at least 2 rows, got " + n);
        }
        int max = Math.min(n - 1, d);
        if (count < 1 || count > max) {
            throw new IllegalArgumentException("PCA of " + n + " rows x " + d + " columns has between 1 and "
                    + max + " components; asked for " + count);
        }
        try (NDManager m = rows.getManager().newSubManager()) {
            NDArray x = rows.toType(DataType.FLOAT64, true);
            x.attach(m);
            NDArray meanRow = x.mean(new int[] {0});
            NDArray centred = x.sub(meanRow);
            double total = centred.square().sum().getDouble() / (n - 1);
            boolean gram = n < d;
            NDArray product = gram ? centred.matMul(centred.transpose()) : centred.transpose().matMul(centred);
            int size = gram ? n : d;
            double[] flat = product.div(n - 1).toDoubleArray();
            double[][] square = new double[size][];
            for (int i = 0; i < size; i++) {
                square[i] = Arrays.copyOfRange(flat, i * size, (i + 1) * size);
            }
            RealMatrix symmetric = new Array2DRowRealMatrix(square, false);
            EigenDecomposition eigen = new EigenDecomposition(symmetric);
            double[] values = eigen.getRealEigenvalues();
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));

            float[][] directions = new float[count][];
            double[] variance = new double[count];
            for (int k = 0; k < count; k++) {
                int i = order[k];
                variance[k] = Math.max(0, values[i]);
                double[] v = eigen.getEigenvector(i).toArray();
                double[] direction;
                if (gram) {
                    // v is a direction in row space; X^T v, normalised, is the matching column direction.
                    NDArray u = centred.transpose().matMul(m.create(v).reshape(n, 1)).reshape(d);
                    double norm = u.norm().getDouble();
                    direction = norm > 0 ? u.div(norm).toDoubleArray() : new double[d];
                } else {
                    direction = v;
                }
                directions[k] = toFloats(orient(direction));
            }
            return new Pca(meanRow.toType(DataType.FLOAT32, false).toFloatArray(), directions, variance, total);
        }
    }

    /**
     * Finds the first principal components of the rows of a Java matrix.
     *
     * @param rows the data, rows[i] is one example; all rows the same length
     * @param count how many components
     * @param manager where temporary arrays live
     * @return the fitted analysis
     */
    public static Pca fit(float[][] rows, int count, NDManager manager) {
        try (NDManager m = manager.newSubManager()) {
            return fit(m.create(rows), count);
        }
    }

    /** Flips a direction so that its largest-magnitude entry is positive: a stable sign across runs. */
    private static double[] orient(double[] v) {
        int arg = 0;
        for (int i = 1; i < v.length; i++) {
            if (Math.abs(v[i]) > Math.abs(v[arg])) {
                arg = i;
            }
        }
        if (v[arg] < 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = -v[i];
            }
        }
        return v;
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /**
     * Projects rows onto the components: (row - mean) . component.
     *
     * @param rows [N, D], the same D as fitted
     * @return [N][count] coordinates
     */
    public float[][] project(NDArray rows) {
        Shape shape = rows.getShape();
        if (shape.dimension() != 2 || shape.get(1) != mean.length) {
            throw new IllegalArgumentException("rows must be [N, " + mean.length + "] like the fitted data, got "
                    + shape);
        }
        int n = (int) shape.get(0);
        float[][] out = new float[n][components.length];
        try (NDManager m = rows.getManager().newSubManager()) {
            NDArray c = m.create(components).transpose();
            float[] flat = rows.toType(DataType.FLOAT32, false).sub(m.create(mean)).matMul(c).toFloatArray();
            for (int i = 0; i < n; i++) {
                System.arraycopy(flat, i * components.length, out[i], 0, components.length);
            }
        }
        return out;
    }

    /**
     * The unit-length principal directions, largest variance first.
     *
     * @return [count][D], a copy
     */
    public float[][] components() {
        float[][] copy = new float[components.length][];
        for (int i = 0; i < components.length; i++) {
            copy[i] = components[i].clone();
        }
        return copy;
    }

    /**
     * The mean row that was subtracted before projecting.
     *
     * @return [D], a copy
     */
    public float[] mean() {
        return mean.clone();
    }

    /**
     * Variance of the data along each component (the covariance's eigenvalues).
     *
     * @return one value per component
     */
    public double[] explainedVariance() {
        return variance.clone();
    }

    /**
     * Share of the total variance along each component, in [0, 1].
     *
     * @return one value per component
     */
    public double[] explainedVarianceRatio() {
        double[] ratio = new double[variance.length];
        for (int i = 0; i < ratio.length; i++) {
            ratio[i] = totalVariance > 0 ? variance[i] / totalVariance : 0;
        }
        return ratio;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Pca(components=" + components.length + ", dims=" + mean.length
                + ", explained=[");
        double[] ratio = explainedVarianceRatio();
        for (int i = 0; i < ratio.length; i++) {
            s.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.1f%%", 100 * ratio[i]));
        }
        return s.append("])").toString();
    }
}
