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
        try (NDManager m = NDManager.newBaseManager()) {
            // The seed's order: convolution, ReLU, pooling; the same parameters in the same order.
            SequentialBlock seeds = new SequentialBlock();
            for (int f : new int[] {16, 32}) {
                seeds.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(f).build())
                        .add(Activation::relu)
                        .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
            seeds.add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(128).build()).add(Activation::relu)
                    .add(Linear.builder().setUnits(10).build());
            CifarOptimizerCnn ours = CifarOptimizerCnn.builder().build();
            Shape input = new Shape(8, 3, 32, 32);
            List<float[]> a = weights(m, ours, input);
            List<float[]> b = weights(m, seeds, input);
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i), b.get(i));
            }
            NDArray x = m.randomNormal(input);
            float[][] ourResult = outputAndGradients(ours, x);
            float[][] seedsResult = outputAndGradients(seeds, x);
            for (int i = 0; i < ourResult.length; i++) {
                assertArrayEquals(seedsResult[i], ourResult[i], 1e-5f, "output or gradient " + i);
            }
        }
    }

    /** The training-mode output, then each parameter's gradient of the output's sum of squares. */
    private static float[][] outputAndGradients(Block block, NDArray x) {
        List<float[]> results = new ArrayList<>();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray out = block.forward(new ParameterStore(x.getManager(), false), new NDList(x), true)
                    .singletonOrThrow();
            results.add(out.toFloatArray());
            collector.backward(out.square().sum());
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            results.add(p.getValue().getArray().getGradient().toFloatArray());
        }
        return results.toArray(new float[0][]);
    }

    private static List<float[]> weights(NDManager m, CifarOptimizerCnn cnn) {
        return weights(m, cnn, new Shape(1, 1, 28, 28));
    }

    private static List<float[]> weights(NDManager m, Block cnn, Shape input) {
        Engine.getInstance().setRandomSeed(7);
        cnn.initialize(m, DataType.FLOAT32, input);
        List<float[]> values = new ArrayList<>();
        for (Pair<String, Parameter> p : cnn.getParameters()) {
            values.add(p.getValue().getArray().toFloatArray());
        }
        return values;
    }
}
