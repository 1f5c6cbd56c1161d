package dlkit.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.initializer.XavierInitializer.FactorType;
import ai.djl.training.initializer.XavierInitializer.RandomType;
import ai.djl.util.Pair;
import java.util.Locale;

/**
 * How a network's weights and biases start, by the names the literature uses. {@code fan_in} is a
 * weight's inputs per output ({@code in_features}, or {@code in_channels x kernel area}), {@code
 * fan_out} its outputs per input.
 *
 * <pre>{@code
 * Fit.builder()...optInitializer(Init.heNormal())                  // every layer of the model
 * Mlp.builder()...optInitializer(Init.normal(0.01f).optBias(Init.normal(0.01f))).build()
 * }</pre>
 *
 * <table>
 *   <caption>Weight initialisers</caption>
 *   <tr><th>name</th><th>weights drawn from</th><th>made for</th></tr>
 *   <tr><td>{@link #heNormal()}</td><td>N(0, 2 / fan_in)</td><td>ReLU (He et al. 2015); DJL's default</td></tr>
 *   <tr><td>{@link #heUniform()}</td><td>U(-a, a), a = sqrt(6 / fan_in)</td><td>ReLU</td></tr>
 *   <tr><td>{@link #xavierNormal()}</td><td>N(0, 2 / (fan_in + fan_out))</td><td>tanh, sigmoid (Glorot and Bengio 2010)</td></tr>
 *   <tr><td>{@link #xavierUniform()}</td><td>U(-a, a), a = sqrt(6 / (fan_in + fan_out))</td><td>tanh, sigmoid</td></tr>
 *   <tr><td>{@link #lecunNormal()}</td><td>N(0, 1 / fan_in)</td><td>SELU, linear layers</td></tr>
 *   <tr><td>{@link #pytorch()}</td><td>U(-a, a), a = 1 / sqrt(fan_in), biases too</td><td>PyTorch's default for Linear and Conv</td></tr>
 *   <tr><td>{@link #normal(float)}</td><td>N(0, sigma^2)</td><td>fixed scales, e.g. 0.01</td></tr>
 *   <tr><td>{@link #uniform(float)}</td><td>U(-a, a)</td><td>fixed ranges</td></tr>
 * </table>
 *
 * <p>Without one, DJL initialises weights He-normal and biases to zero, batch-norm scales to one
 * and shifts to zero. An {@code Init} changes the weights of two or more axes (the connections of
 * Linear, Conv, embedding and recurrent layers) and biases (to zero unless {@link #optBias} says
 * otherwise); normalisation parameters and one-axis weights (a PReLU slope) keep their own.
 */
public final class Init {

    /** The variance of the weights a rule draws, from the layer's fan-in and fan-out. */
    private interface Variance {
        double of(long fanIn, long fanOut);
    }

    private final String name;
    private final Initializer weights;
    private final Variance variance;
    private final Init bias;
    /** PyTorch's bias rule depends on the weight's fan-in, so it is made per layer. */
    private final boolean fanInBias;

    private Init(String name, Initializer weights, Variance variance, Init bias, boolean fanInBias) {
        this.name = name;
        this.weights = weights;
        this.variance = variance;
        this.bias = bias;
        this.fanInBias = fanInBias;
    }

    private static Init weights(String name, Initializer weights, Variance variance) {
        return new Init(name, weights, variance, null, false);
    }

    /**
     * He (Kaiming) normal: N(0, 2 / fan_in), which keeps the variance of ReLU activations constant
     * through depth.
     *
     * @return the initialiser
     */
    public static Init heNormal() {
        return weights("heNormal", new XavierInitializer(RandomType.GAUSSIAN, FactorType.IN, 2), (in, out) -> 2.0 / in);
    }

    /**
     * He (Kaiming) uniform: U(-a, a) with a = sqrt(6 / fan_in), the same variance as {@link #heNormal}.
     *
     * @return the initialiser
     */
    public static Init heUniform() {
        return weights("heUniform", new XavierInitializer(RandomType.UNIFORM, FactorType.IN, 6), (in, out) -> 2.0 / in);
    }

    /**
     * Xavier (Glorot) normal: N(0, 2 / (fan_in + fan_out)).
     *
     * @return the initialiser
     */
    public static Init xavierNormal() {
        return weights("xavierNormal", new XavierInitializer(RandomType.GAUSSIAN, FactorType.AVG, 1),
                (in, out) -> 2.0 / (in + out));
    }

    /**
     * Xavier (Glorot) uniform: U(-a, a) with a = sqrt(6 / (fan_in + fan_out)).
     *
     * @return the initialiser
     */
    public static Init xavierUniform() {
        return weights("xavierUniform", new XavierInitializer(RandomType.UNIFORM, FactorType.AVG, 3),
                (in, out) -> 2.0 / (in + out));
    }

    /**
     * LeCun normal: N(0, 1 / fan_in).
     *
     * @return the initialiser
     */
    public static Init lecunNormal() {
        return weights("lecunNormal", new XavierInitializer(RandomType.GAUSSIAN, FactorType.IN, 1), (in, out) -> 1.0 / in);
    }

