package dlkit.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import dlkit.engine.NoGradient;
import java.util.Arrays;

/**
 * A dense (fully connected) autoencoder: an encoder squeezes each flattened image into a short
 * code, a decoder rebuilds the image from it. The default sizes are the coursework's (seed 004,
 * Problem 4): 784 &rarr; 128 ReLU &rarr; 64 ReLU (the code) and 64 &rarr; 128 ReLU &rarr; 784
 * sigmoid, 218,192 parameters. Weights start as PyTorch's {@code nn.Linear} does, uniform in
 * &plusmn;1/&radic;fan_in (biases at zero, DJL's default).
 *
 * <pre>{@code
 * DenseAutoencoder ae = DenseAutoencoder.builder().build();     // or optHidden(256).optCode(32)
 * // train with Fit: features = images [N,1,28,28] (or [N,784]) in [0,1], labels = images [N,784]
 * NDArray codes = ae.encode(images);                           // [N, 64]
 * NDArray pictures = ae.decode(codes);                         // [N, 784]
 * }</pre>
 *
 * <p>It is a {@link SequentialBlock} of two children, {@link #encoder()} and {@link #decoder()},
 * so {@code Fit} trains it like any block and the two halves can be run on their own afterwards.
 * The output is flat, {@code [N, inputSize]}: use the flattened images as labels.
 */
public final class DenseAutoencoder extends SequentialBlock {

    private final int inputSize;
    private final int[] hidden;
    private final int codeSize;
    private final SequentialBlock encoder;
    private final SequentialBlock decoder;

