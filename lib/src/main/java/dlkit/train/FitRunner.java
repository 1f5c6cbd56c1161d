package dlkit.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.util.Pair;
import dlkit.engine.Generator;
import dlkit.engine.NoGradient;
import dlkit.engine.TorchOps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs a {@link Fit}: one fit at a time (or one batch of fits, {@link ParallelFits}), fresh seeded
 * parameters, the checks, the run-cache key, then the cached run or training.
 */
final class FitRunner {

    private FitRunner() {}

    /** Trains, or returns the cached run, or resumes: see {@link Fit#run()}. */
    static Run run(Fit fit) {
        try (AutoCloseable engine = engineTurn()) {
            return runAlone(fit);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The run-cache key: see {@link Fit#key()}. */
    static String key(Fit fit) {
        try (AutoCloseable engine = engineTurn();
                Model model = Model.newInstance(fit.name, Device.cpu())) {
            model.setBlock(fit.block);
            fit.kept = Pretrained.capture(fit, model.getNDManager());
            initialize(fit, model);
            Preflight.Result checked = Preflight.check(fit, fit.block, model.getNDManager());
            return RunKey.of(fit, fit.block, model.getNDManager(), checked.labelRows()).hash();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One fit (or one batch of {@link ParallelFits}) at a time per process: fits started from other
     * threads would set libtorch's thread count under each other and draw from its one generator
     * outside any stream; they wait their turn.
     */
    static AutoCloseable engineTurn() {
        if (!ENGINE.tryLock()) {
            Progress.message("dlkit: waiting for another fit in this session to finish (one fit trains at a time).");
            try {
                ENGINE.lockInterruptibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while waiting for another fit to finish");
            }
        }
        return ENGINE::unlock;
    }

    private static final ReentrantLock ENGINE = new ReentrantLock();

    private static Run runAlone(Fit fit) {
        return finish(fit, prepare(fit));
    }

    /** A fit ready to train: its model freshly initialised, checked, and its run key. */
    record Prepared(Model model, RunKey key, Preflight.Result checked) {}

    /** Initialises, checks and computes the key; the model is closed if that fails. */
    static Prepared prepare(Fit fit) {
        Model model = Model.newInstance(fit.name, Device.cpu());
        model.setBlock(fit.block);
        boolean returned = false;
        try {
            fit.kept = Pretrained.capture(fit, model.getNDManager());
            initialize(fit, model);
            Preflight.Result checked = Preflight.check(fit, fit.block, model.getNDManager());
            RunKey key = RunKey.of(fit, fit.block, model.getNDManager(), checked.labelRows());
            initialize(fit, model); // the key's probes ran the network in training mode: start afresh
            returned = true;
            return new Prepared(model, key, checked);
        } finally {
            if (!returned) {
                model.close();
            }
        }
    }

    /** The cached run, or a new one trained; the model is closed if that fails. */
    static Run finish(Fit fit, Prepared prepared) {
        boolean returned = false;
        try {
            Run run = fit.cache
                    ? cached(fit, prepared.model(), prepared.key(), prepared.checked())
                    : new TrainingLoop(fit, prepared.model(), prepared.key(), null, prepared.checked()).train();
            returned = true;
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!returned) {
                prepared.model().close();
            }
        }
    }

    /**
     * The stored run of this key (under this fit's name, else under another), or a new one trained
     * under the entry's lock.
     */
    private static Run cached(Fit fit, Model model, RunKey key, Preflight.Result checked) throws IOException {
        RunStore.Entry entry = new RunStore.Entry(fit.runsDir, fit.name, key.hash());
        if (!fit.retrain && !entry.complete()) {
            // A finished entry is never written again, and its manifest proves it whole: reading
            // another name's needs no lock, so this name gets no folder of its own.
            RunStore.Entry same = entry.sameComputation();
            Run run = same != null ? stored(fit, model, key, same, entry) : null;
            if (run != null) {
                return run;
            }
        }
        try (AutoCloseable lock = entry.lock()) {
            if (fit.retrain) {
                entry.clear();
            } else if (entry.complete()) {
                Run run = stored(fit, model, key, entry, null);
                if (run != null) {
                    return run;
                }
            }
            return new TrainingLoop(fit, model, key, entry, checked).train();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e); // closing the lock
        }
    }

    /**
     * Reads a stored run into the fit's model, or returns null (the model freshly initialised again)
     * when the entry is damaged: this fit's own entry is then cleared, another name's left alone.
     *
     * @param own this fit's entry when {@code entry} is another name's, else null
     */
    private static Run stored(Fit fit, Model model, RunKey key, RunStore.Entry entry, RunStore.Entry own)
            throws IOException {
        try {
            RunStore.Stored stored = entry.read(fit.block, model.getNDManager());
            trackGradients(fit.block); // so that the cached model can be trained further
            if (fit.progress) {
                int epochs = stored.history().epochs();
                Progress.message("dlkit: " + (own == null ? entry.dir().getFileName()
                        : own.dir().getFileName() + " is the same computation as " + entry.dir().getFileName() + ":")
                        + " from the run cache (" + epochs + (epochs == 1 ? " epoch" : " epochs")
                        + "; retrain with optRetrain())");
            }
            return new Run(model, stored.history(), stored.metrics(), key.hash(), entry.dir(), true,
                    stored.divergence(), stored.stopped(), key.config(), fit.normalization);
        } catch (IOException | RuntimeException e) {
            Progress.message("dlkit: warning: cached run " + entry.dir() + " is damaged (" + e.getMessage() + "); "
                    + (own == null ? "retraining it." : "training this fit instead."));
            if (own == null) {
                entry.clear();
            }
            initialize(fit, model);
            return null;
        }
    }

    /** Fresh, seeded parameters (the kept parts aside): the same seed gives the same initial model. */
    static void initialize(Fit fit, Model model) {
        try {
            initializeFresh(fit, model);
            if (fit.kept != null) {
                fit.kept.restore();
            }
        } finally {
            Pretrained.owned(fit.block);
        }
    }

    private static void initializeFresh(Fit fit, Model model) {
        for (Parameter p : fit.block.getParameters().values()) {
            p.close(); // a block fitted before keeps its arrays otherwise: start from scratch
        }
        if (fit.initializer != null) {
            fit.initializer.applyTo(fit.block);
        }
        Shape[] inputs = fit.train.inputShapes(Math.min(fit.batchSize, fit.train.size()));
        Shape input = inputs[0];
        try (Generator.Scope held = Generator.hold()) { // seeding and drawing, untouched by other fits
            Seeds.seedEngine(fit.seed);
            fit.block.initialize(model.getNDManager(), DataType.FLOAT32, inputs);
        } catch (RuntimeException e) {
            if (java.util.Arrays.stream(e.getStackTrace()).anyMatch(f -> f.getClassName().equals(Parameter.class.getName())
                    && f.getMethodName().equals("initialize"))) {
                throw new IllegalArgumentException("A parameter's initializer failed (" + e.getMessage() + "): give that"
                        + " parameter an initializer that suits its shape, or leave optInitializer out.", e);
            }
            String hint = input.dimension() == 3 && TorchOps.contains(fit.block, Conv2d.class)
                    ? " A 2-D convolution takes (batch, channels, height, width): add the channel axis with"
                            + " features.expandDims(1), shape " + new Shape(input.get(0), 1, input.get(1), input.get(2)) + "."
                    : " Check the model's input layer or reshape the data.";
            String shapes = inputs.length == 1 ? "features have shape " + input
                    : "its " + inputs.length + " inputs have shapes " + java.util.Arrays.toString(inputs);
            throw new IllegalArgumentException("The model cannot take the training data: " + shapes
                    + " (batch first)." + hint + " (" + e.getMessage() + ")", e);
        }
        if (fit.initialParameters != null) {
            copyInitialParameters(fit.block, fit.initialParameters);
        }
    }

    /** Starts from given values: every parameter, in {@code block.getParameters()} order. */
    private static void copyInitialParameters(Block block, List<NDArray> initialParameters) {
        List<Pair<String, Parameter>> params = new ArrayList<>();
        block.getParameters().forEach(params::add);
        if (params.size() != initialParameters.size()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "optInitialParameters: the model has %d"
                    + " parameters (%s) but %d arrays were given", params.size(), names(params), initialParameters.size()));
        }
        try (NoGradient scope = NoGradient.open()) {
            for (int i = 0; i < params.size(); i++) {
                NDArray target = params.get(i).getValue().getArray();
                NDArray source = initialParameters.get(i);
                if (!target.getShape().equals(source.getShape())) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "optInitialParameters: parameter %d,"
                            + " %s, has shape %s in the model but %s was given", i + 1, params.get(i).getKey(),
                            target.getShape(), source.getShape()));
                }
                try (NDArray values = source.toType(target.getDataType(), true)) {
                    values.copyTo(target);
                }
            }
        }
    }

    private static String names(List<Pair<String, Parameter>> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach(p -> sb.append(sb.length() > 0 ? ", " : "").append(p.getKey()).append(' ')
                .append(p.getValue().getArray().getShape()));
        return sb.toString();
    }

    /** Loaded arrays come without gradients; training needs them on trainable parameters. */
    static void trackGradients(Block block) {
        for (Parameter p : block.getParameters().values()) {
            if (p.requiresGradient()) {
                p.getArray().setRequiresGradient(true);
            }
        }
    }
}
