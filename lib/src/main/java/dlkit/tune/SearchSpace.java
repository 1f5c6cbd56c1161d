package dlkit.tune;

import dlkit.models.Mlp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * The hyper-parameter values a search may try, checked when built (before any training): every
 * list must be non-empty and every value possible. Enumerate it whole with {@link #grid()} or draw
 * a seeded random subset with {@link #sample(int, long)}.
 *
 * <pre>{@code
 * SearchSpace space = SearchSpace.builder()
 *         .setLayers(3, 4, 5)
 *         .setUnits(64, 128, 256)
 *         .setLearningRates(0.001f, 0.01f)
 *         .setBatchSizes(32, 64)
 *         .setEpochs(10)
 *         .setWeightDecays(0f, 1e-4f)
 *         .optActivations(Mlp.Act.RELU, Mlp.Act.ELU)   // enhanced variants; default relu only
 *         .optBatchNorm(false, true)                   // default false only
 *         .optDropouts(0f, 0.2f)                       // default 0 only
 *         .build();
 * List<Trial> trials = space.sample(12, 541);
 * }</pre>
 */
public final class SearchSpace {

    private final List<Integer> layers;
    private final List<Integer> units;
    private final List<Mlp.Act> activations;
    private final List<Boolean> batchNorm;
    private final List<Float> dropouts;
    private final List<Float> learningRates;
    private final List<Integer> batchSizes;
    private final List<Integer> epochs;
    private final List<Float> weightDecays;

    private SearchSpace(Builder b) {
        layers = List.copyOf(b.layers);
        units = List.copyOf(b.units);
        activations = List.copyOf(b.activations);
        batchNorm = List.copyOf(b.batchNorm);
        dropouts = List.copyOf(b.dropouts);
        learningRates = List.copyOf(b.learningRates);
        batchSizes = List.copyOf(b.batchSizes);
        epochs = List.copyOf(b.epochs);
        weightDecays = List.copyOf(b.weightDecays);
    }

    /**
     * Starts describing a search space.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The number of distinct trials in the full grid.
     *
     * @return the product of the list sizes
     */
    public long size() {
        long n = 1;
        for (int r : radices()) {
            n = Math.multiplyExact(n, r);
        }
        return n;
    }

    /**
     * Every combination, in a fixed order (the last-listed hyper-parameter varies slowest).
     *
     * @return all trials
     * @throws IllegalStateException if the grid has more than 100,000 points (sample instead)
     */
    public List<Trial> grid() {
        long n = size();
        if (n > 100_000) {
            throw new IllegalStateException("The grid has " + n + " trials; use sample(count, seed) instead");
        }
        List<Trial> all = new ArrayList<>((int) n);
        for (long i = 0; i < n; i++) {
            all.add(at(i));
        }
        return all;
    }

    /**
     * Draws distinct trials at random: the same count and seed always give the same trials in the
     * same order. Asking for at least {@link #size()} gives the whole grid, shuffled.
     *
     * @param count how many trials, at least 1
     * @param seed the random seed
     * @return the trials
     */
    public List<Trial> sample(int count, long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("SearchSpace: sample count must be at least 1, got " + count);
        }
        long n = size();
        Random random = new Random(seed);
        Set<Long> picked = new LinkedHashSet<>();
        if (count >= n) {
            List<Long> all = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                all.add(i);
            }
            java.util.Collections.shuffle(all, random);
            picked.addAll(all);
        } else {
            while (picked.size() < count) {
                picked.add(Math.floorMod(random.nextLong(), n));
            }
        }
        List<Trial> trials = new ArrayList<>(picked.size());
        picked.forEach(i -> trials.add(at(i)));
        return trials;
    }

    /** The trial at a mixed-radix index: digit k picks a value of the k-th hyper-parameter. */
    private Trial at(long index) {
        int[] r = radices();
        int[] d = new int[r.length];
        for (int k = 0; k < r.length; k++) {
            d[k] = (int) (index % r[k]);
            index /= r[k];
        }
        return new Trial(
                layers.get(d[0]), units.get(d[1]), activations.get(d[2]), batchNorm.get(d[3]), dropouts.get(d[4]),
                learningRates.get(d[5]), batchSizes.get(d[6]), epochs.get(d[7]), weightDecays.get(d[8]));
    }

    private int[] radices() {
        return new int[] {
            layers.size(), units.size(), activations.size(), batchNorm.size(), dropouts.size(),
            learningRates.size(), batchSizes.size(), epochs.size(), weightDecays.size()
        };
    }

    @Override
    public String toString() {
        return "SearchSpace(layers=" + layers
                + ", units=" + units
                + ", activations=" + activations
                + ", batchNorm=" + batchNorm
                + ", dropouts=" + dropouts
                + ", learningRates=" + learningRates
                + ", batchSizes=" + batchSizes
                + ", epochs=" + epochs
                + ", weightDecays=" + weightDecays
                + "; " + size() + " combinations)";
    }

    /** Describes a {@link SearchSpace}; the {@code set} lists are required, the {@code opt} ones default to the plain MLP. */
    public static final class Builder {
        private List<Integer> layers;
        private List<Integer> units;
        private List<Mlp.Act> activations = List.of(Mlp.Act.RELU);
        private List<Boolean> batchNorm = List.of(false);
        private List<Float> dropouts = List.of(0f);
        private List<Float> learningRates;
        private List<Integer> batchSizes;
        private List<Integer> epochs;
        private List<Float> weightDecays;

        private Builder() {}

        /**
         * Sets the numbers of hidden layers to try.
         *
         * @param values each at least 1
         * @return this builder
         */
        public Builder setLayers(int... values) {
            layers = ints(values);
            return this;
        }

        /**
         * Sets the hidden-layer widths to try (all hidden layers of a trial have the same width).
         *
         * @param values each at least 1
         * @return this builder
         */
        public Builder setUnits(int... values) {
            units = ints(values);
            return this;
        }

        /**
         * Sets the learning rates to try.
         *
         * @param values each positive
         * @return this builder
         */
        public Builder setLearningRates(float... values) {
            learningRates = floats(values);
            return this;
        }

        /**
         * Sets the minibatch sizes to try.
         *
         * @param values each at least 1
         * @return this builder
         */
        public Builder setBatchSizes(int... values) {
            batchSizes = ints(values);
            return this;
        }

        /**
         * Sets the epoch counts to try.
         *
         * @param values each at least 1
         * @return this builder
         */
        public Builder setEpochs(int... values) {
            epochs = ints(values);
            return this;
        }

        /**
         * Sets the weight decays (L2 on weights only, as {@code Fit.Builder.optWeightDecay}) to try.
         *
         * @param values each &gt;= 0; include 0 for "no regularisation"
         * @return this builder
         */
        public Builder setWeightDecays(float... values) {
            weightDecays = floats(values);
            return this;
        }

        /**
         * Sets the activations to try (default relu only).
         *
         * @param values the activations
         * @return this builder
         */
        public Builder optActivations(Mlp.Act... values) {
            activations = values == null ? List.of() : Arrays.asList(values);
            return this;
        }

        /**
         * Sets whether to try batch norm: {@code optBatchNorm(false, true)} tries both (default false only).
         *
         * @param values the choices
         * @return this builder
         */
        public Builder optBatchNorm(boolean... values) {
            List<Boolean> list = new ArrayList<>();
            for (boolean v : values == null ? new boolean[0] : values) {
                list.add(v);
            }
            batchNorm = list;
            return this;
        }

        /**
         * Sets the dropout rates to try (default 0 only).
         *
         * @param values each in [0, 1)
         * @return this builder
         */
        public Builder optDropouts(float... values) {
            dropouts = floats(values);
            return this;
        }

        /**
         * Checks every list and builds the space.
         *
         * @return the space
         * @throws IllegalArgumentException naming the first hyper-parameter that is missing, empty or impossible
         */
        public SearchSpace build() {
            checkInts("layers", layers, "setLayers(3, 4, 5)", "number of hidden layers");
            checkInts("units", units, "setUnits(64, 128)", "units per hidden layer");
            checkList("activations", activations, "optActivations(Mlp.Act.RELU)");
            activations.forEach(a -> Objects.requireNonNull(a, "SearchSpace: activations contain null"));
            checkList("batchNorm", batchNorm, "optBatchNorm(false, true)");
            checkList("dropouts", dropouts, "optDropouts(0f, 0.2f)");
            for (float d : dropouts) {
                require(d >= 0 && d < 1, "dropouts must be in [0, 1), got " + d);
            }
            checkList("learningRates", learningRates, "setLearningRates(0.001f, 0.01f)");
            for (float lr : learningRates) {
                require(lr > 0 && Float.isFinite(lr), "learningRates must be positive, got " + lr);
            }
            checkInts("batchSizes", batchSizes, "setBatchSizes(32, 64)", "minibatch size");
            checkInts("epochs", epochs, "setEpochs(10, 20)", "number of epochs");
            checkList("weight decays", weightDecays, "setWeightDecays(0f, 1e-4f)");
            for (float v : weightDecays) {
                require(v >= 0 && Float.isFinite(v), "weight decay must be >= 0 (0 = none), got " + v);
            }
            return new SearchSpace(this);
        }

        private static void checkInts(String name, List<Integer> values, String example, String what) {
            checkList(name, values, example);
            for (int v : values) {
                require(v >= 1, name + " must be at least 1 (" + what + "), got " + v);
            }
        }

        private static void checkList(String name, List<?> values, String example) {
            require(values != null, name + " not given: call " + example);
            require(!values.isEmpty(), name + " has no values: give at least one, e.g. " + example);
            Set<Object> seen = new HashSet<>();
            for (Object v : values) {
                require(seen.add(v), name + " lists " + v + " twice: give each value once");
            }
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException("SearchSpace: " + message);
            }
        }

        private static List<Integer> ints(int... values) {
            List<Integer> list = new ArrayList<>();
            for (int v : values == null ? new int[0] : values) {
                list.add(v);
            }
            return list;
        }

        private static List<Float> floats(float... values) {
            List<Float> list = new ArrayList<>();
            for (float v : values == null ? new float[0] : values) {
                list.add(v);
            }
            return list;
        }
    }
}
