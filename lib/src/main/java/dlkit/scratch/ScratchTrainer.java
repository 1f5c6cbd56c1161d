package dlkit.scratch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dlkit.data.Examples;
import dlkit.data.ImageSet;
import dlkit.train.Fit;
import dlkit.train.History;
import dlkit.train.Recorder;
import dlkit.train.Schedule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The training loop of a {@link ScratchNet}, written to match {@link Fit}'s so that the two can be
 * compared step for step: each epoch visits the training examples in {@link Fit#shuffledOrder} for
 * the seed (the order a fit with the same {@code optSeed} uses), in consecutive batches, one step per
 * batch at the schedule's rate for the epoch. The history has Fit's columns: {@code train_loss} and
 * {@code train_accuracy} are means over the epoch's examples, each measured on its batch just before
 * that batch's step; {@code val_loss} and {@code val_accuracy} are measured after the epoch.
 *
 * <pre>{@code
 * History history = ScratchTrainer.builder()
 *         .setNet(net)
 *         .setTrainData(mnist.train())
 *         .optValidation(mnist.test())
 *         .optSchedule(Schedule.piecewise(0.005f).then(31, 0.003f).then(61, 0.001f).then(81, 0.0005f))
 *         .optEpochs(100)
 *         .optBatchSize(1)
 *         .optSeed(42)
 *         .build()
 *         .run();
 * }</pre>
 *
 * <p>Nothing is cached: the loop is the thing being studied, and it trains the network in place.
 */
public final class ScratchTrainer {

    private final ScratchNet net;
    private final NDArray trainX;
    private final NDArray trainLabels;
    private final NDArray valX;
    private final NDArray valLabels;
    private final float[] rates;
    private final int epochs;
    private final int batchSize;
    private final long seed;

    private ScratchTrainer(Builder b) {
        net = b.net;
        trainX = b.trainX;
        trainLabels = b.trainLabels;
        valX = b.valX;
        valLabels = b.valLabels;
        rates = b.schedule.rates(b.learningRate, b.epochs);
        epochs = b.epochs;
        batchSize = b.batchSize;
        seed = b.seed;
    }

    /**
     * Starts describing a training run.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains the network in place.
     *
     * @return what happened, epoch by epoch and batch by batch
     */
    public History run() {
        int n = Math.toIntExact(trainX.getShape().get(0));
        int batches = (n + batchSize - 1) / batchSize;
        Recorder recorder = Recorder.start(epochs, batches, n, List.of("accuracy"), valX != null);
        try (NDManager data = net.manager().newSubManager()) {
            NDArray x = net.rows(trainX, data);
            NDArray y = net.oneHot(trainLabels);
            y.attach(data);
            NDArray vx = valX == null ? null : net.rows(valX, data);
            for (int epoch = 1; epoch <= epochs; epoch++) {
                double lossSum = 0;
                long correct = 0;
                try (NDManager scope = data.newSubManager()) {
                    NDArray order = scope.create(java.util.Arrays.stream(Fit.shuffledOrder(seed, epoch, n))
                            .asLongStream().toArray());
                    NDArray xs = x.get(order);
                    NDArray ys = y.get(order);
                    xs.attach(scope);
                    ys.attach(scope);
                    for (int from = 0; from < n; from += batchSize) {
                        NDIndex batch = new NDIndex().addSliceDim(from, Math.min(n, from + batchSize));
                        try (NDArray xb = xs.get(batch);
                                NDArray yb = ys.get(batch)) {
                            ScratchNet.Step step = net.step(xb, yb, rates[epoch - 1]);
                            lossSum += step.loss() * xb.getShape().get(0);
                            correct += step.correct();
                            recorder.batch((float) step.loss());
                        }
                    }
                }
                Map<String, Double> row = new LinkedHashMap<>();
                row.put("train_loss", lossSum / n);
                row.put("train_accuracy", (double) correct / n);
                if (vx != null) {
                    ScratchNet.Scores val = net.evaluate(vx, valLabels);
                    row.put("val_loss", val.loss());
                    row.put("val_accuracy", val.accuracy());
                }
                row.put("lr", Double.parseDouble(Float.toString(rates[epoch - 1])));
                recorder.epochEnded(row);
            }
        }
        return recorder.history();
    }

    /** Describes a {@link ScratchTrainer}: set the network and data, change the optional parts, then {@link #build()}. */
    public static final class Builder {
        private ScratchNet net;
        private NDArray trainX;
        private NDArray trainLabels;
        private NDArray valX;
        private NDArray valLabels;
        private float learningRate = 1e-3f;
        private Schedule schedule = Schedule.constant();
        private int epochs = 10;
        private int batchSize = 1;
        private long seed;

        private Builder() {}

        /**
         * Sets the network to train (in place).
         *
         * @param net the network
         * @return this builder
         */
        public Builder setNet(ScratchNet net) {
            this.net = Objects.requireNonNull(net, "net");
            return this;
        }

        /**
         * Sets the training images (flattened to rows) and their class labels.
         *
         * @param images e.g. {@code mnist.train()}
         * @return this builder
         */
        public Builder setTrainData(ImageSet images) {
            return setTrainData(images.images(), images.labels());
        }

        /**
         * Sets the training examples and their class labels.
         *
         * @param examples features (flattened to rows) and class indices
         * @return this builder
         */
        public Builder setTrainData(Examples examples) {
            return setTrainData(examples.features(), examples.labels());
        }

        /**
         * Sets the training inputs and class labels as arrays.
         *
         * @param features one example per row (or image, flattened)
         * @param labels class indices
         * @return this builder
         */
        public Builder setTrainData(NDArray features, NDArray labels) {
            this.trainX = Objects.requireNonNull(features, "features");
            this.trainLabels = Objects.requireNonNull(labels, "labels");
            return this;
        }

        /**
         * Sets images to measure loss and accuracy on after every epoch.
         *
         * @param images e.g. {@code mnist.test()}
         * @return this builder
         */
        public Builder optValidation(ImageSet images) {
            return optValidation(images.images(), images.labels());
        }

        /**
         * Sets examples to measure loss and accuracy on after every epoch.
         *
         * @param features one example per row (or image, flattened)
         * @param labels class indices
         * @return this builder
         */
        public Builder optValidation(NDArray features, NDArray labels) {
            this.valX = Objects.requireNonNull(features, "features");
            this.valLabels = Objects.requireNonNull(labels, "labels");
            return this;
        }

        /**
         * Sets the base learning rate (default 1e-3), which the schedule scales.
         *
         * @param learningRate a positive rate
         * @return this builder
         */
        public Builder optLearningRate(float learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /**
         * Sets the learning-rate schedule (default constant), e.g. {@code Schedule.piecewise(0.005f)...}.
         *
         * @param schedule a schedule that does not depend on the loss
         * @return this builder
         */
        public Builder optSchedule(Schedule schedule) {
            this.schedule = Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        /**
         * Sets the number of epochs (default 10).
         *
         * @param epochs a positive number
         * @return this builder
         */
        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /**
         * Sets the batch size (default 1: one step per example).
         *
         * @param batchSize a positive number
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sets the seed of the example order, as {@code Fit.Builder.optSeed} (default 0).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Checks the description against the network and data, before any training.
         *
         * @return the trainer
         * @throws IllegalArgumentException naming what is wrong and how to fix it
         */
        public ScratchTrainer build() {
            require(net != null, "no network: call setNet(net)");
            require(trainX != null, "no training data: call setTrainData(mnist.train())");
            require(epochs > 0, "epochs must be positive, got " + epochs);
            require(batchSize > 0, "batch size must be positive, got " + batchSize);
            require(learningRate > 0 && Float.isFinite(learningRate), "learning rate must be positive, got "
                    + learningRate);
            checkData("training", trainX, trainLabels);
            if (valX != null) {
                checkData("validation", valX, valLabels);
            }
            try {
                schedule.rates(learningRate, epochs);
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException("ScratchTrainer: " + e.getMessage()
                        + "; give a schedule whose rates are fixed in advance", e);
            }
            return new ScratchTrainer(this);
        }

        private void checkData(String what, NDArray features, NDArray labels) {
            long n = features.getShape().get(0);
            long perExample = features.getShape().size() / Math.max(1, n);
            require(perExample == net.inputs(), "the " + what + " examples have " + perExample
                    + " values each but the network takes " + net.inputs() + ": build it with setSizes("
                    + perExample + ", hidden, classes)");
            require(labels.getShape().dimension() == 1 && labels.getShape().get(0) == n, "the " + what
                    + " labels must be one class index per example (" + n + "), got shape " + labels.getShape());
            try (NDArray values = labels.toType(ai.djl.ndarray.types.DataType.FLOAT64, true);
                    NDArray min = values.min();
                    NDArray max = values.max()) {
                double lo = min.getDouble();
                double hi = max.getDouble();
                require(lo >= 0 && hi < net.outputs(), "the " + what + " labels go from " + lo + " to " + hi
                        + " but the network has " + net.outputs() + " outputs (classes 0 to " + (net.outputs() - 1)
                        + ")");
            }
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException("ScratchTrainer: " + message);
            }
        }
    }
}
