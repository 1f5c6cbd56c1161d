package dlkit.eval;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import dlkit.data.ImageSet;
import dlkit.engine.NoGradient;
import dlkit.engine.TorchOps;
import java.util.List;

/**
 * Runs a DJL model over a whole labelled set held in memory and evaluates it.
 *
 * <pre>{@code
 * Evaluation eval = ModelEvaluator.builder()
 *         .optClassNames(names)
 *         .build()
 *         .evaluate(model, testImages, testLabels);
 * }</pre>
 *
 * <p>It calls {@code block.forward} in inference mode on large slices of the resident arrays, with
 * no {@code Predictor} or {@code Translator} in between, so a 10,000-image test set takes a few
 * large batches. Each batch's intermediate arrays are freed before the next.
 */
public final class ModelEvaluator {

    private final int batchSize;
    private final Loss loss;
    private final List<String> classNames;

    private ModelEvaluator(Builder builder) {
        this.batchSize = builder.batchSize;
        this.loss = builder.loss;
        this.classNames = builder.classNames;
    }

    /**
     * Starts a builder; every setting has a default.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Evaluates a model with default settings (batches of 2048, softmax cross-entropy loss,
     * classes named by index).
     *
     * @param model the model to run
     * @param features inputs, first axis the examples
     * @param labels class indices, shape {@code [N]}
     * @param classNames one name per class, or {@code null}
     * @return the evaluation, with mean loss
     */
    public static Evaluation evaluate(
            Model model, NDArray features, NDArray labels, List<String> classNames) {
        return builder().optClassNames(classNames).build().evaluate(model, features, labels);
    }

    /**
     * Evaluates a model on a loaded image set (e.g. {@code mnist.test()}) with default settings.
     *
     * @param model the model to run
     * @param images the images, their labels and class names
     * @return the evaluation, with mean loss
     */
    public static Evaluation evaluate(Model model, ImageSet images) {
        return evaluate(model, images.images(), images.labels(), images.classNames());
    }

    /**
     * Runs the model's block over every example and evaluates its outputs.
     *
     * @param model the model to run; its block must be initialised (trained or loaded)
     * @param features inputs, first axis the examples
     * @param labels class indices, shape {@code [N]}
     * @return the evaluation, with mean loss when a loss is set
     */
    public Evaluation evaluate(Model model, NDArray features, NDArray labels) {
        if (model.getBlock() == null) {
            throw new IllegalArgumentException(
                    "model '" + model.getName() + "' has no block: call model.setBlock(...) first");
        }
        return evaluate(model.getBlock(), features, labels);
    }

    /**
     * Runs a block over every example and evaluates its outputs.
     *
     * @param block an initialised block whose output is {@code [batch, classes]} scores
     * @param features inputs, first axis the examples
     * @param labels class indices, shape {@code [N]}
     * @return the evaluation, with mean loss when a loss is set
     */
    public Evaluation evaluate(Block block, NDArray features, NDArray labels) {
        long n = features.getShape().get(0);
        if (labels.getShape().get(0) != n) {
            throw new IllegalArgumentException(
                    "features have " + n + " examples but labels have " + labels.getShape().get(0));
        }
        if (n == 0) {
            throw new IllegalArgumentException("nothing to evaluate: got 0 examples");
        }
        if (!block.isInitialized()) {
            throw new IllegalStateException(
                    "the block is not initialised: train it, load its parameters, or call"
                            + " block.initialize(manager, DataType.FLOAT32, inputShape) first");
        }
        int[] intLabels = Evaluation.toIntLabels(labels);
        float[] scores = null;
        int classes = -1;
        double lossSum = 0;
        ParameterStore parameters = new ParameterStore(features.getManager(), false);
        boolean convolutional = TorchOps.hasConvolution(block);
        try (NoGradient scope = NoGradient.open()) { // no autograd graph: nothing will be backpropagated
            for (long start = 0; start < n; start += batchSize) {
                long end = Math.min(n, start + batchSize);
                try (NDManager batch = features.getManager().newSubManager()) {
                    NDArray x = features.get(new NDIndex("{}:{}", start, end));
                    NDArray y = labels.get(new NDIndex("{}:{}", start, end));
                    x.attach(batch);
                    y.attach(batch);
                    if (convolutional) {
                        x = TorchOps.channelsLast(x, batch); // faster convolutions, same values
                    }
                    NDArray out = block.forward(parameters, new NDList(x), false).singletonOrThrow();
                    out.attach(batch);
                    if (out.getShape().dimension() != 2 || out.getShape().get(0) != end - start) {
                        throw new IllegalArgumentException(
                                "the block must output [batch, classes] scores, got "
                                        + out.getShape()
                                        + " for a batch of "
                                        + (end - start));
                    }
                    if (scores == null) {
                        classes = Math.toIntExact(out.getShape().get(1));
                        scores = new float[Math.multiplyExact(Math.toIntExact(n), classes)];
                    }
                    float[] batchScores = out.toType(DataType.FLOAT32, false).toFloatArray();
                    System.arraycopy(batchScores, 0, scores, (int) start * classes, batchScores.length);
                    if (loss != null) {
                        // DJL losses return the batch mean; weight it by the batch size.
                        float batchLoss = loss.evaluate(new NDList(y), new NDList(out)).getFloat();
                        lossSum += batchLoss * (end - start);
                    }
                }
            }
        }
        return Evaluation.of(scores, classes, intLabels, classNames, loss == null ? null : lossSum / n);
    }

    @Override
    public String toString() {
        return "ModelEvaluator{batchSize=" + batchSize + ", loss=" + (loss == null ? "none" : loss.getName()) + "}";
    }

    /** Settings for a {@link ModelEvaluator}. */
    public static final class Builder {

        private int batchSize = 2048;
        private Loss loss = Loss.softmaxCrossEntropyLoss();
        private List<String> classNames;

        private Builder() {}

        /**
         * Sets how many examples go through the model at once (default 2048). Larger is faster
         * until memory runs out.
         *
         * @param batchSize examples per forward pass, at least 1
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sets the loss whose mean is reported (default softmax cross-entropy on logits); {@code
         * null} reports none.
         *
         * @param loss the loss, or {@code null}
         * @return this builder
         */
        public Builder optLoss(Loss loss) {
            this.loss = loss;
            return this;
        }

        /**
         * Sets the class names (default "0", "1", ...).
         *
         * @param classNames one name per output column
         * @return this builder
         */
        public Builder optClassNames(List<String> classNames) {
            this.classNames = classNames == null ? null : List.copyOf(classNames);
            return this;
        }

        /**
         * Builds the evaluator.
         *
         * @return a new evaluator
         */
        public ModelEvaluator build() {
            return new ModelEvaluator(this);
        }
    }
}
