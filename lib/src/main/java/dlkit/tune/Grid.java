package dlkit.tune;

import ai.djl.nn.Block;
import dlkit.data.Examples;
import dlkit.display.Notebook;
import dlkit.inspect.ModelSummary;
import dlkit.train.Fit;
import dlkit.train.History;
import dlkit.train.Run;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/**
 * Trains every combination of some settings (a grid) for any model and any metric, and gathers
 * the runs in one table and a figure.
 *
 * <pre>{@code
 * GridResults grid = Grid.builder()
 *         .setName("sets")
 *         .setFit(() -> Fit.builder().setTrainData(train).optValidation(val).setLoss(Loss.l2Loss())
 *                 .optEpochs(100).optEarlyStopping(EarlyStopping.on("val_loss").optPatience(10)))
 *         .addAxis("layers", 2, 3, 5)
 *         .addAxis("width", 2, 5, 10, 100, 200)
 *         .setModel(c -> DeepSets.builder().optLayers(c.getInt("layers")).optWidth(c.getInt("width")).build())
 *         .optCompare("val_loss")
 *         .build()
 *         .run();
 * grid.table()              // one row per configuration: its values, parameters, epochs, time, metrics
 * grid.figure()             // the compared metric by the last axis, one line per other combination
 * }</pre>
 *
 * <p>{@code optSample(count, seed)} trains a random sample of the combinations instead (random
 * search: for the same number of runs it tries more values of each setting than a grid, which
 * pays when only some settings matter, Bergstra and Bengio 2012).
 *
 * <p>Every run goes through {@link Fit}, so it is cached and resumable like any other: running the
 * grid again returns every finished configuration from the run cache, and an interrupted grid
 * continues where it stopped. Runs are closed as soon as they are read, so memory stays flat.
 */
public final class Grid {

    private final String name;
    private final Supplier<Fit.Builder> fit;
    private final Function<GridConfig, ? extends Block> model;
    private final BiConsumer<GridConfig, Fit.Builder> change;
    private final Map<String, List<Object>> axes;
    private final String compared;
    private final boolean progress;
    private final Examples test;
    private final Halving pruning;
    private final int sample;
    private final long sampleSeed;

    private Grid(Builder b) {
        name = b.name;
        fit = b.fit;
        model = b.model;
        change = b.change;
        axes = new LinkedHashMap<>(b.axes);
        compared = b.compared;
        progress = b.progress;
        test = b.test;
        pruning = b.pruning;
        sample = b.sample;
        sampleSeed = b.sampleSeed;
    }

    /**
     * Starts describing a grid.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Every combination of the axes' values, the first axis varying slowest; with {@code
     * optSample}, the sampled ones in that order.
     *
     * @return the configurations in training order
     */
    public List<GridConfig> configurations() {
        long size = size(axes);
        if (sample == 0) {
            List<GridConfig> all = new ArrayList<>();
            for (long i = 0; i < size; i++) {
                all.add(config(i));
            }
            return all;
        }
        // indices drawn without materialising the grid: a sampled space can be far larger than the sample
        Random random = new Random(sampleSeed);
        TreeSet<Long> picked = new TreeSet<>();
        while (picked.size() < sample) {
            picked.add(random.nextLong(size));
        }
        return picked.stream().map(this::config).toList();
    }

