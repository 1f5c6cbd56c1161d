package dlkit.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.RandomAccessDataset;
import dlkit.data.Examples;
import dlkit.data.ImageSet;
import dlkit.data.Normalization;
import dlkit.inspect.ModelSummary;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import dlkit.eval.BatchPredictor;
import dlkit.eval.Evaluation;
import dlkit.eval.ModelEvaluator;
import dlkit.eval.Regression;
import ai.djl.nn.Block;
import dlkit.display.MimeBundle;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The result of {@link Fit}: the trained model, its {@link History}, final metrics and where it is
 * stored. Close it (or use try-with-resources) to free the model's native memory.
 */
public final class Run implements AutoCloseable, MimeBundle {

    private final Model model;
    private final History history;
    private final Map<String, Double> metrics;
    private final String key;
    private final Path directory;
    private final boolean fromCache;
    private final String divergence;
    private final String stopped;
    private final String config;
    private final Normalization normalization;

    Run(
            Model model,
            History history,
            Map<String, Double> metrics,
            String key,
            Path directory,
            boolean fromCache,
            String divergence,
            String stopped,
            String config,
            Normalization normalization) {
        this.model = model;
        this.history = history;
        this.metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        this.key = key;
        this.directory = directory;
        this.fromCache = fromCache;
        this.divergence = divergence;
        this.stopped = stopped;
        this.config = config;
        this.normalization = normalization;
    }

    /**
     * Returns the DJL model holding the trained block, e.g. for {@code model.newPredictor(...)}.
     *
     * @return the model; closed with this run
     */
    public Model model() {
        return model;
    }

    /**
     * Returns the trained block.
     *
     * @return the block given to {@link Fit}, with trained parameters
     */
    public Block block() {
        return model.getBlock();
    }

    /**
     * The trained model's outputs for every example, in batches and without an autograd graph.
     *
     * @param features inputs of the training data's shape, first axis the examples
     * @return the outputs, e.g. {@code [N, classes]} scores of a classifier
     * @throws IllegalArgumentException if the features do not have the shape the model was trained on
     */
    public NDArray predict(NDArray features) {
        return BatchPredictor.of(block()).predict(features);
    }

    /**
     * The predicted class of every image: the index of the largest output.
     *
     * @param images e.g. {@code mnist.test()}
     * @return one class index per image
     */
    public int[] predictClasses(ImageSet images) {
        checkNormalization(normalization, images);
        return BatchPredictor.of(block()).predictClasses(images.images());
    }

    /**
     * Evaluates the trained classifier on a labelled image set, e.g. {@code mnist.test()}: accuracy,
     * top-k error, mean loss, confusion matrix, per-class table (defaults of {@link ModelEvaluator}).
     *
     * @param images the images and labels
     * @return the evaluation
     */
    public Evaluation evaluate(ImageSet images) {
        checkNormalization(normalization, images);
        return ModelEvaluator.builder().build().evaluate(block(), images);
    }

    /**
     * Images normalised otherwise than the training images give a model inputs of another scale,
     * and wrong scores without an error: refused.
     */
    static void checkNormalization(Normalization trained, ImageSet images) {
        if (trained != null && !trained.equals(images.normalization())) {
            throw new IllegalArgumentException("These images are normalised with " + images.normalization()
                    + ", but the model was trained on images normalised with " + trained + ": load them with"
                    + " optNormalization of the same kind, or the scores are wrong");
        }
    }

    /**
     * Evaluates the trained classifier on labelled arrays.
     *
     * @param features inputs, first axis the examples
     * @param labels class indices
     * @return the evaluation
     */
    public Evaluation evaluate(NDArray features, NDArray labels) {
        return ModelEvaluator.builder().build().evaluate(block(), features, labels);
    }

    /**
     * Evaluates the trained classifier on labelled examples, e.g. the test part of {@code
     * Examples.split}.
     *
     * @param examples features and class indices
     * @return the evaluation
     */
    public Evaluation evaluate(Examples examples) {
        return evaluate(examples.features(), examples.labels());
    }

