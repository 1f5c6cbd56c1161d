package dlkit.train;

import ai.djl.nn.Block;
import dlkit.plot.BandCurves;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Trains several configurations with several seeds each through {@link Fit}, so that differences
 * between configurations can be told from seed-to-seed noise. For one seed every configuration
 * starts from the same initial weights and sees the batches in the same order (both come from the
 * seed), so only the configuration differs.
 *
 * <pre>{@code
 * Comparison.Result result = Comparison.builder()
 *         .setFit(() -> Fit.builder()                        // everything the runs share
 *                 .setTrainData(split.train()).optValidation(split.validation())
 *                 .setLoss(Loss.softmaxCrossEntropyLoss()).addEvaluator(new Accuracy())
 *                 .optEpochs(10).optBatchSize(128))
 *         .setModel(() -> CifarOptimizerCnn.builder().build())  // a fresh block per run
 *         .add("SGD", Optim.sgd(), 0.05f)
 *         .add("Adam", Optim.adam(), 1e-3f)
 *         .optSeeds(1, 2, 3)
 *         .optName("optimizers")
 *         .build()
 *         .run();
 * result.summary();     // one row per configuration: means, spread, diverged runs
 * }</pre>
 *
 * <p>A run whose loss becomes NaN or infinite does not stop the comparison: {@link Fit} stops it and
 * it is marked {@code diverged} in the tables (and in {@code dlkit.plot.BandCurves}).
 */
public final class Comparison {

    private record Config(String name, Optim optim, float learningRate, UnaryOperator<Fit.Builder> change) {}

    private final Supplier<Fit.Builder> fit;
    private final Supplier<? extends Block> model;
    private final List<Config> configs;
    private final long[] seeds;
    private final String name;
    private final String best;

    private Comparison(Builder b) {
        fit = b.fit;
        model = b.model;
        configs = List.copyOf(b.configs);
        seeds = b.seeds.clone();
        name = b.name;
        best = b.best;
    }

    /**
     * Starts describing a comparison.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains (or reads from the run cache) every configuration with every seed, several runs at a
     * time where that pays ({@link Fit#runEach}); results come in configuration order.
     *
     * @return the collected results
     */
    public Result run() {
        List<Fit> fits = new ArrayList<>();
        List<Config> configOf = new ArrayList<>();
        List<Long> seedOf = new ArrayList<>();
        for (Config config : configs) {
            for (long seed : seeds) {
                Fit.Builder b = fit.get().setBlock(model.get());
                if (config.optim() != null) {
                    b.optOptimizer(config.optim()).optLearningRate(config.learningRate());
                }
                b = config.change().apply(b);
                b.optSeed(seed).optName(name + "-" + slug(config.name()) + "-seed" + seed);
                fits.add(b.build());
                configOf.add(config);
                seedOf.add(seed);
            }
        }
        Result result = new Result(best);
        int[] next = {0};
        Fit.runEach(fits, run -> {
            result.add(configOf.get(next[0]), seedOf.get(next[0]), run);
            next[0]++;
        });
        return result;
    }

    private static String slug(String s) {
        String slug = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        return slug.isEmpty() ? "config" : slug;
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        configs.forEach(c -> names.add(c.name()));
        return "Comparison(" + name + ": configurations=" + names + ", seeds=" + Arrays.toString(seeds)
                + ", best=" + best + ")";
    }

    /** The outcome: a row per run, a row per configuration, and every run's per-epoch history. */
    public static final class Result {
        private final String best;
        private final boolean higherIsBetter;
        private final Table runs;
        private final Table curves;
        private final Map<String, Double> divergedAt = new LinkedHashMap<>();
        private final Map<String, Double> learningRates = new LinkedHashMap<>();

        private Result(String best) {
            this.best = best;
            this.higherIsBetter = !History.lowerIsBetter(best);
            runs = Table.create("runs",
                    StringColumn.create("config"), IntColumn.create("seed"), StringColumn.create("optimizer"),
                    DoubleColumn.create("lr"), IntColumn.create("epochs"), DoubleColumn.create("final_train_loss"),
                    DoubleColumn.create("final_val_loss"), DoubleColumn.create("best_" + best),
                    IntColumn.create("best_epoch"), DoubleColumn.create("seconds_per_epoch"),
                    BooleanColumn.create("diverged"), StringColumn.create("divergence"));
            curves = Table.create("curves", StringColumn.create("config"), IntColumn.create("seed"),
                    IntColumn.create("epoch"));
        }

