package dlkit.tune;

import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import com.google.gson.reflect.TypeToken;
import dlkit.data.ImageSet;
import dlkit.data.Split;
import dlkit.display.Notebook;
import dlkit.inspect.ModelSummary;
import dlkit.files.Digests;
import dlkit.train.Fit;
import dlkit.train.FitListener;
import dlkit.train.History;
import dlkit.train.Optim;
import dlkit.train.Profile;
import dlkit.train.Run;
import dlkit.train.RunStore;
import dlkit.train.Seeds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Trains each trial of a hyper-parameter search with {@link Fit} on the training images and
 * scores it on the validation images (the test images are never seen here).
 *
 * <pre>{@code
 * Search search = Search.builder()
 *         .setName("mlp-baseline")
 *         .setTrials(space.sample(12, 541))
 *         .setData(fashion.split(0.2, 541))
 *         .optOptimizer(Optim.sgd().optMomentum(0.9f))
 *         .optSeed(541)
 *         .build();
 * SearchResults results = search.run();        // table, best trial, charts
 * try (Run run = search.retrain(results.best().trial(), fashion.train())) { ... }
 * }</pre>
 *
 * <p>Each finished trial is appended to {@code runs/search-<name>-<key>/trials.json} (rewritten
 * atomically through {@link RunStore}), so running the search again, or after an interruption,
 * skips finished trials; a trial cut off mid-training resumes from Fit's checkpoint. The key covers
 * the data, optimizer, seed and profile, so changing any of them starts a fresh results file, and a
 * stored trial is reused only while its fit still has the run key it was trained under. Every run is closed as
 * soon as it is scored, so memory stays flat across trials.
 */
public final class Search {

    /** Bumped when the results file's meaning changes: old files are ignored. */
    static final int FORMAT = 2;

    private final String name;
    private final List<Trial> trials;
    private final ImageSet train;
    private final ImageSet validation;
    private final int classes;
    private final Supplier<Fit.Builder> fit;
    private final boolean progress;
    private final List<Consumer<TrialResult>> listeners;
    private final Halving pruning;

    private Search(Builder b) {
        name = b.name;
        trials = List.copyOf(b.trials);
        train = b.train;
        validation = b.validation;
        classes = train.classNames().size();
        fit = b.fit;
        progress = b.progress;
        listeners = List.copyOf(b.listeners);
        pruning = b.pruning;
    }

