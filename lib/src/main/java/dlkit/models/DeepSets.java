package dlkit.models;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import java.util.Locale;
import java.util.Objects;

/**
 * A network of permutation-equivariant layers for sets: {@code layers} {@link EquivariantLinear}
 * layers, the first {@code layers - 1} of {@code width} units each followed by an activation, the
 * last mapping every element to {@code outputs} values. Per element (default) the output is {@code
 * (batch, N, outputs)} and permutes with the elements; per set, a final pooling over the elements
 * makes it {@code (batch, outputs)} and invariant to their order.
 *
 * <pre>{@code
 * DeepSets net = DeepSets.builder().setLayers(3).setWidth(100).build();   // seed 001: 21,001 parameters on 3 features
 * DeepSets.builder().setLayers(2).setWidth(10).optPerSet(true).build()    // one value per set
 * }</pre>
 *
 * <p>With d input features, L layers and width w, the parameters are (2d + 1)w for the first
 * layer, (2w + 1)w for each middle one and (2w + 1)·outputs for the last: with d = 3 and one
 * output, L = 2, w = 10 gives 91 and L = 3, w = 100 gives 21,001, the counts of seed 001.
 */
public final class DeepSets extends SequentialBlock {

    private final int layers;
    private final int width;
    private final int outputs;
    private final SetPool pool;
    private final Mlp.Act activation;
    private final boolean perSet;
    private final boolean convolutions;

    private DeepSets(Builder b) {
        layers = b.layers;
        width = b.width;
        outputs = b.outputs;
        pool = b.pool;
        activation = b.activation;
        perSet = b.perSet;
        convolutions = b.convolutions;
        for (int i = 1; i <= layers; i++) {
            int units = i < layers ? width : outputs;
            add(convolutions ? new EquivariantConv(units, pool)
                    : EquivariantLinear.builder().setUnits(units).optPool(pool).build());
            if (i < layers) {
                add(activation.block());
            }
        }
        if (perSet) {
            add(new LambdaBlock(x -> new NDList(pool.apply(x.singletonOrThrow()).squeeze(1)), "setPool"));
        }
    }

    /**
     * Starts describing a network.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The configuration, e.g. {@code DeepSets(layers=3, width=100, outputs=1 per element, pool=mean, activation=relu)}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "DeepSets(layers=%d, width=%d, outputs=%d per %s, pool=%s, activation=%s%s)",
                layers, width, outputs, perSet ? "set" : "element", pool, activation,
                convolutions ? ", kernel-1 convolutions" : "");
    }

    /** Describes a {@link DeepSets} network: set the layers and width, change the optional parts, then {@link #build()}. */
    public static final class Builder {
        private int layers;
        private int width;
        private int outputs = 1;
        private SetPool pool = SetPool.MEAN;
        private Mlp.Act activation = Mlp.Act.RELU;
        private boolean perSet;
        private boolean convolutions;
        private Init initializer;

        private Builder() {}

        /**
         * Sets the number of equivariant layers, the last one included (seed 001's L).
         *
         * @param layers at least 1
         * @return this builder
         */
        public Builder setLayers(int layers) {
            this.layers = layers;
            return this;
        }

        /**
         * Sets the units of every layer but the last (seed 001's w).
         *
         * @param width at least 1
         * @return this builder
         */
        public Builder setWidth(int width) {
            this.width = width;
            return this;
        }

        /**
         * Sets the values per element (or per set) of the last layer (default 1).
         *
         * @param outputs at least 1
         * @return this builder
         */
        public Builder optOutputs(int outputs) {
            this.outputs = outputs;
            return this;
        }

        /**
         * Sets how the layers pool the set (default {@link SetPool#MEAN}).
         *
         * @param pool mean or sum
         * @return this builder
         */
        public Builder optPool(SetPool pool) {
            this.pool = Objects.requireNonNull(pool, "pool");
            return this;
        }

        /**
         * Sets the activation between layers (default ReLU).
         *
         * @param activation e.g. {@code Mlp.Act.TANH}
         * @return this builder
         */
        public Builder optActivation(Mlp.Act activation) {
            this.activation = Objects.requireNonNull(activation, "activation");
            return this;
        }

        /**
         * Pools the last layer's outputs over the elements: one output per set, invariant to the
         * elements' order (default false: one per element).
         *
         * @param perSet whether to pool at the end
         * @return this builder
         */
        public Builder optPerSet(boolean perSet) {
            this.perSet = perSet;
            return this;
        }

        /**
         * Builds every layer from kernel-size-1 1-D convolutions ({@link EquivariantConv}), as seed
         * 001 describes; the same function and parameter count (default false).
         *
         * @param convolutions whether to use convolutions
         * @return this builder
         */
        public Builder optConvolutions(boolean convolutions) {
            this.convolutions = convolutions;
            return this;
        }

        /**
         * Sets how the weights and biases start (default DJL's: He-normal weights, zero biases).
         *
         * @param initializer e.g. {@code Init.xavierNormal()}
         * @return this builder
         */
        public Builder optInitializer(Init initializer) {
            this.initializer = initializer;
            return this;
        }

        /**
         * Checks the description and builds the network.
         *
         * @return the network, uninitialised
         * @throws IllegalArgumentException naming what is wrong
         */
        public DeepSets build() {
            require(layers >= 1, "layers must be at least 1, got " + layers + ": call setLayers(3)");
            require(layers == 1 || width >= 1, "width must be at least 1, got " + width + ": call setWidth(100)");
            require(outputs >= 1, "outputs must be at least 1, got " + outputs);
            DeepSets net = new DeepSets(this);
            if (initializer != null) {
                initializer.applyTo(net);
            }
            return net;
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException("DeepSets: " + message);
            }
        }
    }

}
