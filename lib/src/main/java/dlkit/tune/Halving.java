package dlkit.tune;

import java.util.ArrayList;
import java.util.List;

/**
 * Successive halving, the pruning rule of a {@link Search} or {@link Grid}: every configuration
 * trains for {@code minEpochs}; the best {@code 1/reduction} of them (by the validation score at
 * that epoch) go on to {@code reduction} times as many epochs, the best of those again, and so on
 * up to each configuration's own epoch budget. The others stop where they fell behind: they are
 * <em>pruned</em>. This is the synchronous form of ASHA (Li et al. 2020), the rule behind Ray Tune's
 * ASHA scheduler and one bracket of KerasTuner's Hyperband.
 *
 * <pre>{@code
 * Halving.of(2, 3)   // rungs at 2, 6, 18 epochs, then the budget; a third goes on at each
 * }</pre>
 *
 * <p>A configuration that goes on is not trained again: it continues from its checkpoint, and its
 * first epochs are exactly those of an unpruned run, so a configuration trained to its budget
 * scores what it would in a search without pruning. The price is that a slow starter (a small
 * learning rate, say) can be pruned before it would have caught up: a larger {@code minEpochs}
 * or a smaller {@code reduction} prunes later and more gently.
 */
public final class Halving {

    private final int minEpochs;
    private final int reduction;

    private Halving(int minEpochs, int reduction) {
        this.minEpochs = minEpochs;
        this.reduction = reduction;
    }

    /**
     * Successive halving with its first rung at {@code minEpochs} epochs.
     *
     * @param minEpochs epochs every configuration trains before the first comparison, at least 1
     * @param reduction how much each rung narrows the field and lengthens training, at least 2
     * @return the rule
     * @throws IllegalArgumentException for a value out of range, saying which
     */
    public static Halving of(int minEpochs, int reduction) {
        if (minEpochs < 1) {
            throw new IllegalArgumentException("Halving: minEpochs must be at least 1 (every configuration trains"
                    + " that long before any is pruned), got " + minEpochs);
        }
        if (reduction < 2) {
            throw new IllegalArgumentException("Halving: reduction must be at least 2 (keep 1 in reduction at each"
                    + " rung), got " + reduction);
        }
        return new Halving(minEpochs, reduction);
    }

    /**
     * Epochs every configuration trains before the first comparison.
     *
     * @return at least 1
     */
    public int minEpochs() {
        return minEpochs;
    }

    /**
     * How much each rung narrows the field (keeps 1 in {@code reduction}) and lengthens training.
     *
     * @return at least 2
     */
    public int reduction() {
        return reduction;
    }

    /**
     * The epochs at which configurations are compared, for a longest budget of {@code maxEpochs}:
     * {@code minEpochs}, {@code minEpochs * reduction}, ... while below {@code maxEpochs}, then
     * {@code maxEpochs}.
     *
     * @param maxEpochs the largest epoch budget among the configurations
     * @return the rungs, ascending, ending at {@code maxEpochs}
     */
    public List<Integer> rungs(int maxEpochs) {
        List<Integer> rungs = new ArrayList<>();
        for (long r = minEpochs; r < maxEpochs; r *= reduction) {
            rungs.add((int) r);
        }
        rungs.add(maxEpochs);
        return rungs;
    }

    /**
     * How many of {@code n} configurations compared at a rung go on: {@code ceil(n / reduction)}.
     *
     * @param n configurations compared
     * @return at least 1 when {@code n >= 1}
     */
    public int survivors(int n) {
        return (n + reduction - 1) / reduction;
    }

    @Override
    public String toString() {
        return "Halving(minEpochs=" + minEpochs + ", reduction=" + reduction + ")";
    }
}
