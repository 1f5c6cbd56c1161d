package dlkit.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dlkit.engine.Engines;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CifarOptimizerCnnTest {

    @Test
    void takesCifarAndFashionMnistImages() {
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            for (Shape input : List.of(new Shape(2, 3, 32, 32), new Shape(2, 1, 28, 28))) {
                CifarOptimizerCnn cnn = CifarOptimizerCnn.builder().optDropout(0.25f).build();
                cnn.initialize(m, DataType.FLOAT32, input);
                NDList out = cnn.forward(new ParameterStore(m, false), new NDList(m.ones(input)), false);
                assertEquals(new Shape(2, 10), out.singletonOrThrow().getShape());
            }
        }
    }

    @Test
    void dropoutChangesNeitherParametersNorInitialWeights() {
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            List<float[]> plain = weights(m, CifarOptimizerCnn.builder().build());
            List<float[]> dropout = weights(m, CifarOptimizerCnn.builder().optDropout(0.4f).build());
            assertEquals(plain.size(), dropout.size());
            for (int i = 0; i < plain.size(); i++) {
                assertArrayEquals(plain.get(i), dropout.get(i));
            }
            assertTrue(CifarOptimizerCnn.builder().optDropout(0.4f).build().toString().contains("dropout 0.40"));
            assertThrows(IllegalArgumentException.class, () -> CifarOptimizerCnn.builder().optDropout(1f).build());
        }
    }

    @Test
    void poolingBeforeReluComputesTheSeedsNetwork() {
        Engines.startQuietly();
        // The seed's order: convolution, ReLU, pooling; the same parameters in the same order.
        SequentialBlock seeds = new SequentialBlock();
        for (int f : new int[] {16, 32}) {
            seeds.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(f).build())
                    .add(Activation::relu)
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        seeds.add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(128).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(10).build());
        SameNetwork.assertSameFunction(CifarOptimizerCnn.builder().build(), seeds, new Shape(8, 3, 32, 32));
    }

    private static List<float[]> weights(NDManager m, CifarOptimizerCnn cnn) {
        return SameNetwork.weights(m, cnn, new Shape(1, 1, 28, 28));
    }
}
