package dlkit.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dlkit.engine.NoGradient;
import dlkit.engine.TorchOps;
import java.util.Objects;

/**
 * Runs a trained block over many examples in batches, in inference mode and without an autograd
 * graph, and returns its outputs (a lighter path than DJL's {@code Predictor} when the
 * inputs are already one resident array: no translator, no per-example conversion).
 *
 * <pre>{@code
 * NDArray scores = BatchPredictor.of(run.block()).predict(test.images());        // [N, classes]
 * int[] classes = BatchPredictor.of(run.block()).predictClasses(test.images());  // argmax per row
 * }</pre>
 *
 * <p>The inputs are checked against the shape the block was initialised with before anything runs,
 * so test data of the wrong shape gets a message naming both shapes.
 */
public final class BatchPredictor {

    private final Block block;
    private final int batchSize;

    private BatchPredictor(Block block, int batchSize) {
        this.block = Objects.requireNonNull(block, "block");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        this.batchSize = batchSize;
    }

    /**
     * A predictor with batches of 2048 examples.
     *
     * @param block an initialised (trained or loaded) block
     * @return the predictor
     */
    public static BatchPredictor of(Block block) {
        return new BatchPredictor(block, 2048);
    }

    /**
     * A predictor with another batch size.
     *
     * @param batchSize examples per forward pass, at least 1; larger is faster until memory runs out
     * @return a new predictor
     */
    public BatchPredictor withBatchSize(int batchSize) {
        return new BatchPredictor(block, batchSize);
    }

    /**
     * Runs every example through the block.
     *
     * @param features inputs, first axis the examples
     * @return the block's outputs for all examples, first axis the examples, float32, in the
     *     features' manager
     * @throws IllegalArgumentException if the features do not have the shape the block was built for
     */
    public NDArray predict(NDArray features) {
        checkInput(features.getShape());
        long n = features.getShape().get(0);
        NDManager manager = features.getManager();
        ParameterStore parameters = new ParameterStore(manager, false);
        boolean convolutional = TorchOps.hasConvolution(block);
        NDList parts = new NDList();
        try (NDManager work = manager.newSubManager();
                NoGradient scope = NoGradient.open(block)) { // nothing will be backpropagated
            for (long start = 0; start < n; start += batchSize) {
                long end = Math.min(n, start + batchSize);
                try (NDManager batch = work.newSubManager()) {
                    NDArray x = features.get(new NDIndex("{}:{}", start, end));
                    x.attach(batch);
                    if (convolutional) {
                        x = TorchOps.channelsLast(x, batch); // faster convolutions, same values
                    }
                    NDArray out;
                    try {
                        out = block.forward(parameters, new NDList(x), false).singletonOrThrow()
                                .stopGradient().toType(DataType.FLOAT32, true);
                    } catch (RuntimeException e) {
                        throw start == 0 ? shapeError(features.getShape(), e) : e;
                    }
                    out.attach(work);
                    parts.add(out);
                }
            }
            NDArray all = parts.size() == 1 ? parts.head().duplicate() : ai.djl.ndarray.NDArrays.concat(parts, 0);
            all.attach(manager);
            return all;
        }
    }

    /**
     * The index of the largest output of each example: the predicted class of a classifier.
     *
     * @param features inputs, first axis the examples
     * @return one class index per example
     */
    public int[] predictClasses(NDArray features) {
        try (NDArray scores = predict(features)) {
            if (scores.getShape().dimension() != 2) {
                throw new IllegalArgumentException("predicting classes needs [N, classes] outputs, the block gives "
                        + scores.getShape());
            }
            try (NDArray classes = scores.argMax(1).toType(DataType.INT32, false)) {
                return classes.toIntArray();
            }
        }
    }

    /** Checks one example's shape against the block's input shape, when the block records one. */
    private void checkInput(Shape given) {
        if (!block.isInitialized()) {
            throw new IllegalStateException("the block is not initialised: train it, load its parameters, or call"
                    + " block.initialize(manager, DataType.FLOAT32, inputShape) first");
        }
        if (given.dimension() == 0 || given.get(0) == 0) {
            throw new IllegalArgumentException("nothing to predict: got " + given);
        }
    }

    /**
     * The error for a first batch the block could not run: when the examples' shape differs from
     * the one the block was built for, that is the likely reason (blocks such as set layers take
     * other shapes, so a different shape alone is not refused).
     */
    private RuntimeException shapeError(Shape given, RuntimeException cause) {
        Shape[] expected = block.getInputShapes();
        if (expected == null || expected.length != 1 || expected[0].slice(1).equals(given.slice(1))) {
            return cause;
        }
        Shape example = expected[0].slice(1);
        return new IllegalArgumentException("the data has shape " + given.slice(1) + " per example, but the model"
                + " was built for " + example + " (batch " + given + " against " + expected[0]
                + "): give it examples of the training data's shape"
                + (given.slice(1).size() == example.size() ? ", e.g. data.reshape(" + new Shape(given.get(0))
                .addAll(example) + ")" : ""), cause);
    }
}
