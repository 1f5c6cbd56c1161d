package dlkit.train;

import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.FactorTracker;
import ai.djl.training.tracker.Tracker;
import java.util.Arrays;
import java.util.Locale;

/**
 * A learning-rate schedule over epochs: the rate is set at the start of every epoch, as in
 * PyTorch's {@code StepLR}/{@code MultiStepLR}/{@code CosineAnnealingLR}/{@code ReduceLROnPlateau}.
 *
 * <pre>{@code
 * Schedule.step(5, 0.5f)              // halve every 5 epochs
 * Schedule.multiStep(0.1f, 10, 15)    // x0.1 at epochs 10 and 15
 * Schedule.cosine(1e-5f)              // cosine from the base rate to 1e-5 over the run
 * Schedule.onPlateau(0.5f, 2)         // halve after 2 epochs without validation-loss progress
 * Schedule.piecewise(0.005f).then(31, 0.003f).then(61, 0.001f)   // given rates from given epochs
 * Schedule.custom("warm-up", (epoch, epochs, base) -> base * Math.min(1f, epoch / 5f))   // your own
 * }</pre>
 *
 * <p>A schedule is a description (its {@link #toString()} enters the run-cache key); {@link Fit}
 * turns it into a {@link Plan} per run. Step and cosine use DJL's {@link FactorTracker} and {@link
 * CosineTracker} with the epoch as the update count. Multi-step is one line here because DJL's
 * {@code MultiFactorTracker} keeps a position that only moves forward (not resumable) and refuses a
 * single milestone; reduce-on-plateau needs the validation loss, which DJL trackers never see.
 */
public abstract class Schedule {

    private Schedule() {}

    /**
     * Returns a constant learning rate.
     *
     * @return the schedule
     */
    public static Schedule constant() {
        return new Schedule() {
            @Override
            Plan start(float base, int epochs) {
                return epoch -> base;
            }

            @Override
            public String toString() {
                return "constant";
            }
        };
    }

    /**
     * Multiplies the rate by {@code gamma} every {@code stepSize} epochs.
     *
     * @param stepSize epochs between decays, at least 1
     * @param gamma factor, in (0, 1]
     * @return the schedule
     */
    public static Schedule step(int stepSize, float gamma) {
        require(stepSize >= 1, "step size must be at least 1 epoch, got " + stepSize);
        checkGamma(gamma);
        return new Schedule() {
            @Override
            Plan start(float base, int epochs) {
                Tracker tracker = FactorTracker.builder().setBaseValue(base).setFactor(gamma).build();
                return epoch -> tracker.getNewValue((epoch - 1) / stepSize);
            }

            @Override
            public String toString() {
                return "step(size=" + stepSize + ", gamma=" + gamma + ")";
            }
        };
    }

    /**
     * Multiplies the rate by {@code gamma} at each milestone epoch (the rate of epoch {@code m} is
     * already reduced).
     *
     * @param gamma factor, in (0, 1]
     * @param milestones increasing epochs (one or more)
     * @return the schedule
     */
    public static Schedule multiStep(float gamma, int... milestones) {
        checkGamma(gamma);
        require(milestones.length > 0, "give at least one milestone epoch");
        for (int i = 0; i < milestones.length; i++) {
            require(milestones[i] >= 2, "milestones are epochs from 2 on, got " + milestones[i]);
            require(
                    i == 0 || milestones[i] > milestones[i - 1],
                    "milestones must increase, got " + Arrays.toString(milestones));
        }
        int[] steps = milestones.clone();
        return new Schedule() {
            @Override
            Plan start(float base, int epochs) {
                return epoch -> {
                    int passed = 0;
                    while (passed < steps.length && steps[passed] <= epoch) {
                        passed++;
                    }
                    return (float) (base * Math.pow(gamma, passed));
                };
            }

            @Override
            public String toString() {
                return "multiStep(gamma=" + gamma + ", milestones=" + Arrays.toString(steps) + ")";
            }
        };
    }

    /**
     * Cosine annealing from the base rate (epoch 1) towards {@code minLr} at the end of the run.
     *
     * @param minLr the final rate, below the base rate, at least 0
     * @return the schedule
     */
    public static Schedule cosine(float minLr) {
        require(minLr >= 0, "minimum learning rate must be >= 0, got " + minLr);
        return new Schedule() {
            @Override
            Plan start(float base, int epochs) {
                require(
                        minLr < base,
                        "cosine minimum learning rate " + minLr + " must be below the base " + base);
                Tracker tracker =
                        CosineTracker.builder()
                                .setBaseValue(base)
                                .optFinalValue(minLr)
                                .setMaxUpdates(epochs)
                                .build();
                return epoch -> tracker.getNewValue(epoch - 1);
            }

            @Override
            public String toString() {
                return "cosine(min=" + minLr + ")";
            }
        };
    }

