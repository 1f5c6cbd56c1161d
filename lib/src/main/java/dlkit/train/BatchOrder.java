package dlkit.train;

/**
 * The order in which a fit visits the training examples in an epoch; batches are consecutive runs of
 * it. Without one, {@link Fit} shuffles every epoch with {@link Fit#shuffledOrder} (or keeps the data
 * order with {@code optShuffle(false)}).
 *
 * <pre>{@code
 * // the same order as a hand-written loop that shuffles with its own generator
 * Fit.builder()...optBatchOrder((epoch, n) -> myLoop.orderOf(epoch))
 * }</pre>
 */
@FunctionalInterface
public interface BatchOrder {

    /**
     * The order of one epoch.
     *
     * @param epoch the 1-based epoch
     * @param examples how many training examples there are
     * @return a permutation of {@code 0 .. examples-1}
     */
    int[] order(int epoch, int examples);
}