    /**
     * PyTorch's default for {@code nn.Linear} and {@code nn.Conv2d}: weights and biases from U(-a, a)
     * with a = 1 / sqrt(fan_in).
     *
     * @return the initialiser
     */
    public static Init pytorch() {
        return new Init("pytorch", new XavierInitializer(RandomType.UNIFORM, FactorType.IN, 1), (in, out) -> 1.0 / (3.0 * in),
                null, true);
    }

    /**
     * Weights from N(0, sigma^2), whatever the layer's size.
     *
     * @param sigma the standard deviation, &gt; 0
     * @return the initialiser
     */
    public static Init normal(float sigma) {
        require(sigma > 0 && Float.isFinite(sigma), "sigma must be > 0, got " + sigma);
        return weights("normal(" + sigma + ")", new NormalInitializer(sigma), (in, out) -> (double) sigma * sigma);
    }

    /**
     * Weights from U(-a, a), whatever the layer's size.
     *
     * @param a the half-width, &gt; 0
     * @return the initialiser
     */
    public static Init uniform(float a) {
        require(a > 0 && Float.isFinite(a), "a must be > 0, got " + a);
        return weights("uniform(" + a + ")", new Uniform(a), (in, out) -> (double) a * a / 3);
    }

    /**
     * Every value the same, e.g. zeros for biases.
     *
     * @param value the value
     * @return the initialiser
     */
    public static Init constant(float value) {
        return weights("constant(" + value + ")", new ConstantInitializer(value), (in, out) -> 0);
    }

    /**
     * Sets how biases start (default: zero, or PyTorch's rule for {@link #pytorch()}).
     *
     * @param bias e.g. {@code Init.normal(0.01f)} or {@code Init.constant(0.1f)}
     * @return a new initialiser
     */
    public Init optBias(Init bias) {
        return new Init(name, weights, variance, bias, false);
    }

    /**
     * The variance of the weights this rule draws for a layer, e.g. {@code 2 / fanIn} for He: the
     * sigma^2 of the initialisation theory.
     *
     * @param fanIn the layer's inputs per output
     * @param fanOut the layer's outputs per input
     * @return Var[w]
     */
    public double variance(long fanIn, long fanOut) {
        return variance.of(fanIn, fanOut);
    }

    /**
     * Sets the initialisers of every weight and bias of a block and its children; they take effect
     * when the block is (re)initialised, as {@code Fit} does before training.
     *
     * @param block the model
     * @return the same block
     */
    public Block applyTo(Block block) {
        Parameter weight = null;
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            Parameter parameter = p.getValue();
            if (parameter.getType() == Parameter.Type.WEIGHT) {
                Initializer own = parameter.getInitializer() instanceof MatricesOnly m ? m.own() : parameter.getInitializer();
                parameter.setInitializer(new MatricesOnly(weights, own));
                weight = parameter;
            }
        }
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            Parameter parameter = p.getValue();
            if (parameter.getType() == Parameter.Type.BIAS) {
                Initializer b = bias != null ? bias.weights
                        : fanInBias && weight != null ? new FanInUniform(weight) : Initializer.ZEROS;
                parameter.setInitializer(b);
            }
        }
        for (Pair<String, Block> child : block.getChildren()) {
            applyTo(child.getValue());
        }
        return block;
    }

    @Override
    public String toString() {
        return bias != null ? name + " (bias " + bias.name + ")" : name;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Init: " + message);
        }
    }

    /** U(-a, a) for any shape (DJL's UniformInitializer draws from [0, a)). */
    private static final class Uniform implements Initializer {
        private final float a;

        Uniform(float a) {
            this.a = a;
        }

        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            return manager.randomUniform(-a, a, shape, dataType, manager.getDevice());
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "U(-%s, %s)", a, a);
        }
    }

    /** PyTorch's bias rule: U(-a, a) with a = 1 / sqrt(fan_in of the layer's weight). */
    /**
     * The rule for weights of two or more axes, the connections of Linear, Conv, embedding and
     * recurrent layers. A weight of one axis (a PReLU slope, a custom layer's scale vector) has no
     * fan-in and is no connection: it keeps its own initialiser, as PyTorch's {@code
     * model.apply(init)} recipes touch only Linear and Conv layers.
     */
    private record MatricesOnly(Initializer rule, Initializer own) implements Initializer {
        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            return shape.dimension() >= 2 || own == null ? rule.initialize(manager, shape, dataType)
                    : own.initialize(manager, shape, dataType);
        }
    }

    private static final class FanInUniform implements Initializer {
        private final Parameter weight;

        FanInUniform(Parameter weight) {
            this.weight = weight;
        }

        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            long fanIn = weight.getShape().slice(1).size(); // set by the layer before any parameter starts
            float a = (float) (1 / Math.sqrt(fanIn));
            return manager.randomUniform(-a, a, shape, dataType, manager.getDevice());
        }
    }
}
