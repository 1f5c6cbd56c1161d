package dlkit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.loss.Loss;
import dlkit.data.Augmentation;
import dlkit.data.Examples;
import dlkit.data.ImageSet;
import dlkit.data.Normalization;
import ai.djl.util.Pair;
import dlkit.engine.Engines;
import dlkit.models.Init;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Trains a DJL {@link Block} in one readable call and returns a {@link Run}.
 *
 * <pre>{@code
 * try (Run run = Fit.builder()
 *         .setBlock(mlp)
 *         .setTrainData(xTrain, yTrain)                 // resident arrays, or a RandomAccessDataset
 *         .setLoss(Loss.softmaxCrossEntropyLoss())
 *         .optValidation(xVal, yVal)
 *         .optOptimizer(Optim.adam())
 *         .optLearningRate(1e-3f)
 *         .optSchedule(Schedule.step(5, 0.5f))
 *         .optEpochs(15)
 *         .optBatchSize(128)
 *         .addEvaluator(new Accuracy())
 *         .optWeightDecay(1e-4f)                        // L2 on weights only
 *         .optSeed(42)
 *         .build().run()) {
 *     run.history();                                    // a Tablesaw table per epoch
 * }
 * }</pre>
 *
 * <p>What it does for you: checks data, model, loss and evaluators against each other before any
 * work ({@link Preflight}); seeds everything (same seed, same history on CPU); shows live progress
 * (in place in a notebook, one line per epoch in a console); writes a checkpoint after every epoch
 * and resumes from it when the same fit is run again after an interruption; stores the finished run
 * under {@code runs/} and returns it at once when a fit with the same {@link RunKey key} is asked for
 * again (use {@link Builder#optRetrain} to train anyway); stops on a NaN or infinite loss, keeping
 * the history and naming the epoch and batch.
 */
public final class Fit {

    /** Bumped whenever training results or the stored format change: old cache entries retrain. */
    static final int CACHE_FORMAT = 3; // 3: dlkit's dropout draws from per-epoch streams

    final Block block;
    final Source train;
    final Source validation;
    final Loss loss;
    final Optim optim;
    static final float DEFAULT_LEARNING_RATE = 1e-3f;
    final float learningRate;
    final Schedule schedule;
    final int epochs;
    final int batchSize;
    final List<Evaluator> evaluators;
    final float clipGradNorm;
    final float weightDecay;
    final long seed;
    final boolean shuffle;
    final Profile profile;
    final String dataIdentity;
    /** What image sets or examples given whole call themselves: provenance, not a key by itself. */
    final String dataName;
    final String name;
    final boolean cache;
    final boolean retrain;
    final Path runsDir;
    final boolean progress;
    final boolean chart;
    final List<FitListener> listeners;
    final Augmentation augmentation;
    final Init initializer;
    final List<NDArray> initialParameters;
    final List<Block> pretrained;
    /** The training images' normalisation, when they were given as an image set; null otherwise. */
    final Normalization normalization;
    final EarlyStopping earlyStopping;
    final BatchOrder batchOrder;
    /** The kept parts' values during a run (see {@link Pretrained}); set when it starts. */
    Pretrained kept;

    private Fit(Builder b) {
        block = b.block;
        loss = b.loss;
        optim = b.optim;
        learningRate = b.schedule instanceof Schedule.Piecewise
                ? ((Schedule.Piecewise) b.schedule).firstRate()
                : b.learningRate == null ? DEFAULT_LEARNING_RATE : b.learningRate;
        schedule = b.schedule;
        epochs = b.epochs;
        batchSize = b.batchSize;
        evaluators = List.copyOf(b.evaluators);
        clipGradNorm = b.clipGradNorm;
        weightDecay = b.weightDecay;
        seed = b.seed != null ? b.seed : Seeds.current();
        shuffle = b.shuffle;
        profile = b.profile != null ? b.profile : Profile.current();
        dataIdentity = b.dataIdentity;
        dataName = b.imageSetIdentity();
        name = b.name;
        cache = b.cache;
        retrain = b.retrain;
        runsDir = b.runsDir;
        progress = b.progress;
        chart = b.chart;
        listeners = List.copyOf(b.listeners);
        augmentation = b.augmentation;
        initializer = b.initializer;
        initialParameters = b.initialParameters;
        pretrained = List.copyOf(b.pretrained);
        normalization = b.trainNormalization;
        earlyStopping = b.earlyStopping;
        batchOrder = b.batchOrder;
        Engines.startQuietly();
        train = source(b.trainFeatures, b.trainLabels, b.trainDataset, "training");
        validation = b.valFeatures != null || b.valDataset != null
                ? source(b.valFeatures, b.valLabels, b.valDataset, "validation")
                : null;
    }

    private static Source source(NDArray x, NDArray y, RandomAccessDataset dataset, String what) {
        Source s = dataset != null ? new Source.FromDataset(dataset) : new Source.Resident(x, y);
        if (s.size() == 0) {
            throw new IllegalArgumentException("The " + what + " data is empty: give it at least one example.");
        }
        return s;
    }

    /**
     * Starts describing a fit.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains, or returns the cached run, or resumes from a checkpoint. Before any of it, the data,
     * model, loss and evaluators are checked against each other.
     *
     * @return the run; close it when done with the model
     * @throws IllegalArgumentException when data, model, loss or evaluators do not fit together
     */
    public Run run() {
        return FitRunner.run(this);
    }

    /**
     * Runs several independent fits, as many at a time as pays on this machine, and hands each run
     * to {@code each} in the list's order, in the calling thread, closing it afterwards.
     *
     * <p>On a machine with few cores, small models train faster side by side, one PyTorch thread
     * each, than one after another on every thread (two MNIST MLPs on 2 cores: 1.9 times the
     * work). Each run is still a function of its run key: trained beside others it gives the same
     * history and parameters as alone on the same number of PyTorch threads (with another number,
     * as with another {@code DLKIT_THREADS}, sums run in another order and differ in the last bits).
     * A fit whose training draws from libtorch's random generator
     * outside dlkit's streams (DJL's {@code Dropout}, say) trains alone, on every thread. How many
     * at a time: {@code DLKIT_PARALLEL_RUNS} ({@link Engines#parallelRuns()}); 1, or fits that share
     * a block, train one by one.
     *
     * @param fits the fits, each with its own block
     * @param each what to do with each run, for example add it to a table
     */
    public static void runEach(List<Fit> fits, Consumer<Run> each) {
        ParallelFits.runEach(fits, each, null);
    }

    /**
     * As {@link #runEach(List, Consumer)}, but a fit that ends with an exception (a listener that
     * stops it, say) does not stop the others: {@code failed} receives the exception in that fit's
     * place in the order. An interrupt still stops every fit.
     *
     * @param fits the fits, each with its own block
     * @param each what to do with each run
     * @param failed what to do with each fit's exception
     */
    public static void runEach(List<Fit> fits, Consumer<Run> each, Consumer<RuntimeException> failed) {
        ParallelFits.runEach(fits, each, Objects.requireNonNull(failed, "failed"));
    }

    /**
     * Returns the run-cache key this fit has: what {@link #run()} would look up or store, after the
     * same checks. It initialises the block and trains nothing.
     *
     * @return the key, as {@link Run#key()} would show it
     */
    public String key() {
        return FitRunner.key(this);
    }

    /**
     * The order in which a fit shuffles an epoch's examples (unless {@link Builder#optBatchOrder} or
     * {@code optShuffle(false)} says otherwise): a function of the seed and the epoch only, so the
     * same seed gives the same batches, and a resumed run the same as an uninterrupted one.
     *
     * @param seed the fit's seed
     * @param epoch the 1-based epoch
     * @param examples how many training examples
     * @return a permutation of {@code 0 .. examples-1}
     */
    public static int[] shuffledOrder(long seed, int epoch, int examples) {
        return Seeds.permutation(seed, epoch, examples);
    }

    /** The examples of one epoch in the order they are trained on, checked. */
    int[] order(int epoch) {
        int n = train.size();
        if (batchOrder == null) {
            return shuffle ? Seeds.permutation(seed, epoch, n) : TrainingLoop.identity(n);
        }
        int[] order = batchOrder.order(epoch, n);
        boolean[] seen = new boolean[n];
        if (order == null || order.length != n) {
            throw new IllegalArgumentException("optBatchOrder: epoch " + epoch + " gave " + (order == null ? "null"
                    : order.length + " indices") + "; it must give a permutation of 0.." + (n - 1));
        }
        for (int i : order) {
            if (i < 0 || i >= n || seen[i]) {
                throw new IllegalArgumentException("optBatchOrder: epoch " + epoch + " gives index " + i
                        + (i >= 0 && i < n ? " twice" : ", out of 0.." + (n - 1)) + "; it must give a permutation");
            }
            seen[i] = true;
        }
        return order;
    }

    /**
     * Where this fit stores its run: the folder given to {@link Builder#optRunsDir}, else the runs root.
     *
     * @return the runs folder
     */
    public Path runsDirectory() {
        return runsDir != null ? runsDir : RunStore.root();
    }

    /**
     * How many epochs this fit trains (fewer if early stopping or a non-finite loss ends it).
     *
     * @return the epoch budget
     */
    public int epochs() {
        return epochs;
    }

    /**
     * Whether runs are stored in and read from the run cache (and checkpointed), as set by
     * {@link Builder#optCache}.
     *
     * @return true unless the cache is off
     */
    public boolean caches() {
        return cache;
    }

    /**
     * Scores a trained model with this fit's loss and metrics on other data, e.g. a test set,
     * computed as the validation columns are (per example, in evaluation mode).
     *
     * @param trained the trained block, e.g. {@code run.block()}
     * @param data the examples
     * @param prefix the column prefix, e.g. {@code "test"}
     * @return e.g. {@code test_loss}, {@code test_mse}
     */
    public Map<String, Double> score(Block trained, Examples data, String prefix) {
        return Scoring.score(this, trained, data.features(), data.labels(), prefix);
    }

    /**
     * Scores a trained model with this fit's loss and metrics on a set of images.
     *
     * @param trained the trained block
     * @param images e.g. {@code mnist.test()}
     * @param prefix the column prefix, e.g. {@code "test"}
     * @return e.g. {@code test_loss}, {@code test_accuracy}
     */
    public Map<String, Double> score(Block trained, ImageSet images, String prefix) {
        Run.checkNormalization(normalization, images);
        return Scoring.score(this, trained, images.images(), images.labels(), prefix);
    }

    /**
     * Identity of the data for the cache key: the identity given with {@code optDataIdentity}, else
     * the contents' hashes, after the data's name for image sets and examples. Their name alone is
     * not enough: arrays can be changed in place after loading ({@code images.set(...)}, {@code
     * muli}), and the cache must not answer for data it did not train on.
     */
    String dataKey() {
        if (dataIdentity != null) {
            return dataIdentity;
        }
        return (dataName != null ? dataName + " " : "") + "sha256:" + train.contentHash()
                + (validation != null ? " val-sha256:" + validation.contentHash() : "");
    }

    /** The training settings, in the order {@link #toString()} shows them (the optimizer aside). */
    Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("lr", learningRate);
        s.put("schedule", schedule);
        s.put("epochs", epochs);
        s.put("batchSize", batchSize);
        s.put("weightDecay", weightDecay);
        s.put("clipGradNorm", clipGradNorm);
        s.put("shuffle", shuffle);
        if (batchOrder != null) {
            // What the order function returns, not what it is: its first two epochs, hashed.
            java.security.MessageDigest sha = dlkit.files.Digests.newDigest("SHA-256");
            for (int epoch = 1; epoch <= 2; epoch++) {
                for (int i : order(epoch)) {
                    sha.update(java.nio.ByteBuffer.allocate(4).putInt(i).array());
                }
            }
            s.put("batchOrder", "custom, sha256 " + dlkit.files.Digests.hex(sha.digest()).substring(0, 16));
        }
        if (augmentation != null) {
            s.put("augmentation", augmentation);
        }
        if (initializer != null) {
            s.put("initializer", initializer);
        }
        if (initialParameters != null) {
            s.put("initialParameters", "given (" + initialParameters.size() + " arrays)");
        }
        if (!pretrained.isEmpty()) {
            s.put("pretrained", pretrained.size() + (pretrained.size() == 1 ? " part" : " parts")
                    + " kept (their values are in parameters.sha256)");
        }
        if (earlyStopping != null) {
            s.put("earlyStopping", earlyStopping);
        }
        s.put("seed", seed);
        s.put("profile", profile.id());
        return s;
    }

    /** Hyper-parameters, as Tribuo trainers show them. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Fit(optimizer=").append(optim);
        settings().forEach((k, v) -> {
            if (!k.equals("profile")) {
                sb.append(", ").append(k).append('=').append(v);
            }
        });
        return sb.append(')').toString();
    }

    /** Describes a {@link Fit}: set the required parts, change the optional ones, then {@link #build()}. */
    public static final class Builder {
        private Block block;
        private NDArray trainFeatures;
        private NDArray trainLabels;
        private RandomAccessDataset trainDataset;
        private NDArray valFeatures;
        private NDArray valLabels;
        private RandomAccessDataset valDataset;
        private Loss loss;
        private Optim optim = Optim.adam();
        private Float learningRate;
        private Schedule schedule = Schedule.constant();
        private int epochs = 10;
        private int batchSize = 128;
        private final List<Evaluator> evaluators = new ArrayList<>();
        private float clipGradNorm;
        private float weightDecay;
        private Long seed;
        private boolean shuffle = true;
        private Profile profile;
        private String dataIdentity;
        private String trainIdentity;
        private String validationIdentity;
        private String name = "run";
        private boolean cache = true;
        private boolean retrain;
        private Path runsDir;
        private boolean progress = true;
        private boolean chart;
        private final List<FitListener> listeners = new ArrayList<>();
        private Augmentation augmentation;
        private Init initializer;
        private List<NDArray> initialParameters;
        private final List<Block> pretrained = new ArrayList<>();
        private Normalization trainNormalization;
        private Normalization validationNormalization;
        private EarlyStopping earlyStopping;
        private BatchOrder batchOrder;

        private Builder() {}

        /**
         * Sets the block to train; its parameters are (re)initialised from the seed.
         *
         * @param block the model
         * @return this builder
         */
        public Builder setBlock(Block block) {
            this.block = block;
            return this;
        }

        /**
         * Sets resident training data: the fast path, batches are gathered rows of these arrays.
         *
         * @param features examples along the first axis
         * @param labels one label (or label row) per example
         * @return this builder
         */
        public Builder setTrainData(NDArray features, NDArray labels) {
            this.trainFeatures = features;
            this.trainLabels = labels;
            this.trainDataset = null;
            this.trainIdentity = null;
            this.trainNormalization = null;
            return this;
        }

        /**
         * Sets a loaded image set (e.g. {@code mnist.train()} or a split's part) as resident
         * training data; the run-cache key names it by its {@code identity()} and hashes its arrays, so
         * changing them in place retrains.
         *
         * @param images the training images and labels
         * @return this builder
         */
        public Builder setTrainData(ImageSet images) {
            setTrainData(images.images(), images.labels());
            this.trainIdentity = images.identity();
            this.trainNormalization = images.normalization();
            return this;
        }

        /**
         * Sets examples held as arrays (e.g. a part of {@code Examples.split}) as resident training
         * data; the run-cache key names them by their identity and hashes their arrays.
         *
         * @param examples the training examples
         * @return this builder
         */
        public Builder setTrainData(Examples examples) {
            setTrainData(examples.features(), examples.labels());
            this.trainIdentity = examples.identity();
            this.trainNormalization = null;
            return this;
        }

        /**
         * Sets the training data as a DJL dataset (batches are stacked from single records).
         *
         * @param dataset the dataset; its own sampler is not used, {@link Fit} shuffles with its seed
         * @return this builder
         */
        public Builder setTrainData(RandomAccessDataset dataset) {
            this.trainDataset = dataset;
            this.trainFeatures = null;
            this.trainLabels = null;
            this.trainIdentity = null;
            this.trainNormalization = null;
            return this;
        }

        /**
         * Sets the loss, e.g. {@code Loss.softmaxCrossEntropyLoss()}.
         *
         * @param loss the loss
         * @return this builder
         */
        public Builder setLoss(Loss loss) {
            this.loss = loss;
            return this;
        }

        /**
         * Sets resident validation data, evaluated after every epoch.
         *
         * @param features examples along the first axis
         * @param labels one label per example
         * @return this builder
         */
        public Builder optValidation(NDArray features, NDArray labels) {
            this.valFeatures = features;
            this.valLabels = labels;
            this.valDataset = null;
            this.validationIdentity = null;
            this.validationNormalization = null;
            return this;
        }

        /**
         * Sets a loaded image set as resident validation data, named by its {@code identity()}.
         *
         * @param images the validation images and labels
         * @return this builder
         */
        public Builder optValidation(ImageSet images) {
            optValidation(images.images(), images.labels());
            this.validationIdentity = images.identity();
            this.validationNormalization = images.normalization();
            return this;
        }

        /**
         * Sets examples held as arrays as resident validation data, named by their identity.
         *
         * @param examples the validation examples
         * @return this builder
         */
        public Builder optValidation(Examples examples) {
            optValidation(examples.features(), examples.labels());
            this.validationIdentity = examples.identity();
            this.validationNormalization = null;
            return this;
        }

        /**
         * Sets validation data as a DJL dataset.
         *
         * @param dataset the dataset
         * @return this builder
         */
        public Builder optValidation(RandomAccessDataset dataset) {
            this.valDataset = dataset;
            this.valFeatures = null;
            this.valLabels = null;
            this.validationIdentity = null;
            this.validationNormalization = null;
            return this;
        }

        /**
         * Sets the optimizer (default {@link Optim#adam()}).
         *
         * @param optim the optimizer description
         * @return this builder
         */
        public Builder optOptimizer(Optim optim) {
            this.optim = Objects.requireNonNull(optim, "optimizer");
            return this;
        }

        /**
         * Sets the base learning rate (default 1e-3), which the schedule scales; a {@link
         * Schedule#piecewise} schedule gives the rates itself.
         *
         * @param learningRate a positive rate
         * @return this builder
         */
        public Builder optLearningRate(float learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /**
         * Sets the learning-rate schedule (default constant).
         *
         * @param schedule the schedule
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
         * Sets the batch size (default 128); the last batch of an epoch may be smaller.
         *
         * @param batchSize a positive number
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Adds an evaluator, e.g. {@code new Accuracy()}: columns {@code train_accuracy} and
         * {@code val_accuracy}.
         *
         * @param evaluator the evaluator
         * @return this builder
         */
        public Builder addEvaluator(Evaluator evaluator) {
            evaluators.add(Objects.requireNonNull(evaluator, "evaluator"));
            return this;
        }

        /**
         * Clips the global L2 norm of all gradients to {@code maxNorm} (like PyTorch's {@code
         * clip_grad_norm_}); 0 (default) turns clipping off.
         *
         * @param maxNorm a positive limit, or 0
         * @return this builder
         */
        public Builder optClipGradNorm(float maxNorm) {
            this.clipGradNorm = maxNorm;
            return this;
        }

        /**
         * Sets L2 weight decay, applied to weights only: biases, BatchNorm gamma/beta and running
         * statistics are not decayed (default 0).
         *
         * @param weightDecay a rate &gt;= 0, added as {@code decay * w} to each weight's gradient
         * @return this builder
         */
        public Builder optWeightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /**
         * Sets the seed for initialisation, dropout and shuffling (default {@link Seeds#current()}).
         *
         * @param seed any number
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Turns per-epoch shuffling off or on (default on).
         *
         * @param shuffle whether to shuffle
         * @return this builder
         */
        public Builder optShuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /**
         * Records the profile in the cache key (default {@link Profile#current()}).
         *
         * @param profile the profile the data and epochs were chosen for
         * @return this builder
         */
        public Builder optProfile(Profile profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
            return this;
        }

        /**
         * Names the data for the cache key instead of hashing the arrays' contents (about 0.15 s for
         * MNIST's 60,000 training images), e.g. a loaded split's {@code identity()} (dataset, file
         * checksums, subset, normalisation). It is a promise: arrays changed in place after loading
         * keep the name, and the cache would answer for the data as it was.
         *
         * @param identity a string that changes whenever the data changes
         * @return this builder
         */
        public Builder optDataIdentity(String identity) {
            this.dataIdentity = identity;
            return this;
        }

        /**
         * Names the run: its directory is {@code runs/<name>-<key>} (default {@code run}).
         *
         * @param name letters, digits, '-', '_' or '.'
         * @return this builder
         */
        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        /**
         * Turns the run cache and checkpoints off or on (default on).
         *
         * @param cache whether to store and reuse runs
         * @return this builder
         */
        public Builder optCache(boolean cache) {
            this.cache = cache;
            return this;
        }

        /**
         * Trains even when the cache holds this run (and ignores its checkpoint); the new run
         * replaces the stored one.
         *
         * @return this builder
         */
        public Builder optRetrain() {
            this.retrain = true;
            return this;
        }

        /**
         * Stores runs under this directory instead of the default {@code runs/}.
         *
         * @param dir the runs directory
         * @return this builder
         */
        public Builder optRunsDir(Path dir) {
            this.runsDir = dir;
            return this;
        }

        /**
         * Turns progress output off or on (default on).
         *
         * @param progress whether to show progress
         * @return this builder
         */
        public Builder optProgress(boolean progress) {
            this.progress = progress;
            return this;
        }

        /**
         * Shows a learning-curve chart refreshed each epoch in a notebook (default off).
         *
         * @param chart whether to show the chart
         * @return this builder
         */
        public Builder optChart(boolean chart) {
            this.chart = chart;
            return this;
        }

        /**
         * Augments each training batch (not validation batches) before the forward pass; the
         * augmentation's randomness is seeded from the run's seed, epoch and batch.
         *
         * @param augmentation the augmentation, or null for none
         * @return this builder
         */
        public Builder optAugmentation(Augmentation augmentation) {
            this.augmentation = augmentation;
            return this;
        }

        /**
         * Sets how every weight and bias starts, e.g. {@code Init.heNormal()} or {@code
         * Init.normal(0.01f).optBias(Init.normal(0.01f))}; it replaces the model's own choice.
         * Without it, DJL starts weights He-normal, N(0, 2 / fan_in), and biases at zero.
         *
         * @param initializer the initialiser, or null for the model's own
         * @return this builder
         */
        public Builder optInitializer(Init initializer) {
            this.initializer = initializer;
            this.initialParameters = null;
            return this;
        }

        /**
         * Starts from given parameter values instead of random ones: another run's trained
         * parameters ({@code otherRun.block()}) or a block initialised elsewhere, of the same
         * architecture. The values are copied; the other block is not changed.
         *
         * @param from an initialised block with the same parameter names and shapes
         * @return this builder
         */
        public Builder optInitialParameters(Block from) {
            List<NDArray> arrays = new ArrayList<>();
            for (Pair<String, Parameter> p : from.getParameters()) {
                if (p.getValue().getArray() == null) {
                    throw new IllegalArgumentException("Fit: optInitialParameters needs an initialised block, but "
                            + p.getKey() + " has no values yet: train or initialise it first");
                }
                arrays.add(p.getValue().getArray());
            }
            return optInitialParameters(arrays);
        }

        /**
         * Starts from given parameter values, one array per parameter in the order of {@code
         * block.getParameters()} (a {@code Linear} layer's weight is {@code [out, in]}, then its
         * bias {@code [out]}), e.g. the weights of a hand-written network.
         *
         * @param arrays one array per parameter
         * @return this builder
         */
        public Builder optInitialParameters(List<NDArray> arrays) {
            this.initialParameters = List.copyOf(arrays);
            this.initializer = null;
            return this;
        }

        /**
         * Keeps the values a part of the model already holds instead of starting it afresh: layers
         * trained in another run, for fine-tuning or transfer learning, e.g. a trained CNN's
         * {@code features()} under a new head. {@code part.freezeParameters(true)} then trains only
         * the rest. Parameters trained as part of another model that no part keeps are refused, not
         * silently started afresh.
         *
         * @param part a block inside this fit's model, with values
         * @return this builder
         */
        public Builder addPretrained(Block part) {
            pretrained.add(java.util.Objects.requireNonNull(part, "addPretrained: part"));
            return this;
        }

        /**
         * Sets the order of the training examples in each epoch, instead of shuffling them with the
         * seed ({@link Fit#shuffledOrder}); e.g. to train on exactly the batches of another loop.
         *
         * @param order gives each epoch's permutation, or null for the default
         * @return this builder
         */
        public Builder optBatchOrder(BatchOrder order) {
            this.batchOrder = order;
            return this;
        }

        /**
         * Stops training when a history column stops improving, e.g. {@code
         * EarlyStopping.on("val_loss").optPatience(10).optRestoreBest(true)}; the epochs set with
         * {@link #optEpochs} are then the most it trains.
         *
         * @param rule the rule, or null for none (the default)
         * @return this builder
         */
        public Builder optEarlyStopping(EarlyStopping rule) {
            this.earlyStopping = rule;
            return this;
        }

        /**
         * Adds a listener called after each batch and epoch while training.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder addListener(FitListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** The identity of image sets given whole, when every part of the data is one. */
        private String imageSetIdentity() {
            boolean hasValidation = valFeatures != null || valDataset != null;
            if (trainIdentity == null || (hasValidation && validationIdentity == null)) {
                return null;
            }
            return hasValidation ? "train=" + trainIdentity + " validation=" + validationIdentity : trainIdentity;
        }

        /**
         * Checks the description and builds the fit.
         *
         * @return the fit, ready to {@link Fit#run()}
         * @throws IllegalArgumentException naming what is missing or wrong
         */
        public Fit build() {
            require(block != null, "no model: call setBlock(block)");
            require(trainDataset != null || (trainFeatures != null && trainLabels != null),
                    "no training data: call setTrainData(features, labels) or setTrainData(dataset)");
            require(loss != null, "no loss: call setLoss(...), e.g. Loss.softmaxCrossEntropyLoss()");
            require(learningRate == null || (learningRate > 0 && Float.isFinite(learningRate)),
                    "learning rate must be positive, got " + learningRate);
            require(!(schedule instanceof Schedule.Piecewise) || learningRate == null
                            || learningRate == ((Schedule.Piecewise) schedule).firstRate(),
                    "the schedule " + schedule + " gives every epoch's rate, but optLearningRate(" + learningRate
                            + ") sets another: remove optLearningRate");
            require(batchSize > 0, "batch size must be positive, got " + batchSize);
            require(epochs > 0, "epochs must be positive, got " + epochs);
            if (schedule.rule() != null) {
                schedule.checkedRates(learningRate == null ? DEFAULT_LEARNING_RATE : learningRate, epochs);
            }
            require(weightDecay >= 0 && Float.isFinite(weightDecay), "weight decay must be >= 0, got " + weightDecay);
            require(clipGradNorm >= 0 && Float.isFinite(clipGradNorm),
                    "gradient clipping norm must be >= 0 (0 = off), got " + clipGradNorm);
            require(name != null && name.matches("[A-Za-z0-9._-]+"),
                    "run name must use letters, digits, '.', '_' or '-', got '" + name + "'");
            require(trainNormalization == null || validationNormalization == null
                    || trainNormalization.equals(validationNormalization), "the validation images are normalised with "
                    + validationNormalization + " but the training images with " + trainNormalization
                    + ": load both with the same optNormalization (the model learns the training images' scale)");
            checkPair(trainFeatures, trainLabels, "training");
            checkPair(valFeatures, valLabels, "validation");
            return new Fit(this);
        }

        private static void checkPair(NDArray features, NDArray labels, String what) {
            if (features == null) {
                return;
            }
            require(labels != null, "no " + what + " labels given");
            require(features.getShape().dimension() >= 1 && labels.getShape().dimension() >= 1,
                    what + " features and labels need an example axis");
            long n = features.getShape().get(0);
            require(n == labels.getShape().get(0), String.format(Locale.ROOT,
                    "%s features have %d examples but labels have %d: they must match",
                    what, n, labels.getShape().get(0)));
            require(n > 0, "The " + what + " data is empty: give it at least one example.");
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException("Fit: " + message);
            }
        }
    }
}