    /**
     * Evaluates the trained classifier on a DJL dataset, e.g. the one it was trained on (read into
     * arrays with {@link Examples#fromDataset}, freed afterwards).
     *
     * @param dataset examples of one data array and one class index each
     * @return the evaluation
     */
    public Evaluation evaluate(RandomAccessDataset dataset) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return evaluate(Examples.fromDataset(dataset, manager));
        }
    }

    /**
     * Evaluates the trained regression model: MSE, MAE, RMSE and R², per output and over all.
     *
     * @param features inputs, first axis the examples
     * @param targets the true values
     * @return the regression metrics, with a predicted-vs-true scatter and a residual plot
     */
    public Regression evaluateRegression(NDArray features, NDArray targets) {
        return ModelEvaluator.builder().optLoss(null).build().evaluateRegression(block(), features, targets);
    }

    /**
     * Evaluates the trained regression model on examples, e.g. the test part of {@code
     * Examples.split}.
     *
     * @param examples features and true values
     * @return the regression metrics
     */
    public Regression evaluateRegression(Examples examples) {
        return evaluateRegression(examples.features(), examples.labels());
    }

    /**
     * Evaluates the trained regression model on a DJL dataset (read into arrays with {@link
     * Examples#fromDataset}, freed afterwards).
     *
     * @param dataset examples of one data array and one target array each
     * @return the regression metrics
     */
    public Regression evaluateRegression(RandomAccessDataset dataset) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return evaluateRegression(Examples.fromDataset(dataset, manager));
        }
    }

    /**
     * Several runs side by side, e.g. one per model.
     *
     * @param runs name to run, in row order
     * @return columns {@code model, parameters} (trainable), {@code epochs, seconds} and the last
     *     epoch's losses
     */
    public static Table table(Map<String, Run> runs) {
        StringColumn model = StringColumn.create("model");
        LongColumn parameters = LongColumn.create("parameters");
        IntColumn epochs = IntColumn.create("epochs");
        DoubleColumn seconds = DoubleColumn.create("seconds");
        DoubleColumn trainLoss = DoubleColumn.create("final train_loss");
        DoubleColumn valLoss = DoubleColumn.create("final val_loss");
        runs.forEach((name, run) -> {
            model.append(name);
            parameters.append(ModelSummary.trainableParameters(run.block()));
            epochs.append(run.history().epochs());
            seconds.append(run.metrics().getOrDefault("seconds", Double.NaN));
            trainLoss.append(run.metrics().getOrDefault("train_loss", Double.NaN));
            valLoss.append(run.metrics().getOrDefault("val_loss", Double.NaN));
        });
        return Table.create("runs", model, parameters, epochs, seconds, trainLoss, valLoss);
    }

    /**
     * Returns the per-epoch and per-batch history.
     *
     * @return the history
     */
    public History history() {
        return history;
    }

    /**
     * Returns the final metrics: the last epoch's losses, metrics and learning rate.
     *
     * @return column name to value, e.g. {@code val_accuracy}
     */
    public Map<String, Double> metrics() {
        return metrics;
    }

    /**
     * Returns one final metric.
     *
     * @param name e.g. {@code val_loss}
     * @return its value
     */
    public double metric(String name) {
        Double v = metrics.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no metric '" + name + "'; metrics are " + metrics.keySet());
        }
        return v;
    }

    /**
     * Tells whether this run was read from the run cache instead of trained.
     *
     * @return true for a cache hit
     */
    public boolean fromCache() {
        return fromCache;
    }

    /**
     * Returns why training stopped early (a NaN or infinite loss), if it did.
     *
     * @return the message naming the epoch and batch, or empty
     */
    public Optional<String> divergence() {
        return Optional.ofNullable(divergence);
    }

    /**
     * Returns why training ended before its last epoch under {@link EarlyStopping}, if it did.
     *
     * @return e.g. "stopped early after epoch 23: val_loss has not improved for 10 epochs (best
     *     0.0412 at epoch 13)", or empty
     */
    public Optional<String> stoppedEarly() {
        return Optional.ofNullable(stopped);
    }

    /**
     * Returns the cache key: a hash of the canonical configuration.
     *
     * @return hexadecimal key
     */
    public String key() {
        return key;
    }

    /**
     * Returns the canonical configuration the key was computed from.
     *
     * @return one {@code name=value} per line
     */
    public String config() {
        return config;
    }

    /**
     * Returns the run's directory under {@code runs/}, if it was stored.
     *
     * @return the directory, or empty when caching was off
     */
    public Optional<Path> directory() {
        return Optional.ofNullable(directory);
    }

    /** Frees the model's parameters. */
    @Override
    public void close() {
        model.close();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Run ").append(key);
        sb.append(fromCache ? " (from cache)" : "").append(": ").append(history.epochs())
                .append(history.epochs() == 1 ? " epoch" : " epochs");
        metrics.forEach((k, v) -> {
            if (!k.equals("epoch") && !k.equals("step")) {
                sb.append(", ").append(k).append('=').append(History.format(k, v));
            }
        });
        if (divergence != null) {
            sb.append(" [").append(divergence).append(']');
        }
        if (stopped != null) {
            sb.append(" [").append(stopped).append(']');
        }
        return sb.toString();
    }

    @Override
    public Map<String, String> toMimeBundle() {
        Map<String, String> bundle = new LinkedHashMap<>();
        bundle.put("text/plain", toString() + "\n" + history);
        String summary = toString().replace("&", "&amp;").replace("<", "&lt;");
        bundle.put(
                "text/html",
                String.format(Locale.ROOT, "<p>%s</p>%s", summary, history.toMimeBundle().get("text/html")));
        return bundle;
    }
}