        private void add(Config config, long seed, Run run) {
            History h = run.history();
            int epochs = h.epochs();
            boolean diverged = run.divergence().isPresent();
            double lr = config.optim() != null ? Double.parseDouble(Float.toString(config.learningRate())) // 0.05, not 0.0500000007
                    : epochs > 0 && h.columns().contains("lr") ? h.value("lr", 1) : Double.NaN;
            learningRates.putIfAbsent(config.name(), lr);
            double bestValue = Double.NaN;
            int bestEpoch = 0;
            if (epochs > 0 && h.columns().contains(best)) {
                bestEpoch = h.best(best).getInt("epoch");
                bestValue = h.value(best, bestEpoch);
            }
            runs.stringColumn("config").append(config.name());
            runs.intColumn("seed").append((int) seed);
            runs.stringColumn("optimizer").append(config.optim() != null ? config.optim().toString() : "");
            runs.doubleColumn("lr").append(lr);
            runs.intColumn("epochs").append(epochs);
            runs.doubleColumn("final_train_loss").append(diverged || epochs == 0 ? Double.NaN : h.value("train_loss", epochs));
            runs.doubleColumn("final_val_loss").append(
                    diverged || epochs == 0 || !h.columns().contains("val_loss") ? Double.NaN : h.value("val_loss", epochs));
            runs.doubleColumn("best_" + best).append(diverged ? Double.NaN : bestValue);
            runs.intColumn("best_epoch").append(diverged ? 0 : bestEpoch);
            runs.doubleColumn("seconds_per_epoch").append(epochs > 0 ? h.value("seconds", epochs) / epochs : Double.NaN);
            runs.booleanColumn("diverged").append(diverged);
            runs.stringColumn("divergence").append(run.divergence().orElse(""));
            if (diverged) {
                Table batches = h.batches();
                double epoch = batches.intColumn("epoch").getDouble(batches.rowCount() - 1);
                divergedAt.merge(config.name(), epoch, Math::min);
            }
            for (String c : h.columns()) {
                if (!c.equals("epoch") && !c.equals("step") && !c.equals("seconds") && !curves.containsColumn(c)) {
                    curves.addColumns(DoubleColumn.create(c, curves.rowCount())); // missing for earlier runs
                }
            }
            for (int e = 1; e <= epochs; e++) {
                curves.stringColumn("config").append(config.name());
                curves.intColumn("seed").append((int) seed);
                curves.intColumn("epoch").append(e);
                for (int c = 3; c < curves.columnCount(); c++) {
                    String column = curves.column(c).name();
                    curves.doubleColumn(c).append(h.columns().contains(column) ? h.value(column, e) : Double.NaN);
                }
            }
        }

        /**
         * One row per run: configuration, seed, optimizer, learning rate, epochs completed, final
         * training and validation loss, best value of the compared column and its epoch, seconds
         * per epoch, and whether (and why) it diverged. A diverged run's losses are NaN.
         *
         * @return a copy of the table
         */
        public Table runs() {
            return runs.copy();
        }

        /**
         * Every run's per-epoch history in one long table: {@code config, seed, epoch} and the
         * history's columns ({@code train_loss}, {@code val_loss}, {@code val_accuracy}, {@code lr},
         * ...), for {@code dlkit.plot.BandCurves}.
         *
         * @return a copy of the table
         */
        public Table curves() {
            return curves.copy();
        }

        /**
         * Learning curves of every configuration: a band (min to max over seeds) around each mean,
         * diverged configurations marked where they stopped, in the order they were added.
         *
         * @param column a history column, e.g. {@code train_loss} or {@code val_accuracy}
         * @return a band-curve builder; {@code .figure()} draws it
         */
        public BandCurves bands(String column) {
            return BandCurves.of(curves, "config", "epoch", column)
                    .diverged(divergedAt)
                    .order(new ArrayList<>(learningRates.keySet()));
        }

        /**
         * The first epoch in which a run of each diverged configuration stopped.
         *
         * @return configuration name to epoch; only diverged configurations
         */
        public Map<String, Double> divergedAt() {
            return new LinkedHashMap<>(divergedAt);
        }

        /**
         * The column the comparison ranks by (default {@code val_accuracy}).
         *
         * @return e.g. {@code val_accuracy}
         */
        public String compared() {
            return best;
        }

        /**
         * One row per configuration, in the order they were added: learning rate, runs, diverged
         * runs, and over the runs that did not diverge: mean and standard deviation of the final
         * training loss, mean final validation loss, mean, standard deviation, minimum and maximum
         * of the best compared value, the mean epoch of best and the mean seconds per epoch.
         *
         * @return a new table
         */
        public Table summary() {
            return ComparisonSummary.table(runs, learningRates, best);
        }

        /**
         * The configurations from best to worst by their mean best compared value; configurations
         * whose every run diverged come last.
         *
         * @return configuration names
         */
        public List<String> ranking() {
            Table s = summary();
            List<String> names = new ArrayList<>(s.stringColumn("config").asList());
            DoubleColumn mean = s.doubleColumn("best_" + best + "_mean");
            Map<String, Double> score = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                double v = mean.getDouble(i);
                score.put(names.get(i), Double.isNaN(v) ? Double.NEGATIVE_INFINITY : higherIsBetter ? v : -v);
            }
            names.sort((a, b) -> Double.compare(score.get(b), score.get(a)));
            return names;
        }

        /**
         * What the comparison found, in sentences computed from its numbers: the ranking, the
         * lowest final training loss, whether the leader's lead over the second could be seed-to-seed
         * noise (a Wilcoxon signed-rank test of the per-seed differences, runs paired by seed), and which
         * configurations diverged.
         *
         * @return one finding per line
         */
        public String findings() {
            return ComparisonSummary.findings(summary(), runs, ranking(), best, higherIsBetter);
        }

