package dlkit.train;

import ai.djl.ndarray.NDArray;

/**
 * One step of an optimizer of your own, on one parameter: {@link Optim#custom} turns it into an
 * {@link Optim} that {@link Fit}, {@link Comparison} and the tuners train with, checkpoint and cache
 * like the built-in ones.
 *
 * <pre>{@code
 * // heavy-ball momentum, PyTorch's rule: b = 0.9 b + g; w -= lr * b
 * Optim momentum = Optim.custom("my momentum", 1, (weight, grad, state, lr, step) -> {
 *     state[0].muli(0.9f).addi(grad);
 *     weight.subi(state[0].mul(lr));
 * });
 * }</pre>
 *
 * <p>Change {@code weight} in place ({@code subi}, {@code muli}, ...): assigning a new array to the
 * variable changes nothing, and {@link Fit} refuses such a rule before training. The state arrays may
 * be changed in place or replaced ({@code state[0] = state[0].mul(0.9f).add(grad)}). Arrays made
 * along the way are freed after each step, so a rule needs no {@code try}-with-resources. The
 * rule runs with gradient recording off, once per parameter per step, weights and biases alike;
 * {@link Fit.Builder#optWeightDecay} has already been added to {@code grad}. Random numbers the
 * rule draws (noise for Langevin dynamics, say: {@code weight.getManager().randomNormal(...)}) come
 * from the run's own stream, so the run repeats from its seed, also beside other fits. Values the rule
 * captures (a {@code beta} from the cell above, say) are part of the run's cache key, and so is
 * what the rule computes on test values: an edited rule trains again.
 */
@FunctionalInterface
public interface UpdateRule {

    /**
     * Updates {@code weight} in place.
     *
     * @param weight the parameter's values, to change in place
     * @param grad its gradient for this batch (do not change it)
     * @param state the parameter's own state arrays, shaped like {@code weight}, zero before the
     *     first step and kept between steps (and in checkpoints)
     * @param lr this step's learning rate, from {@link Fit.Builder#optLearningRate} and the
     *     {@link Schedule}
     * @param step the step number, 1 for the first update of a run
     */
    void update(NDArray weight, NDArray grad, NDArray[] state, float lr, int step);
}
