package dlkit.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

/**
 * The CIFAR ResNet of He et al. (2016), section 4.2: depth 6n+2 (20, 32, 44, 56, 110), three stages
 * of n basic blocks with 16, 32 and 64 filters on 32x32, 16x16 and 8x8 maps, the first block of the
 * second and third stage downsampling with stride 2, global average pooling and a dense layer.
 *
 * <pre>{@code
 * Block resnet = ResNet20.builder().optDepth(32).build();     // ResNet-32
 * }</pre>
 *
 * <p>A basic block is conv 3x3, BN, ReLU, conv 3x3, BN, plus the shortcut, then ReLU. Shortcuts
 * are identities; where a stage halves the size and doubles the width, the shortcut subsamples
 * by 2 and pads the new channels with zeros (the paper's option A, which adds no parameters: ResNet-20
 * has 0.27M). DJL's {@code ResNetV1} builds the ImageNet layout (7x7 stem, four stages), not this one.
 *
 * <p>Seed 001 (P2, model 3) adds dropout inside the blocks ({@link Builder#optDropout}) and trains
 * with AdamW, reduce-on-plateau, flips, rotations, zooms and translations, batch 128.
 */
public final class ResNet20 extends SequentialBlock {

    /** Input shape with a batch of one: 3 channels, 32x32. */
    public static final Shape INPUT = new Shape(1, 3, 32, 32);

    private static final int[] WIDTHS = {16, 32, 64};

    private final int depth;
    private final int classes;
    private final float dropout;

    private ResNet20(Builder b) {
        this.depth = b.depth;
        this.classes = b.classes;
        this.dropout = b.dropout;
        int n = (depth - 2) / 6;
        add(ConvBlocks.conv3x3(WIDTHS[0], 1, false))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock());
        for (int stage = 0; stage < WIDTHS.length; stage++) {
            for (int i = 0; i < n; i++) {
                boolean down = stage > 0 && i == 0;
                add(basicBlock(WIDTHS[stage], down, dropout));
            }
        }
        add(Pool.globalAvgPool2dBlock()) // [N, 64]
                .add(Linear.builder().setUnits(classes).build());
    }

    private static Block basicBlock(int filters, boolean down, float dropout) {
        SequentialBlock main = new SequentialBlock()
                .add(ConvBlocks.conv3x3(filters, down ? 2 : 1, false))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock());
        if (dropout > 0) {
            main.add(new UniformDropout(dropout));
        }
        main.add(ConvBlocks.conv3x3(filters, 1, false)).add(BatchNorm.builder().build());
        Block shortcut = down ? new LambdaBlock(ResNet20::subsampleAndPad, "shortcutA") : Blocks.identityBlock();
        return new SequentialBlock().add(ConvBlocks.sum(main, shortcut)).add(Activation.reluBlock());
    }

    @Override
    public String toString() {
        return "ResNet-" + depth + "(classes=" + classes + ", dropout=" + dropout + ")";
    }

    /**
     * Starts describing a CIFAR ResNet; the defaults give ResNet-20 for ten classes, no dropout.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Options of the CIFAR ResNet. */
    public static final class Builder {

        private int depth = 20;
        private int classes = 10;
        private float dropout;

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
         * Sets the depth: 6n+2 layers with weights (20, 32, 44, 56, 110).
         *
         * @param depth 6n+2 with n &ge; 1
         * @return this builder
         */
        public Builder optDepth(int depth) {
            if (depth < 8 || (depth - 2) % 6 != 0) {
                throw new IllegalArgumentException("ResNet20: depth must be 6n+2 (8, 14, 20, 32, 44, 56, 110), got "
                        + depth);
            }
            this.depth = depth;
            return this;
        }

        /**
         * Sets the number of outputs.
         *
         * @param classes positive
         * @return this builder
         */
        public Builder optClasses(int classes) {
            this.classes = ConvBlocks.requireClasses("ResNet20", classes);
            return this;
        }

        /**
         * Adds dropout between the two convolutions of every block (seed 001's variant).
         *
         * @param rate in [0, 1); 0 (the default) means none, as in the paper
         * @return this builder
         */
        public Builder optDropout(float rate) {
            if (!(rate >= 0 && rate < 1)) {
                throw new IllegalArgumentException("ResNet20: dropout must be in [0, 1), got " + rate);
            }
            this.dropout = rate;
            return this;
        }

        /**
         * Builds the network, uninitialised.
         *
         * @return input [N, 3, 32, 32], output [N, classes] logits
         */
        public ResNet20 build() {
            ResNet20 model = new ResNet20(this);
            if (initializer != null) {
                initializer.applyTo(model);
            }
            return model;
        }
    }

    /** Option A shortcut: every second pixel, and the channels doubled with zeros (half each side). */
    private static NDList subsampleAndPad(NDList in) {
        NDArray x = in.singletonOrThrow();
        NDArray sub = x.get(new NDIndex(":, :, ::2, ::2"));
        Shape s = sub.getShape();
        long pad = s.get(1) / 2;
        NDArray zeros = sub.getManager().zeros(new Shape(s.get(0), pad, s.get(2), s.get(3)), sub.getDataType());
        return new NDList(NDArrays.concat(new NDList(zeros, sub, zeros), 1));
    }
}