    /** The combination at {@code index} in grid order: axes as digits, the first the most significant. */
    private GridConfig config(long index) {
        List<Map.Entry<String, List<Object>>> list = new ArrayList<>(axes.entrySet());
        Object[] chosen = new Object[list.size()];
        for (int a = list.size() - 1; a >= 0; a--) {
            List<Object> values = list.get(a).getValue();
            chosen[a] = values.get((int) (index % values.size()));
            index /= values.size();
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (int a = 0; a < list.size(); a++) {
            values.put(list.get(a).getKey(), chosen[a]);
        }
        return new GridConfig(values);
    }

    /** How many combinations the axes make (Long.MAX_VALUE if more). */
    private static long size(Map<String, List<Object>> axes) {
        long size = 1;
        for (List<Object> values : axes.values()) {
            size = values.size() > Long.MAX_VALUE / size ? Long.MAX_VALUE : size * values.size();
        }
        return size;
    }

    /**
     * The fit of one configuration, as {@link #run()} trains it.
     *
     * @param config one of {@link #configurations()}
     * @return its fit builder
     */
    public Fit.Builder fit(GridConfig config) {
        Fit.Builder b = fit.get().setBlock(model.apply(config)).optName(name + "-" + config.slug());
        change.accept(config, b);
        return b;
    }

    /**
     * Trains (or reads from the run cache) every configuration, several at a time where that pays
     * ({@link Fit#runEach}); results come in configuration order.
     *
     * @return the results
     */
    public GridResults run() {
        if (pruning != null) {
            return runPruned();
        }
        List<GridConfig> configs = configurations();
        GridResults results = new GridResults(name, new ArrayList<>(axes.keySet()), compared, null);
        StatusLine statusLine = new StatusLine(progress);
        long start = System.nanoTime();
        statusLine.show(String.format(Locale.ROOT, "%s: %d configurations", name, configs.size()));
        List<Fit> fits = new ArrayList<>();
        for (GridConfig c : configs) {
            fits.add(quiet(fit(c)).build());
        }
        int[] next = {0};
        Fit.runEach(fits, run -> {
            int i = next[0]++;
            GridConfig c = configs.get(i);
            Map<String, Double> scores = test == null || run.history().epochs() == 0 ? Map.of()
                    : fits.get(i).score(run.block(), test, "test");
            results.add(c, run, ModelSummary.trainableParameters(run.block()), scores);
            History h = run.history();
            String status = String.format(Locale.ROOT, "%s: %d/%d %s", name, i + 1, configs.size(), c);
            statusLine.report(status + (h.columns().contains(compared) && h.epochs() > 0
                    ? String.format(Locale.ROOT, " -> %s %s%s", compared, dlkit.display.Html.number(
                            h.value(compared, h.epochs())), run.fromCache() ? " (from the run cache)" : "")
                    : ""));
        });
        results.finish((System.nanoTime() - start) / 1e9);
        return results;
    }

    /** Successive halving over the configurations, ranked by the compared column. */
    private GridResults runPruned() {
        long start = System.nanoTime();
        List<GridConfig> configs = configurations();
        StatusLine status = new StatusLine(progress);
        List<Rungs.Member> members = new ArrayList<>();
        for (GridConfig c : configs) {
            members.add(new Rungs.Member(c.toString(), () -> quiet(fit(c))));
        }
        Path folder = fit(configs.get(0)).build().runsDirectory().resolve("grid-" + name);
        Rungs rungs = new Rungs(pruning, folder, compared, History.lowerIsBetter(compared),
                line -> status.report(name + ": " + line), null);
        List<Rungs.Outcome> outcomes = rungs.run(members);
        GridResults results = new GridResults(name, new ArrayList<>(axes.keySet()), compared, pruning);
        for (int i = 0; i < configs.size(); i++) {
            Rungs.Outcome o = outcomes.get(i);
            Map<String, Double> scores = Map.of();
            if (test != null && !o.pruned() && !o.rows().isEmpty()) {
                Fit configured = quiet(fit(configs.get(i))).build();
                try (Run run = configured.run()) { // from the run cache: the rungs trained it to its end
                    scores = configured.score(run.block(), test, "test");
                }
            }
            results.add(configs.get(i), table(o.rows()), o.standing().stopped() != null, o.prunedAt(),
                    o.standing().parameters(), scores);
        }
        results.finish((System.nanoTime() - start) / 1e9);
        return results;
    }

    /** One status line for the grid instead of each fit's progress. */
    private Fit.Builder quiet(Fit.Builder b) {
        return Notebook.isActive() || !progress ? b.optProgress(false) : b;
    }

    private static Table table(List<Map<String, Double>> rows) {
        Table t = Table.create("history");
        if (!rows.isEmpty()) {
            for (String c : rows.get(0).keySet()) {
                t.addColumns(DoubleColumn.create(c, rows.stream().mapToDouble(r -> r.getOrDefault(c, Double.NaN))));
            }
        }
        return t;
    }

    @Override
    public String toString() {
        return "Grid(" + name + ": " + axes + ", compared by " + compared
                + (sample > 0 ? ", sample=" + sample + " seed=" + sampleSeed : "")
                + (pruning != null ? ", pruning=" + pruning : "") + ")";
    }

    /** Describes a {@link Grid}. */
    public static final class Builder {
        private String name = "grid";
        private Supplier<Fit.Builder> fit;
        private Function<GridConfig, ? extends Block> model;
        private BiConsumer<GridConfig, Fit.Builder> change = (c, b) -> { };
        private final Map<String, List<Object>> axes = new LinkedHashMap<>();
        private String compared = "val_loss";
        private boolean progress = true;
        private Examples test;
        private Halving pruning;
        private int sample;
        private long sampleSeed;

        private Builder() {}

        /**
         * Names the grid; runs are stored as {@code runs/<name>-<values>-<key>}.
         *
         * @param name letters, digits, '.', '_' or '-'
         * @return this builder
         */
        public Builder setName(String name) {
            this.name = name;
            return this;
        }

        /**
         * Sets what every run shares: a new fit builder with data, loss, evaluators, epochs...
         *
         * @param fit makes the shared part of each run's fit
         * @return this builder
         */
        public Builder setFit(Supplier<Fit.Builder> fit) {
            this.fit = Objects.requireNonNull(fit, "fit");
            return this;
        }

        /**
         * Sets the model of a configuration: a new, untrained block per run.
         *
         * @param model makes the block from the configuration's values
         * @return this builder
         */
        public Builder setModel(Function<GridConfig, ? extends Block> model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /**
         * Adds an axis: a setting and the values to try (numbers, text, enums).
         *
         * @param name the setting's name, a column of the results
         * @param values at least one, distinct
         * @return this builder
         */
        public Builder addAxis(String name, Object... values) {
            require(name != null && name.matches("[A-Za-z][A-Za-z0-9_]*"),
                    "axis names are identifiers (letters, digits, '_'), got '" + name + "'");
            require(!axes.containsKey(name), "two axes are named '" + name + "'");
            require(values.length > 0, "axis '" + name + "' needs at least one value");
            require(Arrays.stream(values).distinct().count() == values.length,
                    "axis '" + name + "' repeats a value: " + Arrays.toString(values));
            axes.put(name, List.of(values));
            return this;
        }

        /**
         * Changes each run's fit by its configuration beyond the model, e.g. {@code (c, f) ->
         * f.optLearningRate(c.getFloat("lr"))}.
         *
         * @param change applied after the shared fit and the model
         * @return this builder
         */
        public Builder optChange(BiConsumer<GridConfig, Fit.Builder> change) {
            this.change = Objects.requireNonNull(change, "change");
            return this;
        }

        /**
         * Sets the history column that ranks the configurations (default {@code val_loss}; lower is
         * better for columns ending in loss or error).
         *
         * @param column e.g. {@code val_accuracy}
         * @return this builder
         */
        public Builder optCompare(String column) {
            this.compared = Objects.requireNonNull(column, "column");
            return this;
        }

        /**
         * Scores every trained configuration on held-out examples with its fit's loss and
         * metrics, as columns {@code test_loss}, {@code test_<metric>} of the results (examples
         * neither training nor early stopping has seen).
         *
         * @param test e.g. the test part of {@code Examples.split}
         * @return this builder
         */
        public Builder optTest(Examples test) {
            this.test = Objects.requireNonNull(test, "test");
            return this;
        }

        /**
         * Stops poor configurations early by successive halving on the compared column instead of
         * training each to its epoch budget (default: no pruning). Configurations that reach their
         * budget (or early stopping) score exactly what they would without pruning; pruned ones keep
         * their history up to where they stopped and are never the best. Needs the run cache.
         *
         * @param halving e.g. {@code Halving.of(5, 3)}
         * @return this builder
         */
        public Builder optPruning(Halving halving) {
            this.pruning = Objects.requireNonNull(halving, "halving");
            return this;
        }

        /**
         * Trains {@code count} combinations drawn at random (without repeats) instead of all of
         * them: random search. The same seed draws the same combinations, so a rerun comes from the
         * run cache.
         *
         * @param count how many combinations, fewer than the grid has
         * @param seed the draw's seed
         * @return this builder
         */
        public Builder optSample(int count, long seed) {
            require(count >= 1, "optSample needs a count of at least 1, got " + count);
            this.sample = count;
            this.sampleSeed = seed;
            return this;
        }

        /**
         * Turns the grid's progress lines off or on (default on).
         *
         * @param progress whether to show progress
         * @return this builder
         */
        public Builder optProgress(boolean progress) {
            this.progress = progress;
            return this;
        }

        /**
         * Checks the description and builds the grid (nothing is trained yet).
         *
         * @return the grid
         */
        public Grid build() {
            require(name != null && name.matches("[A-Za-z0-9._-]+"),
                    "name must use letters, digits, '.', '_' or '-', got '" + name + "'");
            require(fit != null, "no shared fit: call setFit(() -> Fit.builder()...)");
            require(model != null, "no model: call setModel(config -> block)");
            require(!axes.isEmpty(), "no axes: call addAxis(name, values...) at least once");
            long size = size(axes);
            require(sample < size, String.format(Locale.ROOT, "optSample(%d, ...) but the axes make only %d"
                    + " combinations: leave optSample out to train them all, or sample fewer", sample, size));
            require(sample > 0 || size <= 100_000, String.format(Locale.ROOT, "the axes make %,d combinations:"
                    + " sample some with optSample(count, seed)", size));
            return new Grid(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException("Grid: " + message);
            }
        }
    }
}