    /**
     * Multiplies the rate by {@code factor} when the validation loss (train loss without a
     * validation set) has not improved by more than 0.01% for {@code patience} epochs.
     *
     * @param factor factor, in (0, 1)
     * @param patience epochs without improvement tolerated, at least 0
     * @return the schedule
     */
    public static Schedule onPlateau(float factor, int patience) {
        return onPlateau(factor, patience, 0f);
    }

    /**
     * Like {@link #onPlateau(float, int)}, never going below {@code minLr}.
     *
     * @param factor factor, in (0, 1)
     * @param patience epochs without improvement tolerated, at least 0
     * @param minLr lower bound of the rate
     * @return the schedule
     */
    public static Schedule onPlateau(float factor, int patience, float minLr) {
        require(factor > 0 && factor < 1, "plateau factor must be in (0, 1), got " + factor);
        require(patience >= 0, "patience must be >= 0 epochs, got " + patience);
        return new Schedule() {
            @Override
            Plan start(float base, int epochs) {
                return new Plateau(base, factor, patience, minLr);
            }

            @Override
            public String toString() {
                return "onPlateau(factor="
                        + factor
                        + ", patience="
                        + patience
                        + ", min="
                        + minLr
                        + ")";
            }
        };
    }

    /**
     * A schedule of your own: {@code rate} gives each epoch's learning rate from the epoch, the run's
     * number of epochs and the fit's learning rate ({@code optLearningRate}):
     *
     * <pre>{@code
     * // linear warm-up over 5 epochs, then cosine decay towards zero
     * Schedule.custom("warm-up, cosine", (epoch, epochs, base) -> epoch <= 5 ? base * epoch / 5
     *         : (float) (base * 0.5 * (1 + Math.cos(Math.PI * (epoch - 5) / (epochs - 4)))))
     * }</pre>
     *
     * <p>{@link Fit} computes every epoch's rate before training and refuses a negative, NaN or
     * infinite one, naming the epoch. The rates enter the run key, so an edited rule trains again.
     *
     * @param name what tables and the fit's description call it
     * @param rate the rule, a pure function of its arguments
     * @return the schedule
     */
    public static Schedule custom(String name, EpochRate rate) {
        require(name != null && !name.isBlank(), "a custom schedule needs a name, e.g. Schedule.custom(\"warm-up\", rule)");
        java.util.Objects.requireNonNull(rate, "rate");
        String shown = name.strip();
        return new Schedule() {
            @Override
            Plan start(float base, int epochs) {
                return epoch -> rate.rate(epoch, epochs, base);
            }

            @Override
            EpochRate rule() {
                return rate;
            }

            @Override
            public String toString() {
                return shown;
            }
        };
    }

    /** The learning rate of one epoch in a {@link #custom} schedule. */
    @FunctionalInterface
    public interface EpochRate {
        /**
         * The rate of one epoch.
         *
         * @param epoch the epoch, from 1 to {@code epochs}
         * @param epochs the run's epochs
         * @param base the fit's learning rate
         * @return the rate, at least 0
         */
        float rate(int epoch, int epochs, float base);
    }

    /** The rule of a {@link #custom} schedule, null for the others. */
    EpochRate rule() {
        return null;
    }

    /**
     * Every epoch's rate of a {@link #custom} schedule, checked: at least 0 and finite.
     *
     * @throws IllegalArgumentException naming the first epoch whose rate is not
     */
    float[] checkedRates(float base, int epochs) {
        float[] rates = rates(base, epochs);
        for (int e = 1; e <= epochs; e++) {
            float r = rates[e - 1];
            require(r >= 0 && Float.isFinite(r), this + " gives epoch " + e + " of " + epochs + " the rate " + r
                    + " (base rate " + base + "): every epoch's rate must be at least 0 and finite");
        }
        return rates;
    }

    /**
     * Given rates from given epochs on, e.g. {@code piecewise(0.005f).then(31, 0.003f)}: 0.005 for
     * epochs 1 to 30, then 0.003. The rates are the rates themselves, not factors of the fit's
     * learning rate, so a fit with this schedule leaves {@code optLearningRate} unset.
     *
     * @param firstRate the rate from epoch 1, positive
     * @return the schedule; add later rates with {@link Piecewise#then}
     */
    public static Piecewise piecewise(float firstRate) {
        return new Piecewise(new int[] {1}, new float[] {firstRate});
    }

