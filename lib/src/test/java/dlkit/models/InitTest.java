package dlkit.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import dlkit.engine.Engines;
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
