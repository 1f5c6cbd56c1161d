package dlkit.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import dlkit.engine.Engines;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InitTest {

    @BeforeAll
    static void engine() {
        Engines.startQuietly();
    }

    private static double[] meanAndVariance(NDArray a) {
        float[] v = a.toFloatArray();
        double sum = 0;
        double sq = 0;
        for (float x : v) {
            sum += x;
            sq += (double) x * x;
        }
        double mean = sum / v.length;
        return new double[] {mean, sq / v.length - mean * mean};
    }

    private static Block initialised(Block block, Init init, Shape input, NDManager m) {
        init.applyTo(block);
        block.initialize(m, DataType.FLOAT32, input);
        return block;
    }

    /** A layer of a student's own: a linear map and a per-output scale, a weight of one axis. */
    static final class ScaledLinear extends ai.djl.nn.AbstractBlock {
        final Parameter scale;
        final Block linear;

        ScaledLinear() {
            linear = addChildBlock("linear", Linear.builder().setUnits(3).build());
            scale = addParameter(Parameter.builder().setName("scale").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(3)).optInitializer(new ai.djl.training.initializer.ConstantInitializer(2f)).build());
        }

        @Override
        protected ai.djl.ndarray.NDList forwardInternal(ai.djl.training.ParameterStore ps, ai.djl.ndarray.NDList in,
                boolean training, ai.djl.util.PairList<String, Object> params) {
            NDArray y = linear.forward(ps, in, training).singletonOrThrow();
            return new ai.djl.ndarray.NDList(y.mul(ps.getValue(scale, y.getDevice(), training)));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return new Shape[] {new Shape(inputs[0].get(0), 3)};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            linear.initialize(manager, dataType, inputShapes);
        }
    }

    /** Rules apply to connection weights (two or more axes); a one-axis weight keeps its own initialiser. */
    @Test
    void rulesLeaveOneAxisWeightsToTheirOwnInitialiser() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (Init init : List.of(Init.xavierUniform(), Init.heNormal(), Init.lecunNormal(), Init.pytorch())) {
                ScaledLinear block = new ScaledLinear();
                init.applyTo(block);
                init.applyTo(block); // a second fit of the same block applies it again
                block.initialize(m, DataType.FLOAT32, new Shape(1, 5));
                assertArrayEquals(new float[] {2f, 2f, 2f}, block.scale.getArray().toFloatArray(), init + ": the vector");
                double[] w = meanAndVariance(block.linear.getParameters().get("weight").getArray());
                assertTrue(w[1] > 0, init + " draws the matrix");
            }
            Parameter broken = new ScaledLinear().scale;
            broken.setInitializer((manager, shape, type) -> { throw new IllegalStateException("no rule for " + shape); });
            ScaledLinear withBroken = new ScaledLinear();
            withBroken.scale.setInitializer(broken.getInitializer());
            NDArray x = m.ones(new Shape(4, 5));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dlkit.train.Fit.builder()
                    .setBlock(withBroken).setTrainData(x, m.zeros(new Shape(4, 3))).setLoss(ai.djl.training.loss.Loss.l2Loss())
                    .optProgress(false).optCache(false).build().run());
            assertTrue(e.getMessage().startsWith("A parameter's initializer failed (no rule for (3))"), e.getMessage());
            ScaledLinear block = new ScaledLinear();
            Init.normal(0.5f).applyTo(block);
            block.initialize(m, DataType.FLOAT32, new Shape(1, 5));
            assertArrayEquals(new float[] {2f, 2f, 2f}, block.scale.getArray().toFloatArray(), "no rule draws vectors");
            Block prelu = Mlp.builder().setHidden(4).setOutputs(2).optActivation(Mlp.Act.PRELU).build();
            Init.heNormal().applyTo(prelu);
            prelu.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            assertTrue(prelu.getParameters().values().stream().filter(p -> p.getArray().getShape().dimension() == 1
                    && p.getType() == Parameter.Type.WEIGHT).allMatch(p -> p.getArray().getFloat(0) == 0.25f),
                    "PReLU's slope starts at 0.25, as in PyTorch");
        }
    }

    @Test
    void everyRuleDrawsTheVarianceItStates() {
        Map<String, Init> inits = Map.of("he", Init.heNormal(), "heU", Init.heUniform(), "xavier", Init.xavierNormal(),
                "xavierU", Init.xavierUniform(), "lecun", Init.lecunNormal(), "pytorch", Init.pytorch(),
                "normal", Init.normal(0.05f), "uniform", Init.uniform(0.2f));
        try (NDManager m = NDManager.newBaseManager()) {
            for (var e : inits.entrySet()) {
                Block linear = initialised(Linear.builder().setUnits(200).build(), e.getValue(), new Shape(1, 400), m);
                double[] w = meanAndVariance(linear.getParameters().get("weight").getArray());
                double expected = e.getValue().variance(400, 200);
                assertEquals(expected, w[1], 0.05 * expected, e.getKey() + " variance");
                assertEquals(0, w[0], 4 * Math.sqrt(expected / 80_000), e.getKey() + " mean");
                NDArray bias = linear.getParameters().get("bias").getArray();
                if (e.getKey().equals("pytorch")) {
                    assertEquals(1.0 / 400, meanAndVariance(bias)[1] * 3, 0.5 / 400, "PyTorch's biases: U(-1/sqrt(in), 1/sqrt(in))");
                } else {
                    assertEquals(0, bias.abs().max().getFloat(), "biases start at zero");
                }
            }
        }
    }

    @Test
    void convolutionsCountTheKernelAreaInTheFanIn() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block conv = initialised(Conv2d.builder().setFilters(64).setKernelShape(new Shape(3, 3)).build(),
                    Init.heNormal(), new Shape(1, 16, 8, 8), m);
            double[] w = meanAndVariance(conv.getParameters().get("weight").getArray());
            assertEquals(2.0 / (16 * 9), w[1], 0.05 * 2.0 / (16 * 9));
        }
    }

    @Test
    void biasesCanStartElsewhere() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block linear = initialised(Linear.builder().setUnits(10).build(),
                    Init.xavierNormal().optBias(Init.constant(0.1f)), new Shape(1, 5), m);
            NDArray bias = linear.getParameters().get("bias").getArray();
            assertEquals(0.1f, bias.min().getFloat(), 1e-7);
            assertEquals(0.1f, bias.max().getFloat(), 1e-7);
        }
        assertEquals("xavierNormal (bias constant(0.1))", Init.xavierNormal().optBias(Init.constant(0.1f)).toString());
        assertThrows(IllegalArgumentException.class, () -> Init.normal(0f));
    }
}