        /**
         * How this comparison's configurations changed against another's of the same names (e.g.
         * with dropout against without): the differences of their mean final losses and best value.
         *
         * @param before the comparison to subtract
         * @return one row per configuration found in both: {@code config}, {@code
         *     final_train_loss_change}, {@code final_val_loss_change}, {@code best_<compared>_change}
         */
        public Table changeFrom(Result before) {
            return ComparisonSummary.change(summary(), before.summary(), best);
        }

        @Override
        public String toString() {
            return "Comparison.Result(" + runs.rowCount() + " runs, ranking by best " + best + ": " + ranking() + ")";
        }
    }

    /** Describes a {@link Comparison}. */
    public static final class Builder {
        private Supplier<Fit.Builder> fit;
        private Supplier<? extends Block> model;
        private final List<Config> configs = new ArrayList<>();
        private long[] seeds = {42};
        private String name = "comparison";
        private String best = "val_accuracy";

        private Builder() {}

        /**
         * Sets what every run shares: a new, partly described {@link Fit.Builder} per run (data,
         * loss, evaluators, epochs, batch size...). Block, seed and name are set by the comparison.
         *
         * @param fit makes the shared part of each run's fit
         * @return this builder
         */
        public Builder setFit(Supplier<Fit.Builder> fit) {
            this.fit = Objects.requireNonNull(fit, "fit");
            return this;
        }

        /**
         * Sets how to make the model: a new block per run (a configuration may replace it).
         *
         * @param model makes an untrained block
         * @return this builder
         */
        public Builder setModel(Supplier<? extends Block> model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /**
         * Adds an optimizer configuration.
         *
         * @param name the name in tables and legends, e.g. "Adam"
         * @param optim the optimizer
         * @param learningRate its learning rate
         * @return this builder
         */
        public Builder add(String name, Optim optim, float learningRate) {
            return add(name, optim, learningRate, UnaryOperator.identity());
        }

        /**
         * Adds an optimizer configuration that also changes the fit, e.g. the model.
         *
         * @param name the name in tables and legends
         * @param optim the optimizer
         * @param learningRate its learning rate
         * @param change changes the run's fit, e.g. {@code f -> f.setBlock(otherModel())}
         * @return this builder
         */
        public Builder add(String name, Optim optim, float learningRate, UnaryOperator<Fit.Builder> change) {
            Objects.requireNonNull(optim, "optim");
            addConfig(new Config(name, optim, learningRate, Objects.requireNonNull(change, "change")));
            return this;
        }

        /**
         * Adds a configuration that changes the shared fit in any way (optimizer, model, ...).
         *
         * @param name the name in tables and legends
         * @param change changes the run's fit
         * @return this builder
         */
        public Builder add(String name, UnaryOperator<Fit.Builder> change) {
            addConfig(new Config(name, null, Float.NaN, Objects.requireNonNull(change, "change")));
            return this;
        }

        private void addConfig(Config config) {
            require(config.name() != null && !config.name().isBlank(), "a configuration needs a name");
            for (Config c : configs) {
                require(!c.name().equals(config.name()), "two configurations are named '" + config.name() + "'");
            }
            configs.add(config);
        }

        /**
         * Sets the seeds; every configuration runs once per seed (default one seed, 42).
         *
         * @param seeds distinct seeds
         * @return this builder
         */
        public Builder optSeeds(long... seeds) {
            require(seeds.length > 0, "give at least one seed");
            require(Arrays.stream(seeds).distinct().count() == seeds.length, "seeds must differ: " + Arrays.toString(seeds));
            this.seeds = seeds.clone();
            return this;
        }

        /**
         * Names the comparison; runs are stored as {@code runs/<name>-<config>-seed<seed>-<key>}.
         *
         * @param name letters, digits, '.', '_' or '-'
         * @return this builder
         */
        public Builder optName(String name) {
            require(name != null && name.matches("[A-Za-z0-9._-]+"),
                    "name must use letters, digits, '.', '_' or '-', got '" + name + "'");
            this.name = name;
            return this;
        }

        /**
         * Sets the history column whose best epoch is reported and ranked (default {@code
         * val_accuracy}; columns ending in loss or error are better when lower).
         *
         * @param column e.g. {@code val_loss}
         * @return this builder
         */
        public Builder optCompare(String column) {
            this.best = Objects.requireNonNull(column, "column");
            return this;
        }

        /**
         * Checks the description and builds the comparison.
         *
         * @return the comparison, ready to {@link Comparison#run()}
         */
        public Comparison build() {
            require(fit != null, "no shared fit: call setFit(() -> Fit.builder()...)");
            require(model != null, "no model: call setModel(() -> new block)");
            require(!configs.isEmpty(), "no configurations: add(name, optim, learningRate) at least one");
            return new Comparison(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException("Comparison: " + message);
            }
        }
    }
}
