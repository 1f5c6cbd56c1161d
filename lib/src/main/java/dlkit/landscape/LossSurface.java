package dlkit.landscape;

import dlkit.plot.ContourMap;
import dlkit.plot.Surface3D;
import java.util.Locale;

/**
 * The loss on a grid over a {@link Plane}, and optionally a training path evaluated the same way;
 * made by {@link Landscape}. {@link #surface3D()} and {@link #contour()} give ready-labelled plots.
 */
public final class LossSurface {

    private final Plane plane;
    private final double[] xs;
    private final double[] ys;
    private final double[][] loss;
    private final double[] pathX;
    private final double[] pathY;
    private final double[] pathLoss;
    private final double[] pathTrueLoss;
    private final double[] pathEpochs;
    private final int examples;
    private final double seconds;

    LossSurface(Plane plane, double[] xs, double[] ys, double[][] loss, double[] pathX, double[] pathY,
            double[] pathLoss, double[] pathTrueLoss, double[] pathEpochs, int examples, double seconds) {
        this.plane = plane;
        this.xs = xs;
        this.ys = ys;
        this.loss = loss;
        this.pathX = pathX;
        this.pathY = pathY;
        this.pathLoss = pathLoss;
        this.pathTrueLoss = pathTrueLoss;
        this.pathEpochs = pathEpochs;
        this.examples = examples;
        this.seconds = seconds;
    }

    /**
     * The plane the grid lies in.
     *
     * @return the plane
     */
    public Plane plane() {
        return plane;
    }

    /**
     * Grid coordinates along the plane's first direction.
     *
     * @return a copy
     */
    public double[] xs() {
        return xs.clone();
    }

    /**
     * Grid coordinates along the plane's second direction.
     *
     * @return a copy
     */
    public double[] ys() {
        return ys.clone();
    }

    /**
     * The loss at each grid point: {@code loss()[j][i]} is at {@code (xs()[i], ys()[j])}.
     *
     * @return a copy
     */
    public double[][] loss() {
        double[][] copy = new double[loss.length][];
        for (int j = 0; j < loss.length; j++) {
            copy[j] = loss[j].clone();
        }
        return copy;
    }

    /**
     * Whether a training path was evaluated with the grid.
     *
     * @return true for surfaces made around a trajectory
     */
    public boolean hasPath() {
        return pathX != null;
    }

    /**
     * The path's coordinates along the first direction.
     *
     * @return a copy, empty without a path
     */
    public double[] pathX() {
        return pathX == null ? new double[0] : pathX.clone();
    }

    /**
     * The path's coordinates along the second direction.
     *
     * @return a copy, empty without a path
     */
    public double[] pathY() {
        return pathY == null ? new double[0] : pathY.clone();
    }

    /**
     * The loss at each snapshot's projection onto the plane: the path as drawn on the surface.
     *
     * @return a copy, empty without a path
     */
    public double[] pathLoss() {
        return pathLoss == null ? new double[0] : pathLoss.clone();
    }

    /**
     * The loss at each snapshot itself. It differs from {@link #pathLoss()} by what the two
     * directions leave out: the farther the trajectory is from the plane, the more.
     *
     * @return a copy, empty without a path
     */
    public double[] pathTrueLoss() {
        return pathTrueLoss == null ? new double[0] : pathTrueLoss.clone();
    }

    /**
     * The fractional epoch of each snapshot of the path.
     *
     * @return a copy, empty without a path
     */
    public double[] pathEpochs() {
        return pathEpochs == null ? new double[0] : pathEpochs.clone();
    }

    /**
     * The smallest loss on the grid.
     *
     * @return the minimum over finite values
     */
    public double min() {
        return finite().min().orElse(Double.NaN);
    }

    /**
     * The largest finite loss on the grid.
     *
     * @return the maximum over finite values
     */
    public double max() {
        return finite().max().orElse(Double.NaN);
    }

    private java.util.stream.DoubleStream finite() {
        return java.util.Arrays.stream(loss).flatMapToDouble(java.util.Arrays::stream).filter(Double::isFinite);
    }

    /**
     * Number of examples each loss is averaged over.
     *
     * @return the subset size
     */
    public int examples() {
        return examples;
    }

    /**
     * Wall time spent evaluating the grid (and the path).
     *
     * @return seconds
     */
    public double seconds() {
        return seconds;
    }

    /**
     * A 3-D view of the surface with the path on it, axes titled after the plane.
     *
     * @return a renderer to adjust (view angle, size, title) before {@code figure()}
     */
    public Surface3D surface3D() {
        Surface3D plot = Surface3D.of(xs, ys, loss)
                .labels(plane.xLabel(), plane.yLabel(), "loss")
                .title(String.format(Locale.ROOT, "Training loss (%,d examples)", examples));
        return hasPath() ? plot.path(pathX, pathY, pathLoss) : plot;
    }

    /**
     * A contour map of the surface with the path drawn on it.
     *
     * @return a renderer to adjust before {@code figure()}
     */
    public ContourMap contour() {
        ContourMap plot = ContourMap.of(xs, ys, loss)
                .labels(plane.xLabel(), plane.yLabel(), "loss")
                .title(String.format(Locale.ROOT, "Training loss (%,d examples)", examples));
        return hasPath() ? plot.path(pathX, pathY) : plot;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LossSurface(%dx%d on %s x %s, loss %.3f to %.3f%s, %,d examples, %.1f s)",
                xs.length, ys.length, plane.xLabel(), plane.yLabel(), min(), max(),
                hasPath() ? String.format(Locale.ROOT, ", path of %d points from %.3f to %.3f", pathX.length,
                        pathLoss[0], pathLoss[pathLoss.length - 1]) : "",
                examples, seconds);
    }
}
