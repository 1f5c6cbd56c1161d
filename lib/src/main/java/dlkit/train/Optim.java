package dlkit.train;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.util.function.Function;

/**
 * Which optimizer {@link Fit} uses: a description of one of DJL's optimizers, without its learning
 * rate (that comes from {@link Fit.Builder#optLearningRate} and the {@link Schedule}).
 *
 * <p>Only SGD (with or without momentum), Adam and AdamW: DJL's PyTorch engine implements no other
 * update op (Nag, RmsProp, Adagrad and Adadelta throw {@code UnsupportedOperationException}).
 *
 * <p>Weight decay is not set here: {@link Fit} adds L2 decay to weights only, not to biases or
 * normalisation parameters, which DJL's own {@code optWeightDecays} cannot do.
 */
public final class Optim {

    private final String description;
    private final Function<ParameterTracker, Optimizer> factory;

    private Optim(String description, Function<ParameterTracker, Optimizer> factory) {
        this.description = description;
        this.factory = factory;
    }

    /**
     * Plain minibatch gradient descent.
     *
     * @return the optimizer description
     */
    public static Optim sgd() {
        return new Optim("sgd", lr -> Optimizer.sgd().setLearningRateTracker(lr).build());
    }

    /**
     * Gradient descent with (heavy-ball) momentum.
     *
     * @param momentum in [0, 1)
     * @return the optimizer description
     */
    public static Optim sgd(float momentum) {
        check(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
        return new Optim(
                "sgd(momentum=" + momentum + ")",
                lr -> Optimizer.sgd().setLearningRateTracker(lr).optMomentum(momentum).build());
    }

    /**
     * Adam with betas 0.9 and 0.999 and epsilon 1e-8.
     *
     * @return the optimizer description
     */
    public static Optim adam() {
        return adam(0.9f, 0.999f, 1e-8f);
    }

    /**
     * Adam.
     *
     * @param beta1 decay of the first moment, in [0, 1)
     * @param beta2 decay of the second moment, in [0, 1)
     * @param epsilon added to the denominator, &gt; 0
     * @return the optimizer description
     */
    public static Optim adam(float beta1, float beta2, float epsilon) {
        check(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got " + beta1);
        check(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got " + beta2);
        check(epsilon > 0, "epsilon must be > 0, got " + epsilon);
        return new Optim(
                "adam(beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + epsilon + ")",
                lr ->
                        Optimizer.adam()
                                .optLearningRateTracker(lr)
                                .optBeta1(beta1)
                                .optBeta2(beta2)
                                .optEpsilon(epsilon)
                                .build());
    }

    /**
     * AdamW (Loshchilov and Hutter): Adam with decoupled weight decay, {@code w -= lr * decay * w}
     * on every parameter at each step, as PyTorch's {@code AdamW}; betas 0.9 and 0.999, epsilon 1e-8.
     * Unlike {@link Fit.Builder#optWeightDecay} (L2 added to the gradient of weights only), the
     * decay does not pass through Adam's scaling.
     *
     * @param weightDecay the decoupled decay, &ge; 0 (PyTorch's default is 0.01)
     * @return the optimizer description
     */
    public static Optim adamW(float weightDecay) {
        check(weightDecay >= 0 && Float.isFinite(weightDecay), "weight decay must be >= 0, got " + weightDecay);
        return new Optim(
                "adamW(decay=" + weightDecay + ")",
                lr -> Optimizer.adamW().optLearningRateTracker(lr).optWeightDecays(weightDecay).build());
    }

    /** Builds the DJL optimizer whose learning rate comes from {@code lr}. */
    Optimizer build(ParameterTracker lr) {
        return factory.apply(lr);
    }

    @Override
    public String toString() {
        return description;
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Optim: " + message);
        }
    }
}
