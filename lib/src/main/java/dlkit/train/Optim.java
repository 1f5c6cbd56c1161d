package dlkit.train;

import ai.djl.training.tracker.ParameterTracker;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Which optimizer {@link Fit} uses, without its learning rate (that comes from {@link
 * Fit.Builder#optLearningRate} and the {@link Schedule}).
 *
 * <p>SGD, momentum SGD and Adam compute exactly what DJL's {@code Sgd} and {@code Adam} compute
 * (same fused native update). DJL's PyTorch engine has no Nesterov, Adagrad or RMSprop update, so
 * dlkit implements those following PyTorch's documented rules (see each factory). Every optimizer
 * keeps its state explicitly, so checkpoints resume it exactly.
 *
 * <p>L2 weight decay is not set here: {@link Fit.Builder#optWeightDecay} adds it to the gradient of
 * weights only (not biases or normalisation parameters). {@link #adamw} instead decays the weights
 * directly (decoupled), also weights only.
 */
public final class Optim {

    /** Builds the optimizer from the learning-rate source and the ids of the weight parameters. */
    @FunctionalInterface
    interface Factory {
        StatefulOptimizer build(ParameterTracker lr, Set<String> weightIds);
    }

    private final String name;
    private final Map<String, Object> settings;
    private final Factory factory;

    private Optim(String name, Map<String, Object> settings, Factory factory) {
        this.name = name;
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        this.factory = factory;
    }

    /** Settings in the order they are shown: {@code settings("beta1", 0.9f, "beta2", 0.999f)}. */
    private static Map<String, Object> settings(Object... namesAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    /**
     * Plain minibatch gradient descent: {@code w -= lr * g}.
     *
     * @return the optimizer description
     */
    public static Optim sgd() {
        return new Optim("sgd", Map.of(), (lr, w) -> new UpdateRules.Sgd(lr, 0f));
    }

    /**
     * Gradient descent with heavy-ball momentum, DJL's rule: {@code s = momentum * s + lr * g; w -=
     * s} (the same as PyTorch's {@code b = momentum * b + g; w -= lr * b} while lr is constant).
     *
     * @param momentum in [0, 1)
     * @return the optimizer description
     */
    public static Optim sgd(float momentum) {
        check(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
        return new Optim("sgd", settings("momentum", momentum), (lr, w) -> new UpdateRules.Sgd(lr, momentum));
    }

    /**
     * Nesterov momentum, PyTorch's rule ({@code SGD(nesterov=True)}): {@code b = momentum * b + g;
     * w -= lr * (g + momentum * b)}.
     *
     * @param momentum in (0, 1)
     * @return the optimizer description
     */
    public static Optim nesterov(float momentum) {
        check(momentum > 0 && momentum < 1, "Nesterov momentum must be in (0, 1), got " + momentum);
        return new Optim("nesterov", settings("momentum", momentum), (lr, w) -> new UpdateRules.Nesterov(lr, momentum));
    }

    /**
     * Adagrad with epsilon 1e-10 (PyTorch's default).
     *
     * @return the optimizer description
     */
    public static Optim adagrad() {
        return adagrad(1e-10f);
    }

    /**
     * Adagrad, PyTorch's rule: {@code G += g^2; w -= lr * g / (sqrt(G) + eps)}.
     *
     * @param epsilon added to the denominator, &gt; 0
     * @return the optimizer description
     */
    public static Optim adagrad(float epsilon) {
        check(epsilon > 0, "epsilon must be > 0, got " + epsilon);
        return new Optim("adagrad", settings("eps", epsilon), (lr, w) -> new UpdateRules.Adagrad(lr, epsilon));
    }

    /**
     * RMSprop with rho 0.99 and epsilon 1e-8 (PyTorch's defaults).
     *
     * @return the optimizer description
     */
    public static Optim rmsprop() {
        return rmsprop(0.99f, 1e-8f);
    }

    /**
     * RMSprop, PyTorch's rule: {@code v = rho * v + (1 - rho) * g^2; w -= lr * g / (sqrt(v) + eps)}.
     *
     * @param rho decay of the squared-gradient average, in [0, 1)
     * @param epsilon added to the denominator, &gt; 0
     * @return the optimizer description
     */
    public static Optim rmsprop(float rho, float epsilon) {
        return rmsprop(rho, epsilon, 0f, false);
    }

    /**
     * RMSprop with momentum and/or centring, PyTorch's rule: {@code v = rho * v + (1 - rho) * g^2};
     * centred, {@code a = rho * a + (1 - rho) * g} and {@code d = sqrt(v - a^2) + eps}, else {@code
     * d = sqrt(v) + eps}; with momentum {@code b = momentum * b + g / d; w -= lr * b}, else {@code w
     * -= lr * g / d}.
     *
     * @param rho decay of the squared-gradient average, in [0, 1)
     * @param epsilon added to the denominator, &gt; 0
     * @param momentum in [0, 1), 0 for none
     * @param centered whether to divide by the estimated variance instead of the second moment
     * @return the optimizer description
     */
    public static Optim rmsprop(float rho, float epsilon, float momentum, boolean centered) {
        check(rho >= 0 && rho < 1, "rho must be in [0, 1), got " + rho);
        check(epsilon > 0, "epsilon must be > 0, got " + epsilon);
        check(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
        Map<String, Object> settings = settings("rho", rho, "eps", epsilon);
        if (momentum > 0) {
            settings.put("momentum", momentum);
        }
        if (centered) {
            settings.put("centered", true);
        }
        return new Optim("rmsprop", settings, (lr, w) -> new UpdateRules.RmsProp(lr, rho, epsilon, momentum, centered));
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
     * Adam, DJL's rule: {@code m = b1 * m + (1 - b1) * g; v = b2 * v + (1 - b2) * g^2; w -= lr *
     * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)}.
     *
     * @param beta1 decay of the first moment, in [0, 1)
     * @param beta2 decay of the second moment, in [0, 1)
     * @param epsilon added to the denominator, &gt; 0
     * @return the optimizer description
     */
    public static Optim adam(float beta1, float beta2, float epsilon) {
        checkAdam(beta1, beta2, epsilon);
        return new Optim("adam", settings("beta1", beta1, "beta2", beta2, "eps", epsilon),
                (lr, w) -> new UpdateRules.Adam(lr, beta1, beta2, epsilon, 0f, Set.of()));
    }

    /**
     * AdamW with betas 0.9 and 0.999 and epsilon 1e-8.
     *
     * @param weightDecay decoupled decay rate, &gt;= 0 (PyTorch's default is 0.01)
     * @return the optimizer description
     */
    public static Optim adamw(float weightDecay) {
        return adamw(0.9f, 0.999f, 1e-8f, weightDecay);
    }

    /**
     * AdamW, PyTorch's decoupled weight decay: weights first shrink, {@code w -= lr * weightDecay *
     * w}, then take the {@link #adam(float, float, float) Adam} step. The decay applies to weights
     * only, not to biases or normalisation parameters.
     *
     * @param beta1 decay of the first moment, in [0, 1)
     * @param beta2 decay of the second moment, in [0, 1)
     * @param epsilon added to the denominator, &gt; 0
     * @param weightDecay decoupled decay rate, &gt;= 0
     * @return the optimizer description
     */
    public static Optim adamw(float beta1, float beta2, float epsilon, float weightDecay) {
        checkAdam(beta1, beta2, epsilon);
        check(weightDecay >= 0 && Float.isFinite(weightDecay), "weight decay must be >= 0, got " + weightDecay);
        return new Optim("adamw", settings("beta1", beta1, "beta2", beta2, "eps", epsilon, "weightDecay", weightDecay),
                (lr, w) -> new UpdateRules.Adam(lr, beta1, beta2, epsilon, weightDecay, w));
    }

    /** Builds the optimizer whose learning rate comes from {@code lr}; {@code weightIds} are decayed. */
    StatefulOptimizer build(ParameterTracker lr, Set<String> weightIds) {
        return factory.build(lr, weightIds);
    }

    /**
     * The optimizer's name, e.g. {@code adam}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The optimizer's settings, e.g. {@code beta1=0.9}, in the order {@link #toString()} shows them.
     *
     * @return setting name to value
     */
    public Map<String, Object> settings() {
        return settings;
    }

    /** The name with its settings, e.g. {@code adam(beta1=0.9, beta2=0.999, eps=1.0E-8)}. */
    @Override
    public String toString() {
        if (settings.isEmpty()) {
            return name;
        }
        StringJoiner shown = new StringJoiner(", ", name + "(", ")");
        settings.forEach((k, v) -> shown.add(Boolean.TRUE.equals(v) ? k : k + "=" + v));
        return shown.toString();
    }

    private static void checkAdam(float beta1, float beta2, float epsilon) {
        check(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got " + beta1);
        check(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got " + beta2);
        check(epsilon > 0, "epsilon must be > 0, got " + epsilon);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Optim: " + message);
        }
    }
}
