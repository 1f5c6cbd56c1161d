package dlkit.scratch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dlkit.engine.NoGradient;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A two-layer sigmoid network written out by hand: the forward pass, backpropagation and the
 * gradient-descent step as plain {@code NDArray} operations, with no autograd. It is the reference
 * to read beside a framework's version of the same network.
 *
 * <p>For a batch of B examples x (B x n), weights W1 (n x h) and W2 (h x k), no biases:
 *
 * <pre>
 * forward     z1 = x W1        a1 = sigmoid(z1)          (B x h)
 *             z2 = a1 W2       a2 = sigmoid(z2)          (B x k)
 * output      d2 = a2 - y                                cross-entropy
 * error       d2 = (a2 - y) * a2 * (1 - a2)              squared error
 * hidden      d1 = (d2 W2^T) * a1 * (1 - a1)             (chain rule through W2 and the sigmoid)
 * gradients   dL/dW2 = a1^T d2 / B     dL/dW1 = x^T d1 / B
 * step        W = W - lr * dL/dW
 * </pre>
 *
 * <p>Here y holds the one-hot targets and {@code *} multiplies element by element. The two output
 * errors come from two losses, summed over the k outputs and averaged over the batch:
 *
 * <ul>
 *   <li>{@link Objective#CROSS_ENTROPY}: L = -sum_k [y log a2 + (1 - y) log(1 - a2)]. The sigmoid's
 *       derivative a2(1 - a2) cancels against the loss's, leaving d2 = a2 - y: the rule a hand-written
 *       network usually starts from (and the one in seed 003, which calls its loss "MSE").
 *   <li>{@link Objective#SQUARED_ERROR}: L = 1/2 sum_k (a2 - y)^2. Its d2 keeps the factor a2(1 - a2),
 *       which is near 0 when an output is saturated at the wrong end, so learning is slower.
 * </ul>
 *
 * <pre>{@code
 * ScratchNet net = ScratchNet.builder().setSizes(784, 128, 10).optWeightScale(0.01f).optSeed(1).build();
 * net.step(x, y, 0.005f);          // one update on a batch: x (B, 784), y one-hot (B, 10)
 * }</pre>
 *
 * <p>Weights start as N(0, 1) times the scale, drawn with {@code java.util.Random} from the seed, so
 * they are the same on every machine. {@link ScratchTrainer} runs the training loop.
 */
public final class ScratchNet implements AutoCloseable {

    /** The loss the backward pass differentiates. */
    public enum Objective {
        /** Binary cross-entropy of each sigmoid output, summed over the outputs: d2 = a2 - y. */
        CROSS_ENTROPY,
        /** Half the squared error, summed over the outputs: d2 = (a2 - y) a2 (1 - a2). */
        SQUARED_ERROR
    }

    /** The activations of a forward pass. */
    public record Forward(NDArray z1, NDArray a1, NDArray z2, NDArray a2) {}

    /** The gradients of the batch's mean loss with respect to the weights. */
    public record Gradients(NDArray w1, NDArray w2) {}

    /**
     * The mean loss and the accuracy on a set of examples.
     *
     * @param loss the mean loss
     * @param accuracy the fraction classified correctly
     */
    public record Scores(double loss, double accuracy) {}

    /**
     * What one step saw, measured before it changed the weights.
     *
     * @param loss the batch's mean loss
     * @param correct how many of the batch's examples the network classified correctly
     */
    public record Step(double loss, long correct) {}

    private final NDManager manager;
    private final NDArray w1;
    private final NDArray w2;
    private final Objective objective;

    private ScratchNet(NDManager manager, NDArray w1, NDArray w2, Objective objective) {
        this.manager = manager;
        this.w1 = w1;
        this.w2 = w2;
        this.objective = objective;
    }

    /**
     * Starts describing a network.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The input-to-hidden weights, n x h (the network's own array: steps change it).
     *
     * @return W1
     */
    public NDArray w1() {
        return w1;
    }

    /**
     * The hidden-to-output weights, h x k (the network's own array: steps change it).
     *
     * @return W2
     */
    public NDArray w2() {
        return w2;
    }

    /**
     * The loss the backward pass differentiates.
     *
     * @return the objective
     */
    public Objective objective() {
        return objective;
    }

    /**
     * The weights in the layout of DJL's {@code Linear} layers (out x in): W1 transposed, then W2
     * transposed, e.g. for {@code Fit.Builder.optInitialParameters} on the same network built from
     * DJL blocks. The copies belong to this network and are freed when it closes; training does
     * not change them.
     *
     * @return copies of W1^T and W2^T
     */
    public List<NDArray> linearWeights() {
        return List.of(copy(w1.transpose(), manager), copy(w2.transpose(), manager));
    }

    /**
     * Runs the network on a batch. The arrays belong to {@code x}'s manager.
     *
     * @param x inputs, B x n
     * @return the pre-activations and activations of both layers
     */
    public Forward forward(NDArray x) {
        NDArray z1 = x.matMul(w1);
        NDArray a1 = Activation.sigmoid(z1);
        NDArray z2 = a1.matMul(w2);
        NDArray a2 = Activation.sigmoid(z2);
        return new Forward(z1, a1, z2, a2);
    }

    /**
     * Backpropagation on a batch: the gradients of the mean loss, written out as in the class
     * comment. The arrays belong to {@code x}'s manager.
     *
     * @param x inputs, B x n
     * @param y one-hot targets, B x k
     * @param f the forward pass on {@code x}
     * @return dL/dW1 and dL/dW2
     */
    public Gradients backward(NDArray x, NDArray y, Forward f) {
        long batch = x.getShape().get(0);
        NDArray d2 = f.a2().sub(y);
        if (objective == Objective.SQUARED_ERROR) {
            d2 = d2.mul(slope(f.a2()));
        }
        NDArray w2t = w2.transpose();
        w2t.attach(x.getManager()); // freed with the batch's arrays, not kept with the weights
        NDArray d1 = d2.matMul(w2t).mul(slope(f.a1()));
        NDArray gradW2 = f.a1().transpose().matMul(d2).div(batch);
        NDArray gradW1 = x.transpose().matMul(d1).div(batch);
        return new Gradients(gradW1, gradW2);
    }

    /**
     * One gradient-descent step on a batch; its temporary arrays are freed before it returns.
     *
     * @param x inputs, B x n
     * @param y one-hot targets, B x k
     * @param learningRate the step size
     * @return the batch's loss and correct count before the step
     */
    public Step step(NDArray x, NDArray y, float learningRate) {
        try (NDManager scope = manager.newSubManager();
                NoGradient off = NoGradient.open()) {
            x.tempAttach(scope); // what is computed from x lands in the scope; x goes back afterwards
            y.tempAttach(scope);
            Forward f = forward(x);
            Step seen = new Step(loss(f, y), f.a2().argMax(1).eq(y.argMax(1)).countNonzero().getLong());
            Gradients g = backward(x, y, f);
            w1.subi(g.w1().muli(learningRate));
            w2.subi(g.w2().muli(learningRate));
            return seen;
        }
    }

    /**
     * The mean loss and accuracy on a set of examples, in one pass.
     *
     * @param x inputs, N x n (or images, flattened here)
     * @param labels class indices, N
     * @return loss and accuracy
     */
    public Scores evaluate(NDArray x, NDArray labels) {
        try (NDManager scope = manager.newSubManager();
                NoGradient off = NoGradient.open()) {
            labels.tempAttach(scope);
            NDArray y = oneHot(labels);
            Forward f = forward(rows(x, scope));
            NDArray predicted = f.a2().argMax(1).toType(DataType.INT64, false);
            NDArray truth = labels.toType(DataType.INT64, true);
            double accuracy = predicted.eq(truth).toType(DataType.FLOAT64, false).mean().getDouble();
            return new Scores(loss(f, y), accuracy);
        }
    }

    /**
     * The fraction of hidden units whose sigmoid is saturated (output below 0.01 or above 0.99,
     * where its slope is under 0.01) on a set of inputs.
     *
     * @param x inputs, N x n (or images, flattened here)
     * @return a fraction in [0, 1]
     */
    public double saturatedFraction(NDArray x) {
        try (NDManager scope = manager.newSubManager();
                NoGradient off = NoGradient.open()) {
            NDArray a1 = forward(rows(x, scope)).a1();
            return a1.lt(0.01).logicalOr(a1.gt(0.99)).toType(DataType.FLOAT64, false).mean().getDouble();
        }
    }

    /**
     * One-hot rows for class indices, in the weights' data type; they belong to the labels' manager.
     *
     * @param labels class indices, N
     * @return N x k
     */
    NDArray oneHot(NDArray labels) {
        try (NDArray indices = labels.toType(DataType.INT64, true);
                NDArray rows = indices.oneHot(Math.toIntExact(outputs()))) {
            return rows.toType(w1.getDataType(), true);
        }
    }

    /**
     * The examples as rows of this network's inputs, in its data type: a new array in {@code into}.
     *
     * @param x N examples of n values (images are flattened)
     * @param into where the rows live
     * @return N x n
     */
    NDArray rows(NDArray x, NDManager into) {
        try (NDArray view = x.reshape(x.getShape().get(0), -1)) {
            NDArray rows = view.toType(w1.getDataType(), true);
            rows.attach(into);
            return rows;
        }
    }

    long inputs() {
        return w1.getShape().get(0);
    }

    long outputs() {
        return w2.getShape().get(1);
    }

    NDManager manager() {
        return manager;
    }

    /**
     * The loss of a forward pass: summed over the outputs, averaged over the batch.
     *
     * @param f a forward pass
     * @param y its one-hot targets
     * @return the mean loss
     */
    public double loss(Forward f, NDArray y) {
        NDArray perOutput;
        if (objective == Objective.CROSS_ENTROPY) {
            // -[y log a + (1 - y) log(1 - a)] written with z (a = sigmoid(z)) so that it stays finite
            // for saturated outputs: max(z, 0) - z y + log(1 + exp(-|z|)).
            NDArray z = f.z2();
            perOutput = z.maximum(0).sub(z.mul(y)).add(Activation.softPlus(z.abs().neg()));
        } else {
            perOutput = f.a2().sub(y).square().mul(0.5);
        }
        return perOutput.sum(new int[] {1}).mean().toType(DataType.FLOAT64, false).getDouble();
    }

    /** The sigmoid's derivative from its output: a (1 - a). */
    private static NDArray slope(NDArray a) {
        return a.mul(a.neg().add(1));
    }

    private static NDArray copy(NDArray source, NDManager into) {
        NDArray c = source.duplicate();
        c.attach(into);
        source.close();
        return c;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ScratchNet(%d-%d-%d, sigmoid, no biases, %s, %s)", inputs(),
                w1.getShape().get(1), outputs(), objective.name().toLowerCase(Locale.ROOT).replace('_', ' '),
                w1.getDataType().toString().toLowerCase(Locale.ROOT));
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Describes a {@link ScratchNet}: set the sizes, change the optional parts, then {@link #build()}. */
    public static final class Builder {
        private long[] sizes;
        private float scale = 0.01f;
        private long seed;
        private Objective objective = Objective.CROSS_ENTROPY;
        private DataType dataType = DataType.FLOAT32;
        private NDArray[] weights;

        private Builder() {}

        /**
         * Sets the layer sizes, e.g. {@code setSizes(784, 128, 10)}.
         *
         * @param inputs n, values per example
         * @param hidden h, hidden units
         * @param outputs k, classes
         * @return this builder
         */
        public Builder setSizes(int inputs, int hidden, int outputs) {
            this.sizes = new long[] {inputs, hidden, outputs};
            return this;
        }

        /**
         * Sets the scale of the random starting weights, N(0, 1) times it (default 0.01).
         *
         * @param scale a positive factor
         * @return this builder
         */
        public Builder optWeightScale(float scale) {
            this.scale = scale;
            return this;
        }

        /**
         * Sets the seed of the starting weights (default 0).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the loss the backward pass differentiates (default {@link Objective#CROSS_ENTROPY}).
         *
         * @param objective the loss
         * @return this builder
         */
        public Builder optObjective(Objective objective) {
            this.objective = java.util.Objects.requireNonNull(objective, "objective");
            return this;
        }

        /**
         * Sets the number type (default float32; float64 for gradient checks).
         *
         * @param dataType FLOAT32 or FLOAT64
         * @return this builder
         */
        public Builder optDataType(DataType dataType) {
            this.dataType = java.util.Objects.requireNonNull(dataType, "data type");
            return this;
        }

        /**
         * Starts from given weights instead of random ones (copied; sizes and the data type come
         * from them).
         *
         * @param w1 n x h
         * @param w2 h x k
         * @return this builder
         */
        public Builder optWeights(NDArray w1, NDArray w2) {
            this.weights = new NDArray[] {w1, w2};
            return this;
        }

        /**
         * Checks the description and makes the network.
         *
         * @return the network, owning its weights (close it when done)
         * @throws IllegalArgumentException naming what is wrong
         */
        public ScratchNet build() {
            if (weights != null) {
                Shape a = weights[0].getShape();
                Shape b = weights[1].getShape();
                require(a.dimension() == 2 && b.dimension() == 2 && a.get(1) == b.get(0),
                        "optWeights needs W1 (n x h) and W2 (h x k), got " + a + " and " + b);
                require(weights[0].getDataType() == weights[1].getDataType(),
                        "W1 and W2 must have one data type, got " + weights[0].getDataType() + " and "
                                + weights[1].getDataType());
                NDManager manager = NDManager.newBaseManager();
                return new ScratchNet(manager, copyInto(weights[0], manager), copyInto(weights[1], manager),
                        objective);
            }
            require(sizes != null, "no sizes: call setSizes(784, 128, 10)");
            require(sizes[0] > 0 && sizes[1] > 0 && sizes[2] > 1,
                    "sizes must be positive with at least 2 outputs, got " + java.util.Arrays.toString(sizes));
            require(scale > 0 && Float.isFinite(scale), "weight scale must be positive, got " + scale);
            require(dataType == DataType.FLOAT32 || dataType == DataType.FLOAT64,
                    "data type must be FLOAT32 or FLOAT64, got " + dataType);
            Random random = new Random(seed);
            NDManager manager = NDManager.newBaseManager();
            NDArray w1 = gaussian(random, sizes[0], sizes[1], manager);
            NDArray w2 = gaussian(random, sizes[1], sizes[2], manager);
            return new ScratchNet(manager, w1, w2, objective);
        }

        private NDArray gaussian(Random random, long rows, long columns, NDManager manager) {
            double[] values = new double[Math.toIntExact(rows * columns)];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextGaussian() * scale;
            }
            try (NDArray doubles = manager.create(values, new Shape(rows, columns))) {
                return doubles.toType(dataType, true);
            }
        }

        private static NDArray copyInto(NDArray source, NDManager manager) {
            NDArray c = source.duplicate();
            c.attach(manager);
            return c;
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException("ScratchNet: " + message);
            }
        }
    }
}
