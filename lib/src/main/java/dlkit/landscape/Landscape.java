package dlkit.landscape;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import dlkit.data.ImageSet;
import dlkit.data.Permutations;
import dlkit.display.ProgressLine;
import dlkit.engine.NoGradient;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * Evaluates a model's loss at many points of parameter space: on a grid over a {@link Plane}, along
 * a {@link Trajectory}, or on the line between two weight vectors.
 *
 * <pre>{@code
 * try (Landscape landscape = Landscape.builder()
 *         .setBlock(run.block())
 *         .setData(fashion.train())           // a seeded 2,500-example subset by default
 *         .build()) {
 *     LossSurface surface = landscape.surface(Plane.pca(path), path, 25);
 *     surface.surface3D().figure();
 * }
 * }</pre>
 *
 * <p>Fast by construction: each point's parameters are copied into the block's existing arrays in
 * place (the model is never rebuilt), and the whole subset goes through the model in one forward
 * pass without gradients. The block's own parameters are put back by {@link #close()}.
 */
public final class Landscape implements AutoCloseable {

    /** Default number of training examples the loss is estimated on (as in seed 004). */
    public static final int DEFAULT_EXAMPLES = 2_500;
    /** Default margin around the trajectory, as a fraction of its extent along each axis. */
    public static final double DEFAULT_MARGIN = 0.2;

    private final Block block;
    private final ParameterLayout layout;
    private final float[] original;
    private final NDManager manager;
    private final NDArray features;
    private final NDArray labels;
    private final Loss loss;
    private final int batchSize;
    private final ParameterStore store;

    private Landscape(Builder b) {
        block = b.block;
        layout = ParameterLayout.of(block);
        original = layout.read(block);
        loss = b.loss;
        manager = b.features.getManager().newSubManager();
        int n = (int) b.features.getShape().get(0);
        int count = Math.min(n, b.examples);
        if (count < n) {
            int[] order = Permutations.of(n, new Random(b.seed)); // the first `count` are a uniform sample
            NDArray index = manager.create(java.util.Arrays.copyOf(order, count));
            features = b.features.get(manager, new NDIndex("{}", index));
            labels = b.labels.get(manager, new NDIndex("{}", index));
        } else {
            features = b.features;
            labels = b.labels;
        }
        batchSize = b.batchSize > 0 ? b.batchSize : count;
        store = new ParameterStore(manager, false);
        loss(original); // fails early, with the model's own message, if the data does not fit
    }

    /**
     * Starts describing a landscape evaluation.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The layout of the block's trainable parameters.
     *
     * @return the layout every point must follow
     */
    public ParameterLayout layout() {
        return layout;
    }

    /**
     * The parameters the block had when this landscape was built (restored by {@link #close()}).
     *
     * @return a copy of the flat parameters
     */
    public float[] original() {
        return original.clone();
    }

    /**
     * Number of examples the loss is averaged over.
     *
     * @return the subset size
     */
    public int examples() {
        return (int) features.getShape().get(0);
    }