    private DenseAutoencoder(Builder b) {
        this.inputSize = b.inputSize;
        this.hidden = b.hidden.clone();
        this.codeSize = b.codeSize;
        encoder = new SequentialBlock().add(Blocks.batchFlattenBlock());
        for (int units : hidden) {
            encoder.add(Linear.builder().setUnits(units).build()).add(Activation::relu);
        }
        // The code is a ReLU layer too, as in the coursework: codes are >= 0.
        encoder.add(Linear.builder().setUnits(codeSize).build()).add(Activation::relu);
        decoder = new SequentialBlock();
        for (int i = hidden.length - 1; i >= 0; i--) {
            decoder.add(Linear.builder().setUnits(hidden[i]).build()).add(Activation::relu);
        }
        // Sigmoid keeps every output pixel in [0, 1], like the inputs.
        decoder.add(Linear.builder().setUnits(inputSize).build()).add(Activation::sigmoid);
        add(encoder);
        add(decoder);
        // PyTorch's default for nn.Linear weights, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), as in the
        // coursework; DJL's default (normal, variance 2/fan_in) is about 2.5x wider and trained to
        // 0.0099 instead of 0.0093 after 20 epochs (full profile, seed 42).
        setInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.IN, 1f),
                Parameter.Type.WEIGHT);
    }

    /**
     * Starts describing an autoencoder; the defaults are the coursework's sizes.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The encoder: flattened image to code.
     *
     * @return the encoder block (trained with this block)
     */
    public Block encoder() {
        return encoder;
    }

    /**
     * The decoder: code to flattened image.
     *
     * @return the decoder block (trained with this block)
     */
    public Block decoder() {
        return decoder;
    }

    /**
     * Runs the encoder in inference mode.
     *
     * @param images {@code [N, C, H, W]} or {@code [N, inputSize]}, scaled like the training data
     * @return codes {@code [N, codeSize]}, owned by the images' manager
     */
    public NDArray encode(NDArray images) {
        requireInitialized();
        return infer(encoder, images);
    }

    /**
     * Runs the decoder in inference mode, e.g. on codes from {@link #encode} or mixtures of them.
     *
     * @param codes {@code [N, codeSize]}
     * @return images {@code [N, inputSize]} in [0, 1], owned by the codes' manager
     */
    public NDArray decode(NDArray codes) {
        requireInitialized();
        Shape shape = codes.getShape();
        if (shape.dimension() != 2 || shape.get(1) != codeSize) {
            throw new IllegalArgumentException(
                    "codes must have shape [N, " + codeSize + "], got " + shape + "; make them with encode(images)");
        }
        return infer(decoder, codes);
    }

    /**
     * Encodes then decodes: the reconstruction of each image.
     *
     * @param images {@code [N, C, H, W]} or {@code [N, inputSize]}
     * @return reconstructions {@code [N, inputSize]}
     */
    public NDArray reconstruct(NDArray images) {
        try (NDArray codes = encode(images)) {
            return decode(codes);
        }
    }

    /**
     * Walks in code space from one image to another: the two codes are mixed in {@code steps}
     * equal steps and every mixture is decoded.
     *
     * @param from one image, {@code [1, C, H, W]} or {@code [1, inputSize]}
     * @param to another image, the same shape
     * @param steps how many images, at least 2 (the first and last decode the two codes)
     * @return decoded images {@code [steps, inputSize]}
     */
    public NDArray walk(NDArray from, NDArray to, int steps) {
        try (NDArray a = encode(from);
                NDArray b = encode(to);
                NDArray codes = interpolate(a, b, steps)) {
            return decode(codes);
        }
    }

    /**
     * Points on the straight line between two arrays: row k is {@code (1 - t) a + t b} with {@code
     * t = k / (steps - 1)}. Used on codes by {@link #walk}, and on pixels to compare with it.
     *
     * @param a one example, any shape with a leading 1 (flattened to a row)
     * @param b another example of the same size
     * @param steps how many rows, at least 2
     * @return {@code [steps, size]}
     */
    public static NDArray interpolate(NDArray a, NDArray b, int steps) {
        if (steps < 2) {
            throw new IllegalArgumentException("a walk needs at least 2 steps, got " + steps);
        }
        if (a.size() != b.size() || a.getShape().get(0) != 1 || b.getShape().get(0) != 1) {
            throw new IllegalArgumentException("interpolate needs two single examples of the same size, got "
                    + a.getShape() + " and " + b.getShape());
        }
        try (NDManager m = a.getManager().newSubManager()) {
            NDArray t = m.linspace(0f, 1f, steps).reshape(steps, 1);
            NDArray rows = a.reshape(1, -1).mul(t.neg().add(1)).add(b.reshape(1, -1).mul(t));
            rows.attach(a.getManager());
            return rows;
        }
    }

    private NDArray infer(Block block, NDArray input) {
        ParameterStore store = new ParameterStore(input.getManager(), false);
        try (NoGradient scope = NoGradient.open()) { // inference: no autograd graph
            return block.forward(store, new NDList(input), false).singletonOrThrow();
        }
    }

    private void requireInitialized() {
        if (!isInitialized()) {
            throw new IllegalStateException(
                    "the autoencoder has no weights yet: train it with Fit (or initialize it) before encoding");
        }
    }

    /**
     * The size of the flattened input and output.
     *
     * @return e.g. 784
     */
    public int inputSize() {
        return inputSize;
    }

    /**
     * The length of a code.
     *
     * @return e.g. 64
     */
    public int codeSize() {
        return codeSize;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("DenseAutoencoder(").append(inputSize);
        for (int h : hidden) {
            sb.append(" -> ").append(h);
        }
        sb.append(" -> [").append(codeSize).append(']');
        for (int i = hidden.length - 1; i >= 0; i--) {
            sb.append(" -> ").append(hidden[i]);
        }
        return sb.append(" -> ").append(inputSize).append(" sigmoid, weights U(+-1/sqrt(fan_in)))").toString();
    }

    /** Describes a {@link DenseAutoencoder}; every size has the coursework's default. */
    public static final class Builder {
        private int inputSize = 784;
        private int[] hidden = {128};
        private int codeSize = 64;

        private Init initializer;

        private Builder() {}

        /**
         * Sets how the weights and biases start (default: DJL's, He-normal weights and zero
         * biases, except as this model's documentation says); {@code Fit.Builder.optInitializer} overrides it.
         *
         * @param initializer e.g. {@code Init.xavierUniform()}
         * @return this builder
         */
        public Builder optInitializer(Init initializer) {
            this.initializer = initializer;
            return this;
        }

        /**
         * Sets the flattened input size (default 784 = 28 x 28).
         *
         * @param inputSize pixels per image times channels
         * @return this builder
         */
        public Builder optInputSize(int inputSize) {
            this.inputSize = inputSize;
            return this;
        }

        /**
         * Sets the hidden layers between input and code, widest first (default 128); the decoder
         * mirrors them.
         *
         * @param units units per hidden layer; none for a single-layer encoder
         * @return this builder
         */
        public Builder optHidden(int... units) {
            this.hidden = units.clone();
            return this;
        }

        /**
         * Sets the code ("bottleneck") size (default 64).
         *
         * @param codeSize the number of values per code
         * @return this builder
         */
        public Builder optCodeSize(int codeSize) {
            this.codeSize = codeSize;
            return this;
        }

        /**
         * Builds the autoencoder.
         *
         * @return the block, uninitialised (Fit initialises it from its seed)
         * @throws IllegalArgumentException if a size is not positive
         */
        public DenseAutoencoder build() {
            require(inputSize > 0, "input size must be positive, got " + inputSize);
            require(codeSize > 0, "code size must be positive, got " + codeSize);
            for (int h : hidden) {
                require(h > 0, "hidden layer sizes must be positive, got " + Arrays.toString(hidden));
            }
            DenseAutoencoder model = new DenseAutoencoder(this);
            if (initializer != null) {
                initializer.applyTo(model);
            }
            return model;
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException("DenseAutoencoder: " + message);
            }
        }
    }
}
