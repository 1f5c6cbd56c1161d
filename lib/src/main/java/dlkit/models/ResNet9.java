package dlkit.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * ResNet9 for 32x32 images (seed 001, P2, model 2; the layout of the DAWNBench CIFAR-10 entries):
 * widths 64-128-256-512, two residual blocks, max-pooling to downsample.
 *
 * <pre>
 * prep    conv-BN-ReLU 64                                  64 x 32x32
 * layer1  conv-BN-ReLU 128, max-pool 2, + residual(128)   128 x 16x16
 * layer2  conv-BN-ReLU 256, max-pool 2                    256 x 8x8
 * layer3  conv-BN-ReLU 512, max-pool 2, + residual(512)   512 x 4x4
 * head    global max-pool, dense 10
 * </pre>
 *
 * where residual(c) is {@code x + convBnRelu(convBnRelu(x))}. The seed trains it with AdamW,
 * gradient clipping, L2 weight decay, horizontal flips and translations, batch 400.
 */
public final class ResNet9 extends SequentialBlock {

    /** Input shape with a batch of one: 3 channels, 32x32. */
    public static final Shape INPUT = new Shape(1, 3, 32, 32);

    private final int classes;

    private ResNet9(Builder builder) {
        this.classes = builder.classes;
        add(ConvBlocks.convBnRelu(64))
                .add(downsample(128))
                .add(residual(128))
                .add(downsample(256))
                .add(downsample(512))
                .add(residual(512))
                .add(Pool.globalMaxPool2dBlock()) // [N, 512]
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
        return "ResNet9(classes=" + classes + ")";
    }

    /** Options of {@link ResNet9}. */
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
            this.classes = ConvBlocks.requireClasses("ResNet9", classes);
            return this;
        }

        /**
         * Builds the network, uninitialised.
         *
         * @return input [N, 3, 32, 32], output [N, classes] logits
         */
        public ResNet9 build() {
            ResNet9 model = new ResNet9(this);
            if (initializer != null) {
                initializer.applyTo(model);
            }
            return model;
        }
    }

    private static SequentialBlock downsample(int filters) {
        return ConvBlocks.convBnRelu(filters).add(Pool.maxPool2dBlock(new Shape(2, 2)));
    }

    private static Block residual(int filters) {
        SequentialBlock main = new SequentialBlock()
                .add(ConvBlocks.convBnRelu(filters))
                .add(ConvBlocks.convBnRelu(filters));
        return ConvBlocks.sum(main, Blocks.identityBlock());
    }
}
