package dlkit.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import dlkit.engine.Generator;
import dlkit.engine.Gradients;
import dlkit.engine.NoGradient;
import dlkit.engine.TorchOps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * One fit's training: epochs of shuffled minibatches, each a forward pass, the loss, a backward
 * pass, weight decay, clipping and the optimizer's update; validation after every epoch; a
 * checkpoint after every epoch but the last; a stop on a non-finite loss.
 *
 * <p>Gradients are recorded with {@link Gradients}, not DJL's collector, which lets one thread of
 * the process collect at a time. The update is called directly rather than through DJL's {@code
 * Trainer.step()}: its parameter server copies each gradient before updating (a full extra pass
 * every step) and dlkit's optimizers need no copy. Decay, clipping and the update run under {@link NoGradient}: in a notebook cell's
 * thread grad mode is on, and in-place changes recorded there grew every gradient's history.
 */
final class TrainingLoop {

    /** Bytes of features gathered at once: several batches per native gather, little extra memory. */
    static final long CHUNK_BYTES = 8L << 20;

    private final Fit fit;
    private final Model model;
    private final RunKey key;
    private final RunStore.Entry entry;
    private final Preflight.Result checked;
    private final boolean convolutional;

    TrainingLoop(Fit fit, Model model, RunKey key, RunStore.Entry entry, Preflight.Result checked) {
        this.fit = fit;
        this.model = model;
        this.key = key;
        this.entry = entry;
        this.checked = checked;
        this.convolutional = TorchOps.hasConvolution(fit.block);
    }

