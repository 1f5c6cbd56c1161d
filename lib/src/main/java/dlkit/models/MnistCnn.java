package dlkit.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;

/**
 * The MNIST CNN with a 490-unit "deep feature" layer (seed 000).
 *
 * <pre>
 * conv 3x3 1→32, ReLU; conv 3x3 32→64, ReLU; max-pool 2      → 64x14x14
 * conv 3x3 64→128, ReLU; max-pool 2                           → 128x7x7
 * flatten 6272; dense 6272→490, ReLU, dropout 0.5             → the 490-d features
 * dense 490→10                                                → class scores (logits)
 * </pre>
 *
 * <p>The block is a {@link SequentialBlock} of two parts, the feature extractor and the classifier,
 * so the trained features are one {@link #features(Block)} call away:
 *
 * <pre>{@code
 * SequentialBlock cnn = MnistCnn.build();
 * // ... train it with Fit ...
 * Block features = MnistCnn.features(cnn);   // the same parameters, stops at the 490-d layer
 * }</pre>
 */
public final class MnistCnn {

    /** Units of the penultimate (feature) layer. */
    public static final int FEATURES = 490;

    /** MNIST digits. */
    public static final int CLASSES = 10;

    /** Input shape with a batch of one: 1 channel, 28x28. */
    public static final Shape INPUT = new Shape(1, 1, 28, 28);

    private MnistCnn() {}

    /**
     * Builds the seed-000 network, uninitialised.
     *
     * @return [feature extractor, classifier]: input [N, 1, 28, 28], output [N, 10] logits
     */
    public static SequentialBlock build() {
        SequentialBlock features = new SequentialBlock()
                .add(conv(32))
                .add(Activation.reluBlock())
                .add(conv(64))
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(conv(128))
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(FEATURES).build())
                .add(Activation.reluBlock())
                // identity at inference, so the extracted features are the ReLU outputs
                .add(Dropout.builder().optRate(0.5f).build());
        return new SequentialBlock()
                .add(features)
                .add(Linear.builder().setUnits(CLASSES).build());
    }

    /**
     * The part of a {@link #build()} network that ends at the feature layer; it shares the
     * network's parameters, so it gives the trained features once the network is trained.
     *
     * @param network a block made by {@link #build()}
     * @return the feature extractor: input [N, 1, 28, 28], output [N, 490]
     * @throws IllegalArgumentException if {@code network} was not made by {@link #build()}
     */
    public static Block features(Block network) {
        if (!(network instanceof SequentialBlock)
                || network.getChildren().size() != 2
                || !(network.getChildren().get(0).getValue() instanceof SequentialBlock)) {
            throw new IllegalArgumentException(
                    "MnistCnn.features expects the block made by MnistCnn.build() (a SequentialBlock of"
                            + " feature extractor and classifier), got " + describe(network));
        }
        return network.getChildren().get(0).getValue();
    }

    private static String describe(Block block) {
        return block == null ? "null" : block.getClass().getSimpleName() + " with " + block.getChildren().size() + " children";
    }

    private static Conv2d conv(int filters) {
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1))
                .setFilters(filters)
                .build();
    }
}
