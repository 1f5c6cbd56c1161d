package dlkit.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import java.util.Locale;

/**
 * The small CNN of the optimizer comparison (seed 001, P1): two convolution blocks (3x3
 * convolution, ReLU, 2x2 max pooling) and a dense ReLU layer, with a dropout layer after each of
 * the three, then the class scores. It takes 3x32x32 (CIFAR-10) and 1x28x28 (Fashion-MNIST)
 * images alike: the layer sizes follow from the first input.
 *
 * <pre>{@code
 * Block plain = CifarOptimizerCnn.builder().build();                   // no dropout
 * Block regularised = CifarOptimizerCnn.builder().optDropout(0.25f).build();
 * }</pre>
 *
 * <p>The three dropout layers are always there (rate 0 lets everything through), so a model with
 * and without dropout has the same parameters and, with the same seed, the same initial weights:
 * a dropout sweep changes nothing else.
 */
public final class CifarOptimizerCnn extends SequentialBlock {

    private final int[] filters;
    private final int hidden;
    private final int classes;
    private final float dropout;

    private CifarOptimizerCnn(Builder b) {
        this.filters = b.filters.clone();
        this.hidden = b.hidden;
        this.classes = b.classes;
        this.dropout = b.dropout;
        for (int f : filters) {
            add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(f).build());
            // Pooling before ReLU: the same function (max and ReLU commute), with ReLU and its
            // gradient on a quarter of the values: training is about 20 % faster.
            add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            add(Activation::relu);
            add(new UniformDropout(dropout));
        }
        add(Blocks.batchFlattenBlock());
        add(Linear.builder().setUnits(hidden).build());
        add(Activation::relu);
        add(new UniformDropout(dropout));
        add(Linear.builder().setUnits(classes).build());
    }

    /**
     * Starts describing the CNN.
     *
     * @return a builder with filters 16 and 32, 128 hidden units, 10 classes, no dropout
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The dropout rate of each of the three dropout layers.
     *
     * @return a rate in [0, 1)
     */
    public float dropout() {
        return dropout;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("CifarOptimizerCnn(conv");
        for (int f : filters) {
            sb.append(' ').append(f);
        }
        return sb.append(", dense ").append(hidden).append(", classes ").append(classes)
                .append(String.format(Locale.ROOT, ", dropout %.2f)", dropout)).toString();
    }

    /** Describes a {@link CifarOptimizerCnn}. */
    public static final class Builder {
        private int[] filters = {16, 32};
        private int hidden = 128;
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
         * Sets the filters of the convolution blocks, one block per value (default 16, 32); each
         * block halves the image side.
         *
         * @param filters filters per block
         * @return this builder
         */
        public Builder optFilters(int... filters) {
            this.filters = filters.clone();
            return this;
        }

        /**
         * Sets the units of the dense layer (default 128).
         *
         * @param hidden units
         * @return this builder
         */
        public Builder optHidden(int hidden) {
            this.hidden = hidden;
            return this;
        }

        /**
         * Sets the number of classes (default 10).
         *
         * @param classes outputs
         * @return this builder
         */
        public Builder optClasses(int classes) {
            this.classes = classes;
            return this;
        }

        /**
         * Sets the rate of the three dropout layers (default 0: none; the coursework uses 0.25).
         *
         * @param rate the fraction of activations dropped while training, in [0, 1)
         * @return this builder
         */
        public Builder optDropout(float rate) {
            this.dropout = rate;
            return this;
        }

        /**
         * Builds the CNN.
         *
         * @return the block, uninitialised
         * @throws IllegalArgumentException naming a size or rate out of range
         */
        public CifarOptimizerCnn build() {
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("CifarOptimizerCnn: dropout must be in [0, 1), got " + dropout);
            }
            if (filters.length == 0 || hidden <= 0 || classes <= 0) {
                throw new IllegalArgumentException("CifarOptimizerCnn: need at least one convolution block and"
                        + " positive sizes, got filters " + java.util.Arrays.toString(filters) + ", hidden " + hidden
                        + ", classes " + classes);
            }
            for (int f : filters) {
                if (f <= 0) {
                    throw new IllegalArgumentException("CifarOptimizerCnn: filters must be positive, got "
                            + java.util.Arrays.toString(filters));
                }
            }
            CifarOptimizerCnn model = new CifarOptimizerCnn(this);
            if (initializer != null) {
                initializer.applyTo(model);
            }
            return model;
        }
    }
}