    /**
     * Starts describing a search.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs every trial not yet in the results file, in order, saving each as it finishes.
     *
     * @return all trials' results, in trial order
     */
    public SearchResults run() {
        if (pruning != null) {
            return runPruned();
        }
        long start = System.nanoTime();
        Path file = resultsFile();
        Map<String, TrialResult> done = load(file);
        TrialResult[] results = new TrialResult[trials.size()];
        int reused = 0;
        StatusLine status = new StatusLine(progress);
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < trials.size(); i++) {
            Trial trial = trials.get(i);
            TrialResult result = done.get(trial.id());
            if (result != null && !result.runKey().equals(fit(trial, train, validation, name).build().key())) {
                // The stored result came from another computation (dlkit or the model changed): redo it.
                System.out.println("dlkit: " + name + ": trial " + trial.id() + " is stored for another run key; training it again.");
                result = null;
            }
            if (result != null) {
                TrialResult stored = withIndex(result, i + 1);
                results[i] = stored;
                reused++;
                listeners.forEach(l -> l.accept(stored));
            } else {
                pending.add(i);
            }
        }
        if (!pending.isEmpty()) {
            status.show(String.format(Locale.ROOT, "%s: training %d of %d trials", name, pending.size(), trials.size()));
        }
        List<Fit> fits = new ArrayList<>();
        for (int i : pending) {
            Fit.Builder b = fit(trials.get(i), train, validation, name);
            if (status.displayId() != null) {
                b.addListener(epochLine(i + 1, trials.get(i), status.displayId()));
            }
            fits.add(b.build());
        }
        int[] next = {0};
        int[] read = {0};
        Fit.runEach(fits, run -> { // several trials at a time where that pays; results in trial order
            int i = pending.get(next[0]++);
            TrialResult result = result(i + 1, trials.get(i), run);
            read[0] += run.fromCache() ? 1 : 0;
            results[i] = result;
            done.put(result.trial().id(), result);
            save(file, done);
            status.report(String.format(Locale.ROOT, "%s: trial %d/%d %s -> val_accuracy %.4f (%.1f s)", name, i + 1,
                    trials.size(), result.trial().id(), result.valAccuracy(), result.seconds()));
            listeners.forEach(l -> l.accept(result));
        });
        return finish(new SearchResults(name, List.of(results), (System.nanoTime() - start) / 1e9,
                reused + read[0], null), status);
    }

    private SearchResults finish(SearchResults out, StatusLine status) {
        status.report(out.summary());
        return out;
    }

    /**
     * Successive halving over the trials ({@link Builder#optPruning}): every trial's fit has its
     * full epoch budget and is paused at the rungs, so the trials that reach their budget score
     * exactly what they would without pruning.
     */
    private SearchResults runPruned() {
        long start = System.nanoTime();
        StatusLine status = new StatusLine(progress);
        List<Rungs.Member> members = new ArrayList<>();
        for (Trial trial : trials) {
            members.add(new Rungs.Member(trial.id(), () -> fit(trial, train, validation, name)));
        }
        Rungs rungs = new Rungs(pruning, resultsFile().getParent(), "val_accuracy", false,
                line -> status.report(name + ": " + line),
                i -> status.displayId() == null ? null : epochLine(i + 1, trials.get(i), status.displayId()));
        List<Rungs.Outcome> outcomes = rungs.run(members);
        List<TrialResult> results = new ArrayList<>();
        for (int i = 0; i < trials.size(); i++) {
            Rungs.Outcome o = outcomes.get(i);
            List<Map<String, Double>> rows = o.rows();
            Map<String, Double> last = rows.isEmpty() ? Map.of() : rows.get(rows.size() - 1);
            List<Double> curve = rows.stream().map(r -> r.getOrDefault("val_accuracy", Double.NaN)).toList();
            TrialResult result = new TrialResult(i + 1, trials.get(i), o.standing().parameters(),
                    last.getOrDefault("val_accuracy", Double.NaN), last.getOrDefault("val_loss", Double.NaN),
                    last.getOrDefault("train_loss", Double.NaN), last.getOrDefault("seconds", 0.0),
                    o.standing().divergence() != null, o.standing().runKey(), curve, o.prunedAt());
            results.add(result);
            listeners.forEach(l -> l.accept(result));
        }
        return finish(new SearchResults(name, results, (System.nanoTime() - start) / 1e9,
                trials.size() - rungs.trained(), pruning), status);
    }

    /** Shows a trial's epochs in the search's status line. */
    private FitListener epochLine(int index, Trial trial, String display) {
        return new FitListener() {
            @Override
            public void onEpoch(int epoch, History history, ai.djl.nn.Block block) {
                Notebook.updateDisplay(display, String.format(Locale.ROOT,
                        "%s: trial %d/%d %s, epoch %d/%d, val_accuracy %.4f", name, index, trials.size(),
                        trial.id(), epoch, trial.epochs(), history.value("val_accuracy", epoch)));
            }
        };
    }

    private static TrialResult result(int index, Trial trial, Run run) {
        long parameters = ModelSummary.trainableParameters(run.block());
        History h = run.history();
        List<Double> curve = new ArrayList<>();
        for (int e = 1; e <= h.epochs(); e++) {
            curve.add(h.value("val_accuracy", e));
        }
        return new TrialResult(index, trial, parameters, run.metric("val_accuracy"), run.metric("val_loss"),
                run.metric("train_loss"), run.metric("seconds"), run.divergence().isPresent(), run.key(), curve, 0);
    }

    /**
     * Trains one trial's configuration on other data, typically the whole training set (training
     * plus validation images) once the search has picked it; same optimizer and seed as the search.
     *
     * @param trial the configuration, e.g. {@code results.best().trial()}; use {@link Trial#withEpochs} to train longer
     * @param data the images to train on
     * @return the run: close it when done (its per-batch losses are in {@code history().batches()})
     */
    public Run retrain(Trial trial, ImageSet data) {
        Objects.requireNonNull(trial, "trial");
        Objects.requireNonNull(data, "data");
        return fit(trial, data, null, name + "-final").build().run();
    }

    private Fit.Builder fit(Trial trial, ImageSet data, ImageSet val, String runName) {
        Fit.Builder b = fit.get()
                .setBlock(trial.mlp(classes))
                .setTrainData(data)
                .setLoss(Loss.softmaxCrossEntropyLoss())
                .optLearningRate(trial.learningRate())
                .optBatchSize(trial.batchSize())
                .optEpochs(trial.epochs())
                .optWeightDecay(trial.weightDecay())
                .addEvaluator(new Accuracy())
                .optName(runName);
        if (Notebook.isActive() || !progress) {
            b.optProgress(false); // the search shows one line per trial instead
        }
        if (val != null) {
            b.optValidation(val);
        }
        return b;
    }

    /**
     * Where finished trials are kept: {@code <runs>/search-<name>-<key>/trials.json}.
     *
     * @return the results file
     */
    public Path resultsFile() {
        Path runs = fit(trials.get(0), train, validation, name).build().runsDirectory();
        String context = String.join("\n",
                "format=" + FORMAT,
                "train=" + train.identity(),
                "validation=" + validation.identity(),
                "classes=" + classes);
        String key = Digests.sha256(context.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        return runs.resolve("search-" + name + "-" + key).resolve("trials.json");
    }

    private static Map<String, TrialResult> load(Path file) {
        Map<String, TrialResult> done = new LinkedHashMap<>();
        try {
            List<TrialResult> list = RunStore.readJson(file, new TypeToken<List<TrialResult>>() {}.getType());
            for (TrialResult r : list != null ? list : List.<TrialResult>of()) {
                done.put(r.trial().id(), r);
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("dlkit: warning: search results " + file + " are unreadable (" + e.getMessage()
                    + "); finished trials come back from the run cache instead.");
            done.clear();
        }
        return done;
    }

    private static void save(Path file, Map<String, TrialResult> done) {
        try {
            RunStore.writeJson(file, new ArrayList<>(done.values()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save search results to " + file, e);
        }
    }

    private static TrialResult withIndex(TrialResult r, int index) {
        return new TrialResult(index, r.trial(), r.parameters(), r.valAccuracy(), r.valLoss(), r.trainLoss(),
                r.seconds(), r.diverged(), r.runKey(), r.curve(), r.prunedAt());
    }

    /** Hyper-parameters of the search itself, as Tribuo trainers show them. */
    @Override
    public String toString() {
        return "Search(name=" + name + ", trials=" + trials.size() + ", train=" + train.size()
                + ", validation=" + validation.size() + (pruning != null ? ", pruning=" + pruning : "") + ")";
    }

    /** Describes a {@link Search}. */
    public static final class Builder {
        private String name = "search";
        private List<Trial> trials;
        private ImageSet train;
        private ImageSet validation;
        private Supplier<Fit.Builder> fit = Fit::builder;
        private boolean progress = true;
        private final List<Consumer<TrialResult>> listeners = new ArrayList<>();
        private Halving pruning;

        private Builder() {}

        /**
         * Names the search (its results folder and its runs).
         *
         * @param name letters, digits, '-', '_' or '.'
         * @return this builder
         */
        public Builder setName(String name) {
            this.name = name;
            return this;
        }

        /**
         * Sets the trials to run, e.g. {@code space.grid()} or {@code space.sample(12, 541)}.
         *
         * @param trials at least one
         * @return this builder
         */
        public Builder setTrials(List<Trial> trials) {
            this.trials = trials;
            return this;
        }

        /**
         * Sets the training and validation images from a split.
         *
         * @param split e.g. {@code fashion.split(0.2, 541)}
         * @return this builder
         */
        public Builder setData(Split split) {
            Objects.requireNonNull(split, "split");
            return setData(split.train(), split.validation());
        }

        /**
         * Sets the training and validation images.
         *
         * @param train the images each trial trains on
         * @param validation the images each trial is scored on
         * @return this builder
         */
        public Builder setData(ImageSet train, ImageSet validation) {
            this.train = train;
            this.validation = validation;
            return this;
        }

        /**
         * Sets what every trial's fit shares: a new {@link Fit.Builder} per trial with the optimizer,
         * seed, runs folder and so on (default {@code Fit::builder}: Adam, the current seed). Each
         * trial then sets its model, data, loss, accuracy, learning rate, batch size, epochs and weight
         * decay, and the run's name.
         *
         * @param fit makes the shared part of each trial's fit, e.g. {@code () -> Fit.builder().optSeed(541)}
         * @return this builder
         */
        public Builder setFit(Supplier<Fit.Builder> fit) {
            this.fit = Objects.requireNonNull(fit, "fit");
            return this;
        }

        /**
         * Turns the search's progress lines (and its fits' progress) off or on (default on).
         *
         * @param progress whether to show progress
         * @return this builder
         */
        public Builder optProgress(boolean progress) {
            this.progress = progress;
            return this;
        }

        /**
         * Stops poor trials early by successive halving instead of training every trial to its epoch
         * budget (default: no pruning). Trials that reach their budget score exactly what they would
         * without pruning; pruned ones show the validation accuracy where they stopped and are never
         * the best. Needs the run cache (paused trials continue from their checkpoints).
         *
         * @param halving e.g. {@code Halving.of(2, 3)}
         * @return this builder
         */
        public Builder optPruning(Halving halving) {
            this.pruning = Objects.requireNonNull(halving, "halving");
            return this;
        }

        /**
         * Calls {@code listener} with each trial's result, trained or read back, e.g. to sample memory use.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder addListener(Consumer<TrialResult> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Checks the description and builds the search (nothing is trained yet).
         *
         * @return the search
         * @throws IllegalArgumentException naming what is missing or wrong
         */
        public Search build() {
            require(name != null && name.matches("[A-Za-z0-9._-]+"),
                    "name must use letters, digits, '.', '_' or '-', got '" + name + "'");
            require(trials != null && !trials.isEmpty(),
                    "no trials: call setTrials(space.grid()) or setTrials(space.sample(count, seed))");
            trials.forEach(t -> require(t != null, "trials contain null"));
            require(train != null && validation != null,
                    "no data: call setData(dataset.split(0.2, seed)); the test images are never used here");
            require(train.size() > 0 && validation.size() > 0, "training and validation images must both be non-empty");
            require(train.classNames().size() >= 2, "the data needs at least 2 classes");
            return new Search(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException("Search: " + message);
            }
        }
    }
}