    /**
     * The mean loss with the given parameters loaded into the block.
     *
     * @param parameters flat parameters in {@link #layout()} order
     * @return the mean loss over the subset
     */
    public double loss(float[] parameters) {
        layout.write(parameters, block);
        int n = examples();
        double sum = 0;
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            try (NDManager batch = manager.newSubManager();
                    NoGradient scope = NoGradient.open(block)) { // a notebook cell's thread records autograd otherwise
                boolean whole = from == 0 && to == n;
                if (whole) {
                    // what the forward pass makes from an input lands in the input's manager: in the
                    // batch's, so it is freed with it (in the landscape's own, every point leaked
                    // its activations and the grid slowed down point after point)
                    features.tempAttach(batch);
                    labels.tempAttach(batch);
                }
                NDList x = new NDList(whole ? features : features.get(batch, new NDIndex("{}:{}", from, to)));
                NDList y = new NDList(whole ? labels : labels.get(batch, new NDIndex("{}:{}", from, to)));
                NDList out = block.forward(store, x, false);
                out.attach(batch);
                try (NDArray value = loss.evaluate(y, out)) {
                    // DJL losses are batch means; toArray reads a loss of one's own in float64 too
                    sum += value.toArray()[0].doubleValue() * (to - from);
                }
            }
        }
        return sum / n;
    }

    /**
     * The loss at every snapshot of a trajectory.
     *
     * @param trajectory snapshots of this model
     * @return one loss per snapshot
     */
    public double[] losses(Trajectory trajectory) {
        double[] values = new double[trajectory.size()];
        ProgressLine progress = ProgressLine.start("loss along the trajectory", values.length, "snapshots");
        for (int i = 0; i < values.length; i++) {
            values[i] = loss(trajectory.point(i));
            progress.step();
        }
        progress.done();
        return values;
    }

    /**
     * The loss on a {@code size x size} grid spanning the trajectory's coordinates in the plane plus
     * a margin of {@link #DEFAULT_MARGIN} of its extent on every side (as in seed 004), with the
     * trajectory evaluated the same way: at its projection onto the plane (the points drawn on the
     * surface, as in the seed) and at the snapshots themselves ({@link LossSurface#pathTrueLoss()}).
     *
     * @param plane e.g. {@link Plane#pca(Trajectory)}
     * @param trajectory the path to draw on the surface
     * @param size points per axis, at least 2 (25 in the seed)
     * @return the surface with its path
     */
    public LossSurface surface(Plane plane, Trajectory trajectory, int size) {
        checkPlane(plane);
        checkSize(size);
        int n = trajectory.size();
        double[] px = new double[n];
        double[] py = new double[n];
        for (int i = 0; i < n; i++) {
            double[] ab = plane.coordinates(trajectory.point(i));
            px[i] = ab[0];
            py[i] = ab[1];
        }
        double[] xRange = padded(px);
        double[] yRange = padded(py);
        long start = System.nanoTime();
        double[][] grid = grid(plane, size, xRange, yRange);
        double[] onPlane = new double[n];
        float[] point = new float[plane.dimension()];
        for (int i = 0; i < n; i++) {
            onPlane[i] = loss(plane.at(px[i], py[i], point));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new LossSurface(plane, axis(xRange, size), axis(yRange, size), grid, px, py, onPlane,
                losses(trajectory), trajectory.epochs(), examples(), seconds);
    }

    /**
     * The loss on a {@code size x size} grid over given coordinate ranges, e.g. -1 to 1 for a
     * {@link Plane#filterNormalized filter-normalised} plane.
     *
     * @param plane the plane
     * @param size points per axis, at least 2
     * @param xMin first coordinate, low end
     * @param xMax first coordinate, high end
     * @param yMin second coordinate, low end
     * @param yMax second coordinate, high end
     * @return the surface, without a path
     */
    public LossSurface surface(Plane plane, int size, double xMin, double xMax, double yMin, double yMax) {
        checkPlane(plane);
        checkSize(size);
        if (!(xMin < xMax) || !(yMin < yMax)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "coordinate ranges must go from low to high, got x %s..%s and y %s..%s", xMin, xMax, yMin, yMax));
        }
        long start = System.nanoTime();
        double[][] grid = grid(plane, size, new double[] {xMin, xMax}, new double[] {yMin, yMax});
        double seconds = (System.nanoTime() - start) / 1e9;
        return new LossSurface(plane, axis(new double[] {xMin, xMax}, size), axis(new double[] {yMin, yMax}, size),
                grid, null, null, null, null, null, examples(), seconds);
    }

    /**
     * The loss along the straight line {@code (1 - alpha) * from + alpha * to}, e.g. from the
     * initial to the trained weights (Goodfellow et al. 2015).
     *
     * @param from the weights at alpha = 0
     * @param to the weights at alpha = 1
     * @param alphaMin first alpha, e.g. -0.5
     * @param alphaMax last alpha, e.g. 1.5
     * @param points how many evenly spaced alphas, at least 2
     * @return alphas and losses
     */
    public LossLine interpolate(float[] from, float[] to, double alphaMin, double alphaMax, int points) {
        layout.requireLength(from, "the start point");
        layout.requireLength(to, "the end point");
        if (points < 2) {
            throw new IllegalArgumentException("a line needs at least 2 points, got " + points);
        }
        double[] alphas = axis(new double[] {alphaMin, alphaMax}, points);
        ProgressLine progress = ProgressLine.start("loss along the line", points, "points");
        double[] values = losses(points, k -> {
            float a = (float) alphas[k];
            float[] at = new float[from.length];
            for (int i = 0; i < at.length; i++) {
                at[i] = from[i] + a * (to[i] - from[i]);
            }
            return at;
        }, progress);
        progress.done();
        return new LossLine(alphas, values);
    }

    private double[][] grid(Plane plane, int size, double[] xRange, double[] yRange) {
        double[] xs = axis(xRange, size);
        double[] ys = axis(yRange, size);
        double[][] values = new double[size][size];
        ProgressLine progress = ProgressLine.start("loss surface (" + size + "x" + size + ")", (long) size * size,
                "points");
        double[] losses = losses(size * size, k -> plane.at(xs[k % size], ys[k / size], new float[plane.dimension()]),
                progress);
        for (int k = 0; k < losses.length; k++) {
            values[k / size][k % size] = losses[k];
        }
        progress.done();
        return values;
    }

    /**
     * The loss at each of {@code count} points, each made when it is needed (a large model's grid
     * would not fit in memory at once). Stacking many points into one wider product was tried and
     * measured no faster: one point's forward pass already runs at the matrix product's speed.
     */
    private double[] losses(int count, IntFunction<float[]> pointAt, ProgressLine progress) {
        double[] out = new double[count];
        for (int k = 0; k < count; k++) {
            out[k] = loss(pointAt.apply(k));
            progress.step();
        }
        return out;
    }

    private void checkPlane(Plane plane) {
        if (plane.dimension() != layout.size()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the plane has %,d parameters but the model has %,d trainable parameters: build the"
                            + " plane from this model's trajectory or weights", plane.dimension(), layout.size()));
        }
    }

    private static void checkSize(int size) {
        if (size < 2) {
            throw new IllegalArgumentException("the grid needs at least 2 points per axis, got " + size
                    + " (the seed uses 25)");
        }
    }

    private static double[] padded(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double margin = max > min ? DEFAULT_MARGIN * (max - min) : 1;
        return new double[] {min - margin, max + margin};
    }

    static double[] axis(double[] range, int size) {
        double[] axis = new double[size];
        for (int i = 0; i < size; i++) {
            axis[i] = range[0] + (range[1] - range[0]) * i / (size - 1);
        }
        return axis;
    }

    /** Puts the block's original parameters back and frees the subset. */
    @Override
    public void close() {
        layout.write(original, block);
        manager.close();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Landscape(%,d examples, %,d parameters, loss=%s)", examples(),
                layout.size(), loss.getName());
    }

    /** Settings for a {@link Landscape}. */
    public static final class Builder {

        private Block block;
        private NDArray features;
        private NDArray labels;
        private Loss loss = Loss.softmaxCrossEntropyLoss();
        private int examples = DEFAULT_EXAMPLES;
        private long seed = 0;
        private int batchSize;

        private Builder() {}

        /**
         * Sets the model; its current parameters are restored when the landscape is closed.
         *
         * @param block a trained (initialised) block, e.g. {@code run.block()}
         * @return this builder
         */
        public Builder setBlock(Block block) {
            this.block = block;
            return this;
        }

        /**
         * Sets the examples the loss is measured on (a subset is drawn, see {@link #optExamples}).
         *
         * @param features inputs, examples first
         * @param labels one label per example
         * @return this builder
         */
        public Builder setData(NDArray features, NDArray labels) {
            this.features = features;
            this.labels = labels;
            return this;
        }

        /**
         * Sets a loaded image set, e.g. {@code fashion.train()}.
         *
         * @param images the images and labels
         * @return this builder
         */
        public Builder setData(ImageSet images) {
            return setData(images.images(), images.labels());
        }

        /**
         * Sets how many examples (a seeded uniform sample of the data) the loss is averaged over.
         *
         * @param examples at least 1 (default {@value #DEFAULT_EXAMPLES}); all data if fewer
         * @param seed chooses the sample
         * @return this builder
         */
        public Builder optExamples(int examples, long seed) {
            if (examples < 1) {
                throw new IllegalArgumentException("examples must be at least 1, got " + examples);
            }
            this.examples = examples;
            this.seed = seed;
            return this;
        }

        /**
         * Sets the loss (default softmax cross-entropy on logits, as in training).
         *
         * @param loss the loss
         * @return this builder
         */
        public Builder optLoss(Loss loss) {
            this.loss = java.util.Objects.requireNonNull(loss, "loss");
            return this;
        }

        /**
         * Sets how many examples go through the model at once (default: the whole subset in one
         * forward pass).
         *
         * @param batchSize at least 1
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Checks the settings, draws the subset and evaluates the block once.
         *
         * @return the landscape; close it to restore the block's parameters
         */
        public Landscape build() {
            if (block == null) {
                throw new IllegalArgumentException("Landscape: no model: call setBlock(run.block())");
            }
            if (features == null || labels == null) {
                throw new IllegalArgumentException("Landscape: no data: call setData(features, labels) or"
                        + " setData(imageSet)");
            }
            if (features.getShape().get(0) != labels.getShape().get(0)) {
                throw new IllegalArgumentException("Landscape: features have " + features.getShape().get(0)
                        + " examples but labels have " + labels.getShape().get(0));
            }
            return new Landscape(this);
        }
    }
}
