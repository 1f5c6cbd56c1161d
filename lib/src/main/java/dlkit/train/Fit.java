package dlkit.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.loss.L1Loss;
import ai.djl.training.loss.L2Loss;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import ai.djl.util.Pair;
import dlkit.data.Augmentation;
import dlkit.data.ImageSet;
import dlkit.engine.Engines;
import dlkit.engine.NoGradient;
import dlkit.engine.TorchOps;
import dlkit.files.AtomicFiles;
import dlkit.files.Digests;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;

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
 *         .optEvaluator(new Accuracy())
 *         .optWeightDecay(1e-4f)                        // L2 on weights only
 *         .optSeed(42)
 *         .fit()) {
 *     run.history();                                    // a Tablesaw table per epoch
 * }
 * }</pre>
 *
 * <p>What it does for you: seeds everything (same seed, same history on CPU); shows live progress
 * (in place in a notebook, one line per epoch in a console); writes a checkpoint after every epoch
 * and resumes from it when the same fit is run again after an interruption; stores the finished run
 * under {@code runs/} and returns it at once when an identical fit is asked for again (use {@link
 * Builder#optRetrain} to train anyway); stops on a NaN or infinite loss, keeping the history and
 * naming the epoch and batch.
 */
public final class Fit {

    /** Bumped whenever training results or the stored format change: old cache entries retrain. */
    static final int CACHE_FORMAT = 1;

    /** The dlkit version recorded in provenance and in the cache key. */
    public static final String VERSION = "0.1.0";

    private final Block block;
    /** Whether batches go to the block in the channels-last layout (it has convolutions). */
    private final boolean convolutional;
    private final Source train;
    private final Source validation;
    private final Loss loss;
    private final Optim optim;
    private final float learningRate;
    private final Schedule schedule;
    private final int epochs;
    private final int batchSize;
    private final List<Evaluator> evaluators;
    private final float clipGradNorm;
    private final float weightDecay;
    private final long seed;
    private final boolean shuffle;
    private final Profile profile;
    private final String dataIdentity;
    private final String name;
    private final boolean cache;
    private final boolean retrain;
    private final Path runsDir;
    private final boolean progress;
    private final boolean chart;
    private final List<FitListener> listeners;
    private final Augmentation augmentation;

    private Fit(Builder b) {
        block = b.block;
        convolutional = TorchOps.hasConvolution(block);
        loss = b.loss;
        optim = b.optim;
        learningRate = b.learningRate;
        schedule = b.schedule;
        epochs = b.epochs;
        batchSize = b.batchSize;
        evaluators = List.copyOf(b.evaluators);
        clipGradNorm = b.clipGradNorm;
        weightDecay = b.weightDecay;
        seed = b.seed != null ? b.seed : Seeds.current();
        shuffle = b.shuffle;
        profile = b.profile != null ? b.profile : Profile.current();
        dataIdentity = b.dataIdentity != null ? b.dataIdentity : b.imageSetIdentity();
        name = b.name;
        cache = b.cache;
        retrain = b.retrain;
        runsDir = b.runsDir;
        progress = b.progress;
        chart = b.chart;
        listeners = List.copyOf(b.listeners);
        augmentation = b.augmentation;
        Engines.startQuietly();
        train = source(b.trainFeatures, b.trainLabels, b.trainDataset, "training");
        validation = b.valFeatures != null || b.valDataset != null
                ? source(b.valFeatures, b.valLabels, b.valDataset, "validation")
                : null;
    }

    private Source source(NDArray x, NDArray y, RandomAccessDataset dataset, String what) {
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
     * Trains (or returns the cached run, or resumes from a checkpoint).
     *
     * @return the run; close it when done with the model
     */
    public Run run() {
        Model model = Model.newInstance(name, Device.cpu());
        model.setBlock(block);
        boolean returned = false;
        try {
            initialize(model);
            String config = config();
            String key = Digests.sha256(config.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
            Path dir = cache ? (runsDir != null ? runsDir : RunStore.root()).resolve(name + "-" + key) : null;
            Run run = null;
            if (dir != null && !retrain && RunStore.complete(dir)) {
                run = loadCached(model, dir, key, config);
            }
            if (run == null) {
                boolean fusedLoss = checkFits(model);
                run = train(model, dir, key, config, fusedLoss);
            }
            returned = true;
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!returned) {
                model.close();
            }
        }
    }

    /** Fresh, seeded parameters: the same seed gives the same initial model. */
    private void initialize(Model model) {
        for (Parameter p : block.getParameters().values()) {
            p.close(); // a block fitted before keeps its arrays otherwise: start from scratch
        }
        Seeds.seedEngine(seed);
        Shape input = train.inputShape(Math.min(batchSize, train.size()));
        try {
            block.initialize(model.getNDManager(), DataType.FLOAT32, input);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "The model cannot take the training data: features have shape "
                            + input
                            + " (batch first). Check the model's input layer or reshape the data. ("
                            + e.getMessage()
                            + ")",
                    e);
        }
    }

    /** Loaded arrays come without gradients; training needs them on trainable parameters. */
    private void trackGradients() {
        for (Parameter p : block.getParameters().values()) {
            if (p.requiresGradient()) {
                p.getArray().setRequiresGradient(true);
            }
        }
    }

    /**
     * Runs one small batch forward to report shape and class-count mistakes before training.
     *
     * @return whether {@link TorchOps#crossEntropy} computes this fit's loss (see {@link #fusedLossApplies})
     */
    private boolean checkFits(Model model) {
        int n = Math.min(2, train.size());
        int[] order = new int[] {0, 1};
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDList[] xy = train.batch(m, order, 0, n);
            NDList out;
            try {
                out = block.forward(new ai.djl.training.ParameterStore(m, false), xy[0], false);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "Shape mismatch between model and data: features of shape "
                                + xy[0].head().getShape()
                                + " do not go through the model. ("
                                + e.getMessage()
                                + ")",
                        e);
            }
            Shape predicted = out.head().getShape();
            Shape labels = xy[1].head().getShape();
            if (loss instanceof SoftmaxCrossEntropyLoss && labels.dimension() <= 2 && labels.size() == n) {
                long classes = predicted.get(predicted.dimension() - 1);
                double maxLabel = Math.max(train.maxLabel(), validation != null ? validation.maxLabel() : Double.NaN);
                if (Double.isNaN(maxLabel)) {
                    try (NDArray max = xy[1].head().max()) {
                        maxLabel = max.toType(DataType.FLOAT64, false).getDouble();
                    }
                }
                if (maxLabel >= classes) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "Wrong class count: labels go up to %.0f (so at least %.0f classes) but the model"
                                    + " outputs %d values per example. Make the last layer's output size"
                                    + " the number of classes.",
                            maxLabel, maxLabel + 1, classes));
                }
            } else if ((loss instanceof L2Loss || loss instanceof L1Loss) && !predicted.equals(labels)) {
                throw new IllegalArgumentException(
                        "Shape mismatch between model output "
                                + predicted
                                + " and labels "
                                + labels
                                + ": an L1/L2 loss compares them element by element.");
            }
            float reference;
            try {
                reference = loss.evaluate(xy[1], out).getFloat();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "The loss "
                                + loss.getName()
                                + " cannot compare model output "
                                + predicted
                                + " with labels "
                                + labels
                                + ". ("
                                + e.getMessage()
                                + ")",
                        e);
            }
            return fusedLossApplies(out, xy[1], reference, m);
        }
    }

    /**
     * Whether this fit's loss is DJL's softmax cross-entropy with its defaults (class axis last,
     * logits, sparse labels, weight 1), which {@link TorchOps#crossEntropy} computes in 2 native
     * calls instead of 6 or so. DJL keeps those settings private, so they are checked by value: the
     * two losses must agree on the check batch.
     */
    private boolean fusedLossApplies(NDList out, NDList labels, float reference, NDManager m) {
        if (!(loss instanceof SoftmaxCrossEntropyLoss) || !TorchOps.available() || out.size() != 1 || labels.size() != 1
                || out.head().getShape().dimension() != 2 || labels.head().size() != out.head().getShape().get(0)) {
            return false;
        }
        try {
            float fused = TorchOps.crossEntropy(out.head(), labels.head(), m).getFloat();
            return Math.abs(fused - reference) <= 1e-5f * Math.max(1f, Math.abs(reference));
        } catch (RuntimeException e) {
            return false; // labels DJL's pick accepts but PyTorch's does not (e.g. negative): keep DJL's
        }
    }

    /** The batch's loss, fused where {@link #fusedLossApplies} said so. */
    private NDArray lossOf(NDList labels, NDList predictions, boolean fused, NDManager m) {
        return fused
                ? TorchOps.crossEntropy(predictions.singletonOrThrow(), labels.singletonOrThrow(), m)
                : loss.evaluate(labels, predictions);
    }

    private Run train(Model model, Path dir, String key, String config, boolean fusedLoss) throws IOException {
        List<String> metricNames = new ArrayList<>();
        for (Evaluator e : evaluators) {
            metricNames.add(History.columnName(e.getName()));
        }
        History history = new History(metricNames, validation != null);
        Schedule.Plan plan = schedule.start(learningRate, epochs);
        float[] lr = {learningRate};
        Map<String, String> idToName = new HashMap<>();
        Map<String, String> nameToId = new HashMap<>();
        List<Parameter> decayed = new ArrayList<>();
        Set<String> decayedIds = new HashSet<>();
        List<Parameter> trained = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            idToName.put(p.getValue().getId(), p.getKey());
            nameToId.put(p.getKey(), p.getValue().getId());
            if (p.getValue().requiresGradient()) {
                trained.add(p.getValue());
                if (p.getValue().getType() == Parameter.Type.WEIGHT) {
                    decayed.add(p.getValue());
                    decayedIds.add(p.getValue().getId());
                }
            }
        }
        StatefulOptimizer optimizer = optim.build((id, n) -> lr[0], decayedIds);

        int firstEpoch = 1;
        int step = 0;
        double secondsBefore = 0;
        Path checkpoint = dir == null ? null : dir.resolve(RunStore.CHECKPOINT);
        if (retrain && dir != null) {
            RunStore.clear(dir);
        }
        if (checkpoint != null && Files.exists(checkpoint)) {
            try {
                Resumed r = readCheckpoint(checkpoint, key, model, optimizer, nameToId, plan);
                history.copyFrom(r.history);
                firstEpoch = r.epoch + 1;
                step = r.step;
                secondsBefore = r.seconds;
                Progress.message("dlkit: resuming " + dir.getFileName() + " after epoch " + r.epoch);
            } catch (IOException | RuntimeException e) {
                Progress.message("dlkit: checkpoint " + checkpoint + " is unusable (" + e.getMessage()
                        + "); training from the start.");
                initialize(model);
                optimizer.close();
            }
        }

        int n = train.size();
        int batches = (n + batchSize - 1) / batchSize;
        int chunkBatches = chunkBatches(train.inputShape(batchSize));
        Progress display = progress ? new Progress(epochs, batches, history.columns(), chart) : null;
        String divergence = null;
        DefaultTrainingConfig trainingConfig =
                new DefaultTrainingConfig(loss).optOptimizer(optimizer).optDevices(new Device[] {Device.cpu()});
        FitListener.Start started = new FitListener.Start(block, key, dir, firstEpoch, epochs, batches);
        for (FitListener l : listeners) {
            l.onStart(started);
        }
        long start = System.nanoTime();
        try (Trainer trainer = model.newTrainer(trainingConfig)) {
            for (Evaluator e : evaluators) {
                e.addAccumulator("train");
                e.addAccumulator("val");
            }
            epochs:
            for (int epoch = firstEpoch; epoch <= epochs; epoch++) {
                long epochStart = System.nanoTime();
                Seeds.seedEngine(Seeds.forEpoch(seed, epoch)); // dropout masks: a function of (seed, epoch)
                lr[0] = plan.lr(epoch);
                int[] order = shuffle ? Seeds.permutation(seed, epoch, n) : identity(n);
                evaluators.forEach(e -> e.resetAccumulator("train"));
                double lossSum = 0;
                if (display != null) {
                    display.epochStarted(epoch, 0);
                }
                Chunk chunk = null;
                try {
                    for (int b = 0; b < batches; b++) {
                        if (Thread.interrupted()) {
                            Thread.currentThread().interrupt(); // keep the request visible to the caller
                            throw new CancellationException(String.format(Locale.ROOT,
                                    "training interrupted at epoch %d, batch %d; run the same fit again to resume"
                                            + " from the last completed epoch's checkpoint.", epoch, b + 1));
                        }
                        int from = b * batchSize;
                        int to = Math.min(n, from + batchSize);
                        if (chunk == null || to > chunk.to) {
                            if (chunk != null) {
                                chunk.close();
                            }
                            chunk = new Chunk(train, trainer.getManager(), order, from,
                                    Math.min(n, from + chunkBatches * batchSize));
                        }
                        step++;
                        float value;
                        try (NDManager m = trainer.getManager().newSubManager()) {
                            NDList[] xy = chunk.slice(m, from, to);
                            if (augmentation != null) {
                                Random random = new Random(Seeds.forEpoch(seed, epoch) * 31 + b);
                                xy[0] = new NDList(augmentation.apply(xy[0].singletonOrThrow(), random));
                            }
                            if (convolutional) {
                                xy[0] = channelsLast(xy[0], m);
                            }
                            NDList predictions;
                            NDArray batchLoss;
                            try (GradientCollector collector = trainer.newGradientCollector()) {
                                predictions = trainer.forward(xy[0]);
                                batchLoss = lossOf(xy[1], predictions, fusedLoss, m);
                                collector.backward(batchLoss);
                            }
                            value = batchLoss.getFloat();
                            history.addBatch(step, epoch, value);
                            if (!Float.isFinite(value)) {
                                divergence = String.format(Locale.ROOT,
                                        "training stopped: the loss became %s at epoch %d, batch %d (step %d);"
                                                + " the history up to there is kept. Try a smaller learning rate"
                                                + " or gradient clipping.",
                                        value, epoch, b + 1, step);
                                break epochs;
                            }
                            // Outside autograd: in a notebook cell's thread grad mode is on, and decay
                            // recorded there made each gradient's history grow every step (a leak).
                            try (NoGradient scope = NoGradient.open()) {
                                if (weightDecay > 0) {
                                    decayWeights(decayed);
                                }
                                if (clipGradNorm > 0) {
                                    clipGradients(trained);
                                }
                                update(optimizer, trained);
                            }
                            for (Evaluator e : evaluators) {
                                e.updateAccumulator("train", xy[1], predictions);
                            }
                        }
                        lossSum += (double) value * (to - from);
                        for (FitListener l : listeners) {
                            l.onBatch(epoch, b + 1, step, value);
                        }
                        if (display != null) {
                            display.batch(epoch, b + 1, (float) (lossSum / to), to);
                        }
                    }
                } finally {
                    if (chunk != null) {
                        chunk.close();
                    }
                }
                Map<String, Double> row = new LinkedHashMap<>();
                row.put("epoch", (double) epoch);
                row.put("step", (double) step);
                row.put("train_loss", lossSum / n);
                for (Evaluator e : evaluators) {
                    row.put("train_" + History.columnName(e.getName()), (double) e.getAccumulator("train"));
                }
                double monitored = lossSum / n;
                if (validation != null) {
                    monitored = validate(trainer, row, fusedLoss);
                }
                row.put("lr", Double.parseDouble(Float.toString(lr[0]))); // 0.1f shows as 0.1, not 0.10000000149
                row.put("seconds", secondsBefore + (System.nanoTime() - start) / 1e9);
                history.addEpoch(row);
                plan.epochEnded(epoch, monitored);
                if (checkpoint != null && epoch < epochs) {
                    writeCheckpoint(checkpoint, key, epoch, step, row.get("seconds"), history, plan, optimizer, idToName);
                }
                if (display != null) {
                    display.epochEnded(history, n, (System.nanoTime() - epochStart) / 1e9);
                }
                for (FitListener l : listeners) {
                    l.onEpoch(epoch, history, block);
                }
            }
        } finally {
            optimizer.close(); // free moment arrays now, not at some garbage collection
        }
        if (divergence != null) {
            Progress.message("dlkit: " + divergence);
        }
        Map<String, Double> metrics = finalMetrics(history);
        if (dir != null) {
            store(dir, key, config, history, metrics, divergence);
        }
        return new Run(model, history, metrics, key, dir, false, divergence, config);
    }

    /**
     * One optimizer step on every trained parameter, called directly rather than through DJL's
     * Trainer.step(): its parameter server copies each gradient before updating (a full extra
     * pass over the gradients every step) and the optimizer needs no copy.
     */
    private static void update(StatefulOptimizer optimizer, List<Parameter> trained) {
        List<String> ids = new ArrayList<>(trained.size());
        List<NDArray> weights = new ArrayList<>(trained.size());
        List<NDArray> grads = new ArrayList<>(trained.size());
        try {
            for (Parameter p : trained) {
                NDArray weight = p.getArray();
                ids.add(p.getId());
                weights.add(weight);
                grads.add(weight.getGradient());
            }
            optimizer.updateAll(ids, weights, grads);
        } finally {
            grads.forEach(NDArray::close);
        }
    }

    /**
     * Image batches in the channels-last memory layout, which libtorch's convolutions run faster on
     * (benchmarks/PERFORMANCE.md); same shapes and values, so the model sees no difference.
     */
    private static NDList channelsLast(NDList inputs, NDManager m) {
        NDList out = new NDList(inputs.size());
        for (NDArray x : inputs) {
            out.add(TorchOps.channelsLast(x, m));
        }
        return out;
    }

    /** Bytes of features gathered at once: several batches per native gather, little extra memory. */
    static final long CHUNK_BYTES = 8L << 20;

    /** How many batches one gathered chunk holds: up to 64, at most {@link #CHUNK_BYTES} of features. */
    static int chunkBatches(Shape batchInput) {
        long bytes = Math.max(1, batchInput.size() * 4);
        return (int) Math.max(1, Math.min(64, CHUNK_BYTES / bytes));
    }

    /**
     * Consecutive batches gathered with one native call ({@code order[from..to)}), then sliced per
     * batch as views: the same rows in the same order as gathering each batch, fewer native calls.
     */
    private static final class Chunk implements AutoCloseable {
        final NDManager manager;
        final int from;
        final int to;
        final NDList[] xy;

        Chunk(Source source, NDManager parent, int[] order, int from, int to) {
            this.manager = parent.newSubManager();
            this.from = from;
            this.to = to;
            xy = source.batch(manager, order, from, to);
        }

        NDList[] slice(NDManager m, int start, int end) {
            NDIndex rows = new NDIndex().addSliceDim(start - from, end - from); // not a string: no parsing per batch
            NDList[] out = new NDList[2];
            for (int i = 0; i < 2; i++) {
                out[i] = new NDList(xy[i].size());
                for (NDArray a : xy[i]) {
                    out[i].add(a.get(m, rows));
                }
            }
            return out;
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    private double validate(Trainer trainer, Map<String, Double> row, boolean fusedLoss) {
        evaluators.forEach(e -> e.resetAccumulator("val"));
        int n = validation.size();
        int[] order = identity(n);
        double sum = 0;
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            try (NDManager m = trainer.getManager().newSubManager();
                    NoGradient scope = NoGradient.open()) { // no autograd graph for validation
                NDList[] xy = validation.batch(m, order, from, to);
                NDList predictions = trainer.evaluate(convolutional ? channelsLast(xy[0], m) : xy[0]);
                sum += (double) lossOf(xy[1], predictions, fusedLoss, m).getFloat() * (to - from);
                for (Evaluator e : evaluators) {
                    e.updateAccumulator("val", xy[1], predictions);
                }
            }
        }
        row.put("val_loss", sum / n);
        for (Evaluator e : evaluators) {
            row.put("val_" + History.columnName(e.getName()), (double) e.getAccumulator("val"));
        }
        return sum / n;
    }

    /** L2 on weights only: grad += decay * w, for WEIGHT parameters (not biases or norm scales). */
    private void decayWeights(List<Parameter> weights) {
        for (Parameter p : weights) {
            NDArray w = p.getArray();
            try (NDArray grad = w.getGradient();
                    NDArray decay = w.mul(weightDecay)) {
                grad.addi(decay);
            }
        }
    }

    /** Scales all gradients together so that their global L2 norm is at most the limit. */
    private void clipGradients(List<Parameter> params) {
        List<NDArray> grads = new ArrayList<>(params.size());
        double sumSquares = 0;
        try {
            for (Parameter p : params) {
                NDArray g = p.getArray().getGradient();
                grads.add(g);
                try (NDArray norm = g.norm()) {
                    double v = norm.getFloat();
                    sumSquares += v * v;
                }
            }
            double total = Math.sqrt(sumSquares);
            if (total > clipGradNorm) {
                float scale = (float) (clipGradNorm / (total + 1e-6));
                grads.forEach(g -> g.muli(scale));
            }
        } finally {
            grads.forEach(NDArray::close);
        }
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    private static Map<String, Double> finalMetrics(History history) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (history.epochs() > 0) {
            for (String c : history.columns()) {
                metrics.put(c, history.value(c, history.epochs()));
            }
        }
        return metrics;
    }

    // ---- checkpoints -------------------------------------------------------------------------

    private static final String CHECKPOINT_MAGIC = "dlkit-checkpoint";

    private static final class Resumed {
        int epoch;
        int step;
        double seconds;
        History history;
    }

    /**
     * One file, written atomically, with everything a resume needs: parameters, optimizer state,
     * epoch, step, history and the schedule's state. The random state needs no bytes: shuffling and
     * the engine seed are functions of (seed, epoch), and the seed is in the cache key.
     */
    private void writeCheckpoint(
            Path file,
            String key,
            int epoch,
            int step,
            double seconds,
            History history,
            Schedule.Plan plan,
            StatefulOptimizer optimizer,
            Map<String, String> idToName)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(CHECKPOINT_MAGIC);
            out.writeInt(CACHE_FORMAT);
            out.writeUTF(key);
            out.writeInt(epoch);
            out.writeInt(step);
            out.writeDouble(seconds);
            out.writeUTF(plan.state());
            writeString(out, history.epochsCsv());
            writeString(out, history.batchesCsv());
            block.saveParameters(out);
            optimizer.save(idToName, out);
            out.writeUTF("end");
        }
        AtomicFiles.write(file, bytes.toByteArray());
    }

    private Resumed readCheckpoint(
            Path file,
            String key,
            Model model,
            StatefulOptimizer optimizer,
            Map<String, String> nameToId,
            Schedule.Plan plan)
            throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            if (!CHECKPOINT_MAGIC.equals(in.readUTF()) || in.readInt() != CACHE_FORMAT || !key.equals(in.readUTF())) {
                throw new IOException("not a checkpoint of this run");
            }
            Resumed r = new Resumed();
            r.epoch = in.readInt();
            r.step = in.readInt();
            r.seconds = in.readDouble();
            String planState = in.readUTF();
            r.history = History.fromCsv(readString(in), readString(in));
            try {
                block.loadParameters(model.getNDManager(), in);
            } catch (ai.djl.MalformedModelException e) {
                throw new IOException("parameters do not fit the model: " + e.getMessage(), e);
            }
            trackGradients();
            optimizer.load(nameToId, model.getNDManager(), in);
            if (!"end".equals(in.readUTF())) {
                throw new IOException("checkpoint is truncated");
            }
            plan.restore(planState);
            return r;
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    // ---- run cache ---------------------------------------------------------------------------

    private void store(
            Path dir, String key, String config, History history, Map<String, Double> metrics, String divergence)
            throws IOException {
        ByteArrayOutputStream params = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(params)) {
            block.saveParameters(out);
        }
        Files.deleteIfExists(dir.resolve(RunStore.MANIFEST));
        AtomicFiles.write(dir.resolve(RunStore.PARAMS), params.toByteArray());
        AtomicFiles.writeString(dir.resolve(RunStore.HISTORY), history.epochsCsv());
        AtomicFiles.writeString(dir.resolve(RunStore.BATCHES), history.batchesCsv());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metrics", metrics);
        m.put("divergence", divergence);
        AtomicFiles.writeString(dir.resolve(RunStore.METRICS), RunStore.GSON.toJson(m));
        AtomicFiles.writeString(dir.resolve(RunStore.PROVENANCE), RunStore.GSON.toJson(provenance(key, config)));
        RunStore.writeManifest(dir, key);
        Files.deleteIfExists(dir.resolve(RunStore.CHECKPOINT));
    }

    private Map<String, Object> provenance(String key, String config) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("key", key);
        p.put("name", name);
        p.put("created", Instant.now().toString());
        p.put("seed", seed);
        p.put("profile", profile.id());
        p.put("data", dataKey());
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("dlkit", VERSION);
        versions.put("djl", Engine.getDjlVersion());
        versions.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        versions.put("java", System.getProperty("java.version"));
        p.put("versions", versions);
        p.put("config", config.lines().toArray(String[]::new));
        return p;
    }

    private Run loadCached(Model model, Path dir, String key, String config) {
        try {
            Map<String, byte[]> files = RunStore.readVerified(dir, key);
            History history = History.fromCsv(
                    new String(files.get(RunStore.HISTORY), StandardCharsets.UTF_8),
                    new String(files.get(RunStore.BATCHES), StandardCharsets.UTF_8));
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(files.get(RunStore.PARAMS)))) {
                block.loadParameters(model.getNDManager(), in);
            }
            trackGradients(); // so that the cached model can be trained further
            CachedMetrics m = RunStore.GSON.fromJson(
                    new String(files.get(RunStore.METRICS), StandardCharsets.UTF_8), CachedMetrics.class);
            Map<String, Double> metrics = m.metrics != null ? m.metrics : finalMetrics(history);
            if (progress) {
                Progress.message("dlkit: " + dir.getFileName() + " from the run cache ("
                        + history.epochs() + " epochs; retrain with optRetrain())");
            }
            return new Run(model, history, metrics, key, dir, true, m.divergence, config);
        } catch (IOException | RuntimeException | ai.djl.MalformedModelException e) {
            Progress.message("dlkit: warning: cached run " + dir + " is damaged (" + e.getMessage()
                    + "); retraining it.");
            try {
                RunStore.clear(dir);
            } catch (IOException ignored) {
                // training rewrites every file anyway
            }
            initialize(model);
            return null;
        }
    }

    private static final class CachedMetrics {
        Map<String, Double> metrics;
        String divergence;
    }

    /** Identity of the data for the cache key: the given identity, else content hashes. */
    private String dataKey() {
        if (dataIdentity != null) {
            return dataIdentity;
        }
        return "sha256:" + train.contentHash() + (validation != null ? " val-sha256:" + validation.contentHash() : "");
    }

    /** The canonical configuration: every input that changes the result, one per line. */
    String config() {
        StringBuilder params = new StringBuilder();
        for (Pair<String, Parameter> p : block.getParameters()) {
            params.append(p.getKey()).append(p.getValue().getArray().getShape()).append(';');
        }
        List<String> evaluatorNames = new ArrayList<>();
        evaluators.forEach(e -> evaluatorNames.add(e.getClass().getName() + ":" + e.getName()));
        return String.join("\n",
                "format=" + CACHE_FORMAT,
                "dlkit=" + VERSION,
                "model.class=" + block.getClass().getName(),
                "model=" + block.toString().replace('\n', ' '),
                "parameters=" + params,
                "data=" + dataKey(),
                "loss=" + loss.getClass().getName() + ":" + loss.getName(),
                toString().replace(", ", "\n").replaceFirst("^Fit\\(", "").replaceFirst("\\)$", ""),
                "evaluators=" + evaluatorNames,
                "profile=" + profile.id());
    }

    /** Hyper-parameters, as Tribuo trainers show them. */
    @Override
    public String toString() {
        return "Fit(optimizer=" + optim
                + ", lr=" + learningRate
                + ", schedule=" + schedule
                + ", epochs=" + epochs
                + ", batchSize=" + batchSize
                + ", weightDecay=" + weightDecay
                + ", clipGradNorm=" + clipGradNorm
                + ", shuffle=" + shuffle
                + (augmentation != null ? ", augmentation=" + augmentation : "")
                + ", seed=" + seed + ")";
    }

    /** Describes a {@link Fit}: set the required parts, change the optional ones, then {@link #fit()}. */
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
        private float learningRate = 1e-3f;
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
            return this;
        }

        /**
         * Sets the training data as a DJL dataset (batches are stacked from single records).
         *
         * @param dataset the dataset; its own sampler is not used, {@link Fit} shuffles with its seed
         * @return this builder
         */
        /**
         * Sets a loaded image set (e.g. {@code mnist.train()} or a split's part) as resident
         * training data; its {@code identity()} names the data in the run-cache key, so no hashing
         * is needed.
         *
         * @param images the training images and labels
         * @return this builder
         */
        public Builder setTrainData(ImageSet images) {
            setTrainData(images.images(), images.labels());
            this.trainIdentity = images.identity();
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
            return this;
        }

        /**
         * Sets validation data as a DJL dataset.
         *
         * @param dataset the dataset
         * @return this builder
         */
        /**
         * Sets a loaded image set as resident validation data, named by its {@code identity()}.
         *
         * @param images the validation images and labels
         * @return this builder
         */
        public Builder optValidation(ImageSet images) {
            optValidation(images.images(), images.labels());
            this.validationIdentity = images.identity();
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
         * Sets the base learning rate (default 1e-3).
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
        public Builder optEvaluator(Evaluator evaluator) {
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
         * Names the data for the cache key, e.g. a loaded split's {@code identity()} (dataset, file
         * checksums, subset, normalisation). Without it the arrays' contents are hashed.
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
         * Adds a listener called after each batch and epoch while training.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder optListener(FitListener listener) {
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
            require(learningRate > 0 && Float.isFinite(learningRate),
                    "learning rate must be positive, got " + learningRate);
            require(batchSize > 0, "batch size must be positive, got " + batchSize);
            require(epochs > 0, "epochs must be positive, got " + epochs);
            require(weightDecay >= 0 && Float.isFinite(weightDecay), "weight decay must be >= 0, got " + weightDecay);
            require(clipGradNorm >= 0 && Float.isFinite(clipGradNorm),
                    "gradient clipping norm must be >= 0 (0 = off), got " + clipGradNorm);
            require(name != null && name.matches("[A-Za-z0-9._-]+"),
                    "run name must use letters, digits, '.', '_' or '-', got '" + name + "'");
            checkPair(trainFeatures, trainLabels, "training");
            checkPair(valFeatures, valLabels, "validation");
            return new Fit(this);
        }

        /**
         * Builds and runs the fit.
         *
         * @return the run
         */
        public Run fit() {
            return build().run();
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
