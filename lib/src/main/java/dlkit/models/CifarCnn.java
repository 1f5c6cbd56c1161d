package dlkit.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * The simple CIFAR-10 CNN of seed 001 (P2, model 1): three convolutional blocks of 32, 64 and 128
 * filters, each two 3x3 convolutions with batch norm and ReLU, then 2x2 max-pooling and dropout;
 * a dense layer of 128 units with dropout; ten outputs.
 *
 * <pre>
 * [conv 3x3, BN, ReLU] x2, max-pool 2, dropout 0.2      32 x 16x16
 * [conv 3x3, BN, ReLU] x2, max-pool 2, dropout 0.3      64 x 8x8
 * [conv 3x3, BN, ReLU] x2, max-pool 2, dropout 0.4     128 x 4x4
 * flatten 2048, dense 128, ReLU, dropout 0.5, dense 10
 * </pre>
 *
 * <p>The seed trains it with Adam at its default learning rate (1e-3), batch 32, no augmentation.
 */
public final class CifarCnn extends SequentialBlock {

    /** Input shape with a batch of one: 3 channels, 32x32. */
    public static final Shape INPUT = new Shape(1, 3, 32, 32);

    private final int classes;

    private CifarCnn(Builder builder) {
        this.classes = builder.classes;
        int[] filters = {32, 64, 128};
        float[] dropout = {0.2f, 0.3f, 0.4f};
        for (int i = 0; i < filters.length; i++) {
            add(ConvBlocks.convBnRelu(filters[i]))
                    .add(ConvBlocks.convBnRelu(filters[i]))
                    .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                    .add(new UniformDropout(dropout[i]));
        }
        add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(128).build())
                .add(Activation.reluBlock())
                .add(new UniformDropout(0.5f))
                .add(Linear.builder().setUnits(classes).build());
    }

    /**
     * Starts describing the network (ten classes unless changed).
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return "CifarCnn(classes=" + classes + ")";
    }

    /** Options of {@link CifarCnn}. */
    public static final class Builder {
        private int classes = 10;

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
         * Sets the number of outputs (default 10).
         *
         * @param classes positive
         * @return this builder
         */
        public Builder optClasses(int classes) {
            this.classes = ConvBlocks.requireClasses("CifarCnn", classes);
            return this;
        }

        /**
         * Builds the network, uninitialised.
         *
         * @return input [N, 3, 32, 32], output [N, classes] logits
         */
        public CifarCnn build() {
            CifarCnn model = new CifarCnn(this);
            if (initializer != null) {
                initializer.applyTo(model);
            }
            return model;
        }
    }
}
