package dlkit.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;

import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import dlkit.engine.Engines;
import dlkit.inspect.ModelSummary;
import org.junit.jupiter.api.Test;

class MnistCnnTest {

    @Test
    void hasTheSeedsLayoutAndParameterCount() {
        Engines.startQuietly();
        MnistCnn cnn = MnistCnn.builder().build();
        ModelSummary summary = ModelSummary.of(cnn, new Shape(2, 1, 28, 28));
        // seed 000 reports 3,171,352 parameters for the same layout in PyTorch
        assertEquals(3_171_352, summary.totalParameters());
        assertEquals(new Shape(2, 10), cnn.getOutputShapes(new Shape[] {new Shape(2, 1, 28, 28)})[0]);
    }

    @Test
    void featuresStopAtThe490UnitLayerAndShareParameters() {
        Engines.startQuietly();
        MnistCnn cnn = MnistCnn.builder().build();
        try (NDManager m = NDManager.newBaseManager()) {
            cnn.initialize(m, DataType.FLOAT32, new Shape(3, 1, 28, 28));
            Block features = cnn.features();
            NDArray x = m.randomNormal(new Shape(3, 1, 28, 28));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray f = features.forward(ps, new NDList(x), false).singletonOrThrow();
            assertEquals(new Shape(3, MnistCnn.FEATURES), f.getShape());
            assertEquals(0f, f.min().getFloat(), 0f, "features are ReLU outputs, so never negative");
            // the classifier applied to the features gives the whole network's output
            Block head = cnn.getChildren().get(1).getValue();
            NDArray viaFeatures = head.forward(ps, new NDList(f), false).singletonOrThrow();
            NDArray whole = cnn.forward(ps, new NDList(x), false).singletonOrThrow();
            assertEquals(0f, viaFeatures.sub(whole).abs().max().getFloat(), 1e-5f);
            assertSame(features.getParameters().get(0).getValue().getArray(), cnn.getParameters().get(0).getValue().getArray());
        }
    }

    @Test
    void poolingBeforeReluComputesTheSeedsNetworkWithItsParameterNames() {
        Engines.startQuietly();
        // The seed's order: each convolution, then ReLU, then pooling
        SequentialBlock features = new SequentialBlock();
        for (int filters : new int[] {32, 64, 128}) {
            features.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(filters).build())
                    .add(Activation.reluBlock());
            if (filters > 32) {
                features.add(Pool.maxPool2dBlock(new Shape(2, 2)));
            }
        }
        features.add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(MnistCnn.FEATURES).build())
                .add(Activation.reluBlock()).add(new UniformDropout(0.5f));
        SequentialBlock seeds = new SequentialBlock().add(features).add(Linear.builder().setUnits(10).build());
        MnistCnn ours = MnistCnn.builder().build();
        SameNetwork.assertSameFunction(ours, seeds, new Shape(4, 1, 28, 28));
        // so checkpoints and pretrained parts saved before the change still load
        assertEquals(seeds.getParameters().keys(), ours.getParameters().keys());
    }

    @Test
    void theBuilderSetsTheClassCountAndChecksIt() {
        MnistCnn five = MnistCnn.builder().optClasses(5).build();
        assertEquals("MnistCnn(conv 32-64-128, features=490, classes=5)", five.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MnistCnn.builder().optClasses(0));
        assertEquals(true, e.getMessage().contains("MnistCnn"), e.getMessage());
    }
}