    /**
     * The rate of every epoch of a run, e.g. to draw the schedule or to drive a hand-written loop.
     *
     * @param base the fit's learning rate (ignored by {@link #piecewise})
     * @param epochs the run's epochs
     * @return the rate of epoch {@code e} at index {@code e - 1}
     * @throws IllegalStateException for {@link #onPlateau}, whose rates depend on the losses
     */
    public float[] rates(float base, int epochs) {
        Plan plan = start(base, epochs);
        if (plan instanceof Plateau) {
            throw new IllegalStateException(this + " changes the rate when the validation loss stalls: its rates"
                    + " are known only during a fit (see the history's lr column)");
        }
        float[] rates = new float[epochs];
        for (int e = 1; e <= epochs; e++) {
            rates[e - 1] = plan.lr(e);
        }
        return rates;
    }

    /** Given rates from given epochs on; immutable, {@link #then} returns a longer copy. */
    public static final class Piecewise extends Schedule {
        private final int[] from;
        private final float[] rates;

        private Piecewise(int[] from, float[] rates) {
            float last = rates[rates.length - 1];
            require(last > 0 && Float.isFinite(last), "piecewise rates must be positive, got " + last);
            this.from = from;
            this.rates = rates;
        }

        /**
         * Adds a rate from an epoch on.
         *
         * @param epoch the first epoch with this rate, after the previous one's
         * @param rate the rate, positive
         * @return a new schedule with this piece added
         */
        public Piecewise then(int epoch, float rate) {
            require(epoch > from[from.length - 1], "piecewise epochs must increase: " + epoch + " comes after "
                    + from[from.length - 1]);
            int[] f = Arrays.copyOf(from, from.length + 1);
            float[] r = Arrays.copyOf(rates, rates.length + 1);
            f[from.length] = epoch;
            r[rates.length] = rate;
            return new Piecewise(f, r);
        }

        /**
         * The rate of epoch 1.
         *
         * @return the first rate
         */
        public float firstRate() {
            return rates[0];
        }

        @Override
        Plan start(float base, int epochs) {
            return epoch -> {
                int piece = 0;
                while (piece + 1 < from.length && from[piece + 1] <= epoch) {
                    piece++;
                }
                return rates[piece];
            };
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("piecewise(");
            for (int i = 0; i < from.length; i++) {
                s.append(i == 0 ? "" : ", ").append("from ").append(from[i]).append(": ").append(rates[i]);
            }
            return s.append(')').toString();
        }
    }

    /**
     * Starts the schedule for one run.
     *
     * @param base the base learning rate
     * @param epochs the run's epochs
     * @return the per-run plan
     */
    abstract Plan start(float base, int epochs);

    /** A schedule running in one fit: the rate per epoch, plus state for checkpoints. */
    interface Plan {
        /** The rate for a 1-based epoch; called once per epoch, in order. */
        float lr(int epoch);

        /** Told the monitored loss after each epoch. */
        default void epochEnded(int epoch, double loss) {}

        /** State for a checkpoint (empty when the plan is a pure function of the epoch). */
        default String state() {
            return "";
        }

        /** Restores {@link #state()}. */
        default void restore(String state) {}
    }

    /** Reduce-on-plateau, as PyTorch's ReduceLROnPlateau in mode min with a relative threshold. */
    static final class Plateau implements Plan {
        private static final double THRESHOLD = 1e-4;
        private final float factor;
        private final int patience;
        private final float minLr;
        private float lr;
        private double best = Double.POSITIVE_INFINITY;
        private int badEpochs;

        Plateau(float base, float factor, int patience, float minLr) {
            this.lr = base;
            this.factor = factor;
            this.patience = patience;
            this.minLr = minLr;
        }

        @Override
        public float lr(int epoch) {
            return lr;
        }

        @Override
        public void epochEnded(int epoch, double loss) {
            if (loss < best * (1 - THRESHOLD)) {
                best = loss;
                badEpochs = 0;
            } else if (++badEpochs > patience) {
                lr = Math.max(minLr, lr * factor);
                badEpochs = 0;
            }
        }

        @Override
        public String state() {
            return String.format(Locale.ROOT, "%s %s %d", Float.toString(lr), Double.toString(best), badEpochs);
        }

        @Override
        public void restore(String state) {
            String[] parts = state.split(" ");
            lr = Float.parseFloat(parts[0]);
            best = Double.parseDouble(parts[1]);
            badEpochs = Integer.parseInt(parts[2]);
        }
    }

    private static void checkGamma(float gamma) {
        require(gamma > 0 && gamma <= 1, "decay factor gamma must be in (0, 1], got " + gamma);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Schedule: " + message);
        }
    }
}
