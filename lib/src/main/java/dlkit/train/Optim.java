package dlkit.train;

import ai.djl.training.tracker.ParameterTracker;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Which optimizer {@link Fit} uses, without its learning rate (that comes from {@link
 * Fit.Builder#optLearningRate} and the {@link Schedule}). Start from a factory and change settings
 * with {@code opt} methods; each returns a new, checked description:
 *
 * <pre>{@code
 * Optim.sgd()                                   // plain minibatch gradient descent
 * Optim.sgd().optMomentum(0.9f)                 // heavy ball
 * Optim.nesterov()                              // momentum 0.9, PyTorch's Nesterov rule
 * Optim.rmsprop().optRho(0.9f).optCentered(true)
 * Optim.adam().optBeta2(0.99f)
 * Optim.adamw().optWeightDecay(1e-4f)           // decoupled decay, weights only
 * }</pre>
 *
 * <p>SGD, momentum SGD and Adam compute exactly what DJL's {@code Sgd} and {@code Adam} compute
 * (same fused native update). DJL's PyTorch engine has no Nesterov, Adagrad or RMSprop update, so
 * dlkit implements those following PyTorch's documented rules (see each factory). Every optimizer
 * keeps its state explicitly, so checkpoints resume it exactly.
 *
 * <p>An optimizer of your own is an {@link UpdateRule} given to {@link #custom}.
 *
 * <p>L2 weight decay is not set here: {@link Fit.Builder#optWeightDecay} adds it to the gradient of
 * weights only (not biases or normalisation parameters). {@link #adamw} instead decays the weights
 * directly (decoupled), also weights only.
 */
public final class Optim {

    /** The largest number of state arrays a custom rule may keep per parameter. */
    private static final int MAX_STATE_ARRAYS = 8;

    private final String name;
    private final Map<String, Object> settings;
    private final UpdateRule rule; // null for the built-in optimizers
    private final int stateArrays;

    private Optim(String name, Map<String, Object> settings) {
        this(name, settings, null, 0);
    }

    private Optim(String name, Map<String, Object> settings, UpdateRule rule, int stateArrays) {
        this.name = name;
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        this.rule = rule;
        this.stateArrays = stateArrays;
    }

    private static Optim of(String name, Object... namesAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return new Optim(name, map);
    }

    /**
     * Plain minibatch gradient descent, {@code w -= lr * g}; {@link #optMomentum} makes it heavy
     * ball, DJL's rule {@code s = momentum * s + lr * g; w -= s} (PyTorch's {@code b = momentum * b +
     * g; w -= lr * b} while lr is constant).
     *
     * @return the optimizer description
     */
    public static Optim sgd() {
        return of("sgd");
    }

    /**
     * Nesterov momentum with momentum 0.9, PyTorch's rule ({@code SGD(nesterov=True)}): {@code b =
     * momentum * b + g; w -= lr * (g + momentum * b)}.
     *
     * @return the optimizer description
     */
    public static Optim nesterov() {
        return of("nesterov", "momentum", 0.9f);
    }

    /**
     * Adagrad, PyTorch's rule: {@code G += g^2; w -= lr * g / (sqrt(G) + eps)}, eps 1e-10.
     *
     * @return the optimizer description
     */
    public static Optim adagrad() {
        return of("adagrad", "eps", 1e-10f);
    }

    /**
     * RMSprop, PyTorch's rule with its defaults (rho 0.99, eps 1e-8): {@code v = rho * v + (1 - rho)
     * * g^2}; centred ({@link #optCentered}), {@code a = rho * a + (1 - rho) * g} and {@code d =
     * sqrt(v - a^2) + eps}, else {@code d = sqrt(v) + eps}; with momentum ({@link #optMomentum})
     * {@code b = momentum * b + g / d; w -= lr * b}, else {@code w -= lr * g / d}.
     *
     * @return the optimizer description
     */
    public static Optim rmsprop() {
        return of("rmsprop", "rho", 0.99f, "eps", 1e-8f);
    }

    /**
     * Adam, DJL's rule with betas 0.9 and 0.999 and eps 1e-8: {@code m = b1 * m + (1 - b1) * g; v =
     * b2 * v + (1 - b2) * g^2; w -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)}.
     *
     * @return the optimizer description
     */
    public static Optim adam() {
        return of("adam", "beta1", 0.9f, "beta2", 0.999f, "eps", 1e-8f);
    }

    /**
     * AdamW, PyTorch's decoupled weight decay with its default rate 0.01: weights first shrink,
     * {@code w -= lr * weightDecay * w}, then take the {@link #adam()} step. The decay applies to
     * weights only, not to biases or normalisation parameters.
     *
     * @return the optimizer description
     */
    public static Optim adamw() {
        return of("adamw", "beta1", 0.9f, "beta2", 0.999f, "eps", 1e-8f, "weightDecay", 0.01f);
    }

    /**
     * An optimizer of your own: {@code rule} updates one parameter per call, keeping {@code
     * stateArrays} arrays of its own per parameter (moments, say), zero at the start:
     *
     * <pre>{@code
     * // signSGD: w -= lr * sign(g)
     * Optim signSgd = Optim.custom("signSGD", 0, (weight, grad, state, lr, step) -> weight.subi(grad.sign().muli(lr)));
     * }</pre>
     *
     * <p>Before training, {@link Fit} runs the rule for a few steps on test values: a rule that fails,
     * leaves the weights unchanged or makes them NaN is refused with the reason. See {@link
     * UpdateRule} for what a rule may do.
     *
     * @param name what tables and figures call it, e.g. {@code "my adam"}
     * @param stateArrays how many state arrays it keeps per parameter, 0 to 8
     * @param rule the update
     * @return the optimizer description
     * @throws IllegalArgumentException for a blank name or a count out of range
     */
    public static Optim custom(String name, int stateArrays, UpdateRule rule) {
        Objects.requireNonNull(rule, "rule");
        check(name != null && !name.isBlank(), "a custom optimizer needs a name, e.g. Optim.custom(\"my adam\", 2, rule)");
        check(stateArrays >= 0 && stateArrays <= MAX_STATE_ARRAYS, "a custom optimizer keeps 0 to " + MAX_STATE_ARRAYS
                + " state arrays per parameter (Adam keeps 2), got " + stateArrays);
        return new Optim(name.strip(), Map.of(), rule, stateArrays);
    }

    /**
     * Sets the momentum of {@code sgd}, {@code nesterov} or {@code rmsprop}.
     *
     * @param momentum in [0, 1) ({@code nesterov}: in (0, 1))
     * @return a new description
     */
    public Optim optMomentum(float momentum) {
        check(momentum >= 0 && momentum < 1 && (momentum > 0 || !name.equals("nesterov")),
                "momentum must be in " + (name.equals("nesterov") ? "(0, 1)" : "[0, 1)") + ", got " + momentum);
        return with("momentum", momentum, "sgd", "nesterov", "rmsprop");
    }

    /**
     * Sets the decay of RMSprop's squared-gradient average.
     *
     * @param rho in [0, 1)
     * @return a new description
     */
    public Optim optRho(float rho) {
        check(rho >= 0 && rho < 1, "rho must be in [0, 1), got " + rho);
        return with("rho", rho, "rmsprop");
    }

    /**
     * Makes RMSprop divide by the estimated variance instead of the second moment.
     *
     * @param centered whether to centre
     * @return a new description
     */
    public Optim optCentered(boolean centered) {
        return with("centered", centered, "rmsprop");
    }

    /**
     * Sets the term added to the denominator of Adagrad, RMSprop, Adam or AdamW.
     *
     * @param eps &gt; 0
     * @return a new description
     */
    public Optim optEps(float eps) {
        check(eps > 0, "eps must be > 0, got " + eps);
        return with("eps", eps, "adagrad", "rmsprop", "adam", "adamw");
    }

    /**
     * Sets Adam's (or AdamW's) decay of the first moment.
     *
     * @param beta1 in [0, 1)
     * @return a new description
     */
    public Optim optBeta1(float beta1) {
        check(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got " + beta1);
        return with("beta1", beta1, "adam", "adamw");
    }

    /**
     * Sets Adam's (or AdamW's) decay of the second moment.
     *
     * @param beta2 in [0, 1)
     * @return a new description
     */
    public Optim optBeta2(float beta2) {
        check(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got " + beta2);
        return with("beta2", beta2, "adam", "adamw");
    }

    /**
     * Sets AdamW's decoupled weight decay rate.
     *
     * @param weightDecay &gt;= 0
     * @return a new description
     */
    public Optim optWeightDecay(float weightDecay) {
        check(weightDecay >= 0 && Float.isFinite(weightDecay), "weight decay must be >= 0, got " + weightDecay);
        return with("weightDecay", weightDecay, "adamw");
    }

    private Optim with(String key, Object value, String... kinds) {
        check(rule == null, "'" + name + "' is a custom optimizer: its settings are the values its rule uses;"
                + " change them there, not with opt" + Character.toUpperCase(key.charAt(0)) + key.substring(1));
        check(Set.of(kinds).contains(name), name + " has no " + key + " setting (its settings: "
                + (settings.isEmpty() ? "none" : String.join(", ", settings.keySet()))
                + (name.equals("sgd") ? ", momentum" : "") + (name.equals("rmsprop") ? ", momentum, centered" : "") + ")");
        Map<String, Object> changed = new LinkedHashMap<>(settings);
        if (key.equals("momentum") && name.equals("sgd") && Float.valueOf(0f).equals(value)
                || key.equals("centered") && Boolean.FALSE.equals(value)) {
            changed.remove(key); // the default: not shown
        } else {
            changed.put(key, value);
        }
        return new Optim(name, changed);
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

    /** Builds the optimizer whose learning rate comes from {@code lr}; {@code weightIds} are decayed. */
    StatefulOptimizer build(ParameterTracker lr, Set<String> weightIds) {
        if (rule != null) {
            return new UpdateRules.Custom(lr, stateArrays, rule);
        }
        switch (name) {
            case "sgd":
                return new UpdateRules.Sgd(lr, number("momentum", 0f));
            case "nesterov":
                return new UpdateRules.Nesterov(lr, number("momentum", 0.9f));
            case "adagrad":
                return new UpdateRules.Adagrad(lr, number("eps", 1e-10f));
            case "rmsprop":
                return new UpdateRules.RmsProp(lr, number("rho", 0.99f), number("eps", 1e-8f),
                        number("momentum", 0f), Boolean.TRUE.equals(settings.get("centered")));
            case "adam":
                return new UpdateRules.Adam(lr, number("beta1", 0.9f), number("beta2", 0.999f), number("eps", 1e-8f),
                        0f, Set.of());
            default:
                return new UpdateRules.Adam(lr, number("beta1", 0.9f), number("beta2", 0.999f), number("eps", 1e-8f),
                        number("weightDecay", 0.01f), weightIds);
        }
    }

    /** The rule of a {@link #custom} optimizer, null for a built-in one. */
    UpdateRule rule() {
        return rule;
    }

    /** How many state arrays a {@link #custom} optimizer keeps per parameter. */
    int stateArrays() {
        return stateArrays;
    }

    private float number(String key, float fallback) {
        Object v = settings.get(key);
        return v == null ? fallback : (Float) v;
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

    @Override
    public boolean equals(Object o) {
        return o instanceof Optim other && name.equals(other.name) && settings.equals(other.settings)
                && rule == other.rule && stateArrays == other.stateArrays;
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + settings.hashCode()) * 31 + System.identityHashCode(rule);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Optim: " + message);
        }
    }
}
