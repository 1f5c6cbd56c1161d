package dlkit.models;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A multilayer perceptron: flattens its input (images or vectors), then for each hidden layer
 * {@code Linear -> [BatchNorm] -> activation -> [Dropout]}, then a linear output layer. For
 * classification give it one output per class (the logits; pair it with
 * {@code Loss.softmaxCrossEntropyLoss()}); for regression one output per target (pair it with
 * {@code Loss.l2Loss()}).
 *
 * <pre>{@code
 * Mlp mlp = Mlp.builder()
 *         .setHidden(256, 128, 64)
 *         .setOutputs(10)
 *         .optActivation(Mlp.Act.RELU)
 *         .optBatchNorm(true)
 *         .optDropout(0.2f)
 *         .build();
 * mlp   // Mlp(hidden=[256, 128, 64], activation=relu, batchNorm=true, dropout=0.2, outputs=10)
 * }</pre>
 *
 * <p>It is a DJL {@link SequentialBlock}, so {@code Fit.builder().setBlock(mlp)} trains it. Its
 * {@link #toString()} shows the whole configuration, which the run cache keys on.
 */
public final class Mlp extends SequentialBlock {

    /** The activation after each hidden layer. */
    public enum Act {
        /** max(0, x). */
        RELU,
        /** max(0, x) + 0.01 min(0, x), as PyTorch's default LeakyReLU. */
        LEAKY_RELU,
        /** x for x &gt; 0, exp(x) - 1 otherwise. */
        ELU,
        /** Leaky ReLU whose negative slope is learnt (one per layer, starting at 0.25 as in PyTorch). */
        PRELU,
        /** tanh(x). */
        TANH,
        /** 1 / (1 + exp(-x)). */
        SIGMOID;

        /**
         * Parses a name such as {@code relu}, {@code leaky_relu}, {@code leaky}, {@code elu},
         * {@code prelu}, {@code tanh} or {@code sigmoid}, ignoring case.
         *
         * @param name the name
         * @return the activation
         * @throws IllegalArgumentException naming the valid activations
         */
        public static Act parse(String name) {
            String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            if (n.equals("LEAKY") || n.equals("LEAKYRELU")) {
                return LEAKY_RELU;
            }
            for (Act a : values()) {
                if (a.name().equals(n)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("Unknown activation '" + name + "': use one of relu, leaky_relu, elu, prelu, tanh, sigmoid");
        }

        Block block() {
            switch (this) {
                case LEAKY_RELU:
                    return Activation.leakyReluBlock(0.01f);
                case ELU:
                    return Activation.eluBlock(1f);
                case PRELU:
                    return new ParametricRelu();
                case TANH:
                    return Activation.tanhBlock();
                case SIGMOID:
                    return Activation.sigmoidBlock();
                default:
                    return Activation.reluBlock();
            }
        }

        /** Lower-case name, as written in tables and cache keys. */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final List<Integer> hidden;
    private final Act activation;
    private final boolean batchNorm;
    private final float dropout;
    private final int outputs;

    private Mlp(Builder b) {
        hidden = List.copyOf(b.hidden);
        activation = b.activation;
        batchNorm = b.batchNorm;
        dropout = b.dropout;
        outputs = b.outputs;
        add(Blocks.batchFlattenBlock());
        for (int units : hidden) {
            add(Linear.builder().setUnits(units).build());
            if (batchNorm) {
                add(BatchNorm.builder().build());
            }
            add(activation.block());
            if (dropout > 0) {
                add(new UniformDropout(dropout));
            }
        }
        add(Linear.builder().setUnits(outputs).build());
    }

    /**
     * Starts describing an MLP.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The hidden layers' widths, input side first.
     *
     * @return units per hidden layer
     */
    public List<Integer> hidden() {
        return hidden;
    }

    /**
     * The activation after each hidden layer.
     *
     * @return the activation
     */
    public Act activation() {
        return activation;
    }

    /**
     * Whether each hidden layer is batch-normalised before its activation.
     *
     * @return true with batch norm
     */
    public boolean batchNorm() {
        return batchNorm;
    }

    /**
     * The dropout rate after each hidden activation.
     *
     * @return 0 for none
     */
    public float dropout() {
        return dropout;
    }

    /**
     * The width of the output layer.
     *
     * @return classes for a classifier, targets for a regression
     */
    public int outputs() {
        return outputs;
    }

    /** The configuration, e.g. {@code Mlp(hidden=[128, 64], activation=relu, batchNorm=false, dropout=0.0, outputs=10)}. */
    @Override
    public String toString() {
        return "Mlp(hidden=" + hidden
                + ", activation=" + activation
                + ", batchNorm=" + batchNorm
                + ", dropout=" + dropout
                + ", outputs=" + outputs + ")";
    }

    /** Describes an {@link Mlp}: set the hidden layers and outputs, change the optional parts, then {@link #build()}. */
    public static final class Builder {
        private List<Integer> hidden;
        private Act activation = Act.RELU;
        private boolean batchNorm;
        private float dropout;
        private int outputs;

        private Init initializer;

        private Builder() {}

        /**
         * Sets how the weights and biases start (default: DJL's, He-normal weights and zero
         * biases); {@code Fit.Builder.optInitializer} overrides it.
         *
         * @param initializer e.g. {@code Init.xavierUniform()}
         * @return this builder
         */
        public Builder optInitializer(Init initializer) {
            this.initializer = initializer;
            return this;
        }

        /**
         * Sets the hidden layers' widths, input side first, e.g. {@code setHidden(256, 128, 64)}.
         *
         * @param units units per hidden layer; at least one layer
         * @return this builder
         */
        public Builder setHidden(int... units) {
            List<Integer> list = new ArrayList<>();
            for (int u : units) {
                list.add(u);
            }
            return setHidden(list);
        }

        /**
         * Sets the hidden layers' widths, input side first.
         *
         * @param units units per hidden layer; at least one layer
         * @return this builder
         */
        public Builder setHidden(List<Integer> units) {
            this.hidden = new ArrayList<>(Objects.requireNonNull(units, "hidden units"));
            return this;
        }

        /**
         * Sets {@code layers} hidden layers of {@code units} each.
         *
         * @param layers the number of hidden layers, at least 1
         * @param units the width of each
         * @return this builder
         */
        public Builder setHiddenLayers(int layers, int units) {
            require(layers >= 1, "hidden layers must be at least 1, got " + layers);
            List<Integer> list = new ArrayList<>();
            for (int i = 0; i < layers; i++) {
                list.add(units);
            }
            return setHidden(list);
        }

        /**
         * Sets the width of the output layer: the number of classes for a classifier, of targets
         * for a regression.
         *
         * @param outputs at least 1
         * @return this builder
         */
        public Builder setOutputs(int outputs) {
            this.outputs = outputs;
            return this;
        }

        /**
         * Sets the activation (default {@link Act#RELU}).
         *
         * @param activation the activation
         * @return this builder
         */
        public Builder optActivation(Act activation) {
            this.activation = Objects.requireNonNull(activation, "activation");
            return this;
        }

        /**
         * Adds batch normalisation between each hidden linear layer and its activation (default off).
         *
         * @param batchNorm whether to normalise
         * @return this builder
         */
        public Builder optBatchNorm(boolean batchNorm) {
            this.batchNorm = batchNorm;
            return this;
        }

        /**
         * Adds dropout after each hidden activation (default 0: none).
         *
         * @param rate the probability of dropping a unit, in [0, 1)
         * @return this builder
         */
        public Builder optDropout(float rate) {
            this.dropout = rate;
            return this;
        }

        /**
         * Checks the description and builds the block.
         *
         * @return the MLP, uninitialised (Fit initialises it from its seed)
         * @throws IllegalArgumentException naming what is wrong
         */
        public Mlp build() {
            require(hidden != null, "no hidden layers: call setHidden(128, 64) or setHiddenLayers(layers, units)");
            require(!hidden.isEmpty(), "hidden layers must be at least 1, got none");
            for (int i = 0; i < hidden.size(); i++) {
                require(hidden.get(i) != null && hidden.get(i) > 0,
                        "hidden layer " + (i + 1) + " needs a positive number of units, got " + hidden.get(i));
            }
            require(outputs >= 1, "outputs must be at least 1, got " + outputs
                    + ": call setOutputs(10) for ten classes, setOutputs(1) for one regression target");
            require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
            Mlp model = new Mlp(this);
            if (initializer != null) {
                initializer.applyTo(model);
            }
            return model;
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException("Mlp: " + message);
            }
        }
    }

    /**
     * Formats widths as {@code 256-128-64}, the way the tables show an architecture.
     *
     * @param hidden units per hidden layer
     * @return the widths joined by dashes
     */
    public static String shape(List<Integer> hidden) {
        return hidden.stream().map(String::valueOf).collect(Collectors.joining("-"));
    }
}