    /** Trains (resuming from the entry's checkpoint when there is one) and stores the finished run. */
    Run train() throws IOException {
        List<String> metricNames = new ArrayList<>();
        fit.evaluators.forEach(e -> metricNames.add(History.columnName(e.getName())));
        History history = new History(metricNames, fit.validation != null);
        Schedule.Plan plan = fit.schedule.start(fit.learningRate, fit.epochs);
        float[] lr = {fit.learningRate};
        Map<String, String> idToName = new HashMap<>();
        Map<String, String> nameToId = new HashMap<>();
        List<Parameter> decayed = new ArrayList<>();
        Set<String> decayedIds = new HashSet<>();
        List<Parameter> trained = new ArrayList<>();
        for (Pair<String, Parameter> p : fit.block.getParameters()) {
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
        StatefulOptimizer optimizer = fit.optim.build((id, n) -> lr[0], decayedIds);
        EarlyStopping.Watch watch = fit.earlyStopping == null ? null : fit.earlyStopping.new Watch();

        int firstEpoch = 1;
        int step = 0;
        double secondsBefore = 0;
        Path checkpoint = entry == null ? null : entry.checkpoint();
        if (checkpoint != null && Files.exists(checkpoint)) {
            try {
                Checkpoint.State r = Checkpoint.read(checkpoint, key.hash(), fit.block, model.getNDManager(),
                        optimizer, nameToId, plan, watch);
                FitRunner.trackGradients(fit.block);
                history.copyFrom(r.history());
                firstEpoch = r.epoch() + 1;
                step = r.step();
                secondsBefore = r.seconds();
                if (fit.progress) { // a pruned search continues many paused fits: it shows its own line
                    Progress.message("dlkit: resuming " + entry.dir().getFileName() + " after epoch " + r.epoch());
                }
            } catch (IOException | RuntimeException e) {
                Progress.message("dlkit: checkpoint " + checkpoint + " is unusable (" + e.getMessage()
                        + "); training from the start.");
                FitRunner.initialize(fit, model);
                optimizer.close();
                optimizer = fit.optim.build((id, n) -> lr[0], decayedIds);
                plan = fit.schedule.start(fit.learningRate, fit.epochs);
                watch = fit.earlyStopping == null ? null : fit.earlyStopping.new Watch();
            }
        }

        int n = fit.train.size();
        int batchSize = fit.batchSize;
        int batches = (n + batchSize - 1) / batchSize;
        // Batch norm cannot train on one example (PyTorch: "Expected more than 1 value per channel
        // when training"), so a lone last example joins the batch before it.
        boolean joinLone = batches > 1 && n % batchSize == 1 && TorchOps.contains(fit.block, ai.djl.nn.norm.BatchNorm.class);
        if (joinLone) {
            batches--;
            if (fit.progress) {
                Progress.message(String.format(Locale.ROOT, "dlkit: %d examples in batches of %d leave 1 for the last"
                        + " batch, which batch norm cannot train on; it joins the batch before it (%d examples).",
                        n, batchSize, batchSize + 1));
            }
        }
        if (fit.progress) {
            DropoutAdvice.giveOnce(fit.block);
        }
        int chunkBatches = chunkBatches(fit.train.inputShape(batchSize));
        Progress display = fit.progress ? new Progress(fit.epochs, batches, history.columns(), fit.chart) : null;
        String divergence = null;
        String stopped = null;
        DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(fit.loss).optOptimizer(optimizer)
                .optDevices(new Device[] {Device.cpu()});
        FitListener.Start started = new FitListener.Start(fit.block, key.hash(), entry == null ? null : entry.dir(),
                firstEpoch, fit.epochs, batches);
        for (FitListener l : fit.listeners) {
            l.onStart(started);
        }
        long start = System.nanoTime();
        Metrics metrics = new Metrics(fit.evaluators, checked.labelRows());
        try (Trainer trainer = model.newTrainer(trainingConfig)) {
            epochs:
            for (int epoch = firstEpoch; epoch <= fit.epochs; epoch++) {
                long epochStart = System.nanoTime();
                Seeds.seedEngine(Seeds.forEpoch(fit.seed, epoch)); // dropout masks: a function of (seed, epoch)
                lr[0] = plan.lr(epoch);
                int[] order = fit.order(epoch);
                metrics.reset("train");
                double lossSum = 0;
                if (display != null) {
                    display.epochStarted(epoch, 0);
                }
                Chunk chunk = null;
                // dlkit's dropout draws from a stream of (seed, epoch): the same masks beside other fits
                try (Generator.Scope draws = Generator.stream(Seeds.forEpoch(fit.seed, epoch))) {
                    for (int b = 0; b < batches; b++) {
                        if (Thread.interrupted()) {
                            Thread.currentThread().interrupt(); // keep the request visible to the caller
                            throw new CancellationException(String.format(Locale.ROOT,
                                    "training interrupted at epoch %d, batch %d; run the same fit again to resume"
                                            + " from the last completed epoch's checkpoint.", epoch, b + 1));
                        }
                        int from = b * batchSize;
                        int to = joinLone && b == batches - 1 ? n : Math.min(n, from + batchSize);
                        if (chunk == null || to > chunk.to) {
                            if (chunk != null) {
                                chunk.close();
                            }
                            chunk = new Chunk(fit.train, trainer.getManager(), order, from,
                                    Math.max(to, Math.min(n, from + chunkBatches * batchSize)));
                        }
                        step++;
                        float value;
                        try (NDManager m = trainer.getManager().newSubManager()) {
                            NDList[] xy = chunk.slice(m, from, to);
                            if (fit.augmentation != null) {
                                Random random = new Random(Seeds.forEpoch(fit.seed, epoch) * 31 + b);
                                xy[0] = new NDList(fit.augmentation.apply(xy[0].singletonOrThrow(), random));
                            }
                            if (convolutional) {
                                xy[0] = channelsLast(xy[0], m);
                            }
                            NDList predictions;
                            NDArray batchLoss;
                            try (Gradients recording = Gradients.open()) {
                                predictions = trainer.forward(xy[0]);
                                batchLoss = lossOf(xy[1], predictions, m);
                                recording.backward(batchLoss);
                            }
                            value = BatchLoss.value(batchLoss);
                            history.addBatch(step, epoch, value);
                            if (!Float.isFinite(value)) {
                                divergence = String.format(Locale.ROOT,
                                        "training stopped: the loss became %s at epoch %d, batch %d (step %d);"
                                                + " the history up to there is kept. Try a smaller learning rate"
                                                + " or gradient clipping.",
                                        value, epoch, b + 1, step);
                                break epochs;
                            }
                            try (NoGradient scope = NoGradient.open()) {
                                if (fit.weightDecay > 0) {
                                    decayWeights(decayed);
                                }
                                if (fit.clipGradNorm > 0) {
                                    clipGradients(trained);
                                }
                                update(optimizer, trained);
                            }
                            metrics.update("train", xy[1], predictions);
                        }
                        lossSum += (double) value * (to - from);
                        for (FitListener l : fit.listeners) {
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
                metrics.into("train", row);
                double monitored = lossSum / n;
                if (fit.validation != null) {
                    monitored = validate(trainer, row, metrics);
                }
                row.put("lr", Double.parseDouble(Float.toString(lr[0]))); // 0.1f shows as 0.1, not 0.10000000149
                row.put("seconds", secondsBefore + (System.nanoTime() - start) / 1e9);
                history.addEpoch(row);
                plan.epochEnded(epoch, monitored);
                if (watch != null && watch.epochEnded(epoch, row.get(fit.earlyStopping.column()), fit.block)) {
                    stopped = watch.why(epoch);
                }
                if (checkpoint != null && epoch < fit.epochs && stopped == null) {
                    Checkpoint.write(checkpoint, key.hash(), new Checkpoint.State(epoch, step, row.get("seconds"), history),
                            plan, watch, fit.block, optimizer, idToName);
                }
                if (display != null) {
                    display.epochEnded(history, n, (System.nanoTime() - epochStart) / 1e9);
                }
                for (FitListener l : fit.listeners) {
                    l.onEpoch(epoch, history, fit.block);
                }
                if (stopped != null) {
                    break;
                }
            }
        } finally {
            optimizer.close(); // free moment arrays now, not at some garbage collection
        }
        if (divergence != null) {
            Progress.message("dlkit: " + divergence);
        }
        if (watch != null) {
            watch.finish(fit.block, model.getNDManager());
            FitRunner.trackGradients(fit.block);
        }
        if (stopped != null && fit.progress) {
            Progress.message("dlkit: " + stopped);
        }
        Map<String, Double> last = finalMetrics(history);
        if (entry != null) {
            entry.write(fit.block, history, last, divergence, stopped, RunStore.provenance(fit, key));
        }
        return new Run(model, history, last, key.hash(), entry == null ? null : entry.dir(), false, divergence,
                stopped, key.config(), fit.normalization);
    }

    /** The batch's loss, fused where {@link Preflight} found that it equals the given loss. */
    private NDArray lossOf(NDList labels, NDList predictions, NDManager m) {
        return checked.fusedLoss()
                ? TorchOps.crossEntropy(predictions.singletonOrThrow(), labels.singletonOrThrow(), m)
                : BatchLoss.of(fit.loss, labels, predictions);
    }

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
    static NDList channelsLast(NDList inputs, NDManager m) {
        NDList out = new NDList(inputs.size());
        for (NDArray x : inputs) {
            out.add(TorchOps.channelsLast(x, m));
        }
        return out;
    }

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

    /** The smallest batch validation runs in. */
    static final int VALIDATION_BATCH = 256;

    private double validate(Trainer trainer, Map<String, Double> row, Metrics metrics) {
        metrics.reset("val");
        int n = fit.validation.size();
        int[] order = identity(n);
        double sum = 0;
        // Larger batches than training's when those are small: in evaluation mode each example's
        // output does not depend on its batch, and 10,000 batches of 1 cost more than the training.
        int batchSize = Math.max(fit.batchSize, VALIDATION_BATCH);
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            try (NDManager m = trainer.getManager().newSubManager();
                    NoGradient scope = NoGradient.open(fit.block)) { // no autograd graph, except around an LSTM
                NDList[] xy = fit.validation.batch(m, order, from, to);
                NDList predictions = trainer.evaluate(convolutional ? channelsLast(xy[0], m) : xy[0]);
                sum += (double) BatchLoss.value(lossOf(xy[1], predictions, m)) * (to - from);
                metrics.update("val", xy[1], predictions);
            }
        }
        row.put("val_loss", sum / n);
        metrics.into("val", row);
        return sum / n;
    }

    /** L2 on weights only: grad += decay * w, for WEIGHT parameters (not biases or norm scales). */
    private void decayWeights(List<Parameter> weights) {
        for (Parameter p : weights) {
            NDArray w = p.getArray();
            try (NDArray grad = w.getGradient();
                    NDArray decay = w.mul(fit.weightDecay)) {
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
            if (total > fit.clipGradNorm) {
                float scale = (float) (fit.clipGradNorm / (total + 1e-6));
                grads.forEach(g -> g.muli(scale));
            }
        } finally {
            grads.forEach(NDArray::close);
        }
    }

    static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    static Map<String, Double> finalMetrics(History history) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (history.epochs() > 0) {
            for (String c : history.columns()) {
                metrics.put(c, history.value(c, history.epochs()));
            }
        }
        return metrics;
    }
}
