package dlkit.eval;

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
 * Evaluates a trained block on a whole labelled set held in memory: a classification {@link
 * Evaluation} or a {@link Regression}. A model that classifies every position (a tag per step, a
 * class per pixel) is evaluated position by position ({@link Positions}). The outputs come from a
 * {@link BatchPredictor} (large batches, no autograd graph), and each kind of result is made from
 * them by its own {@code of}.
 *
 * <pre>{@code
 * Evaluation test = ModelEvaluator.builder().build().evaluate(run.block(), mnist.test());
 * Evaluation same = run.evaluate(mnist.test());                  // the same, with the defaults
 * Regression fit = ModelEvaluator.builder().build().evaluateRegression(block, x, y);
 * }</pre>
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
     * Classifies a loaded image set (e.g. {@code mnist.test()}), named by its class names.
     *
     * @param block a trained classifier whose output is {@code [batch, classes]} scores
     * @param images the images and their labels
     * @return the evaluation, with mean loss when a loss is set
     */
    public Evaluation evaluate(Block block, ImageSet images) {
        List<String> names = classNames != null ? classNames : images.classNames();
        return evaluate(block, images.images(), images.labels(), names);
    }

    /**
     * Classifies every example and evaluates the predictions.
     *
     * @param block a trained classifier whose output is {@code [batch, classes]} scores, or a class
     *     axis more than the labels for a class per position
     * @param features inputs, first axis the examples
     * @param labels class indices, shape {@code [N]}, or one per position
     * @return the evaluation, with mean loss when a loss is set
     */
    public Evaluation evaluate(Block block, NDArray features, NDArray labels) {
        return evaluate(block, features, labels, classNames);
    }

    private Evaluation evaluate(Block block, NDArray features, NDArray labels, List<String> names) {
        checkCounts(features, labels);
        try (NDArray scores = BatchPredictor.of(block).withBatchSize(batchSize).predict(features)) {
            if (scores.getShape().dimension() == 2) {
                return evaluate(scores, labels, names);
            }
            int axis = Positions.classAxis(scores.getShape(), labels.getShape());
            if (axis < 0) {
                throw new IllegalArgumentException("the block outputs " + scores.getShape() + " for labels "
                        + labels.getShape() + ": a classifier outputs [batch, classes] scores, or, for a class per"
                        + " position (a tag per step, a class per pixel), the labels' shape with a class axis;"
                        + " for a regression model use evaluateRegression");
            }
            // Each position is one classified example.
            NDList rows = Positions.rows(scores, labels, axis);
            try (NDArray rowScores = rows.get(0); NDArray rowLabels = rows.get(1)) {
                return evaluate(rowScores, rowLabels, names);
            }
        }
    }

    private Evaluation evaluate(NDArray scores, NDArray labels, List<String> names) {
        Evaluation eval = Evaluation.of(scores, labels, names);
        if (loss == null) {
            return eval;
        }
        // toArray reads a loss of one's own in float64 too
        try (NDArray value = loss.evaluate(new NDList(labels), new NDList(scores))) {
            return eval.withMeanLoss(value.toArray()[0].doubleValue());
        }
    }

    /**
     * Predicts every example and compares the predictions with the targets.
     *
     * @param block a trained regression model
     * @param features inputs, first axis the examples
     * @param targets the true values, as many per example as the model outputs
     * @return MSE, MAE, RMSE and R², per output and over all
     */
    public Regression evaluateRegression(Block block, NDArray features, NDArray targets) {
        checkCounts(features, targets);
        try (NDArray predictions = BatchPredictor.of(block).withBatchSize(batchSize).predict(features)) {
            return Regression.of(predictions, targets, classNames);
        }
    }

    private static void checkCounts(NDArray features, NDArray labels) {
        long n = features.getShape().get(0);
        if (labels.getShape().get(0) != n) {
            throw new IllegalArgumentException(
                    "features have " + n + " examples but labels have " + labels.getShape().get(0));
        }
        if (n == 0) {
            throw new IllegalArgumentException("nothing to evaluate: got 0 examples");
        }
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
         * null} reports none. For a class per position it is the mean over positions, computed on
         * one row of scores per position (the classes on axis 1, the last).
         *
         * @param loss the loss, or {@code null}
         * @return this builder
         */
        public Builder optLoss(Loss loss) {
            this.loss = loss;
            return this;
        }

        /**
         * Sets the class names (default: an image set's own, else "0", "1", ...); for regression,
         * the output names.
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
