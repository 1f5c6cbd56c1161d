package dlkit.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.loss.L2Loss;
import ai.djl.util.Pair;
import ai.djl.ndarray.NDList;
import dlkit.data.GaussianNoise;
import dlkit.engine.Engines;
import dlkit.train.Fit;
import dlkit.train.Run;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DenseAutoencoderTest {

    static NDManager manager;

    @TempDir Path runs;

    @BeforeAll
    static void start() {
        Engines.startQuietly();
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** Images in [0, 1] that live on a 2-D manifold: a bright bar whose position and width vary. */
    static NDArray bars(int n, int side, long seed) {
        Random random = new Random(seed);
        float[] x = new float[n * side * side];
        for (int i = 0; i < n; i++) {
            int from = random.nextInt(side - 3);
            int width = 1 + random.nextInt(3);
            for (int r = 0; r < side; r++) {
                for (int c = from; c < from + width; c++) {
                    x[i * side * side + r * side + c] = 0.9f;
                }
            }
        }
        return manager.create(x, new Shape(n, 1, side, side));
    }

    @Test
    void defaultSizesHaveTheCourseworksParameterCount() {
        DenseAutoencoder ae = DenseAutoencoder.builder().build();
        ae.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
        long count = 0;
        for (Pair<String, Parameter> p : ae.getParameters()) {
            count += p.getValue().getArray().size();
        }
        assertEquals(218_192, count);
        // PyTorch's nn.Linear weight init: uniform within 1/sqrt(fan_in); biases zero
        float first = ae.getParameters().get(0).getValue().getArray().abs().max().getFloat();
        assertTrue(first <= 1 / Math.sqrt(784) && first > 0.9 / Math.sqrt(784), "first layer weights up to " + first);
        float last = ae.getParameters().get(6).getValue().getArray().abs().max().getFloat();
        assertTrue(last <= 1 / Math.sqrt(128) && last > 0.9 / Math.sqrt(128), "last layer weights up to " + last);
        assertEquals(0f, ae.getParameters().get(1).getValue().getArray().abs().max().getFloat());
        assertTrue(ae.toString().contains("784 -> 128 -> [64] -> 128 -> 784"), ae.toString());
    }

    @Test
    void l2LossWithWeightOneIsTheMeanSquaredError() {
        NDArray a = manager.create(new float[] {0f, 0.5f, 1f, 0.25f}, new Shape(2, 2));
        NDArray b = manager.create(new float[] {1f, 0.5f, 0f, 0f}, new Shape(2, 2));
        float mse = new L2Loss("mse", 1).evaluate(new NDList(a), new NDList(b)).getFloat();
        assertEquals((1 + 0 + 1 + 0.0625) / 4, mse, 1e-6);
        float half = new L2Loss().evaluate(new NDList(a), new NDList(b)).getFloat();
        assertEquals(mse / 2, half, 1e-6, "DJL's default L2Loss halves the MSE");
    }

    @Test
    void trainsThroughFitAndEncodesAndDecodes() {
        int side = 8;
        NDArray x = bars(256, side, 1);
        NDArray flat = x.reshape(256, side * side);
        DenseAutoencoder ae = DenseAutoencoder.builder().optInputSize(side * side).optHidden(32).optCodeSize(4).build();
        try (Run run = Fit.builder()
                .setBlock(ae)
                .setTrainData(x, flat)
                .setLoss(new L2Loss("mse", 1))
                .optEpochs(30)
                .optBatchSize(32)
                .optLearningRate(3e-3f)
                .optProgress(false)
                .optRunsDir(runs)
                .optSeed(3)
                .build().run()) {
            double first = run.history().value("train_loss", 1);
            double last = run.history().value("train_loss", 30);
            assertNull(run.divergence().orElse(null));
            assertTrue(last < first / 3, "loss should fall well below its start: " + first + " -> " + last);
            try (NDManager m = manager.newSubManager()) {
                NDArray some = x.get("0:5").toType(DataType.FLOAT32, true);
                some.attach(m);
                NDArray codes = ae.encode(some);
                assertEquals(new Shape(5, 4), codes.getShape());
                NDArray back = ae.decode(codes);
                assertEquals(new Shape(5, side * side), back.getShape());
                assertTrue(back.min().getFloat() >= 0 && back.max().getFloat() <= 1, "sigmoid output");
                NDArray again = ae.reconstruct(some);
                assertEquals(back.sub(again).abs().max().getFloat(), 0f, 1e-6);
                // the trained model reconstructs training images better than the mean image does
                float mse = back.sub(some.reshape(5, side * side)).square().mean().getFloat();
                float baseline = flat.sub(flat.mean(new int[] {0})).square().mean().getFloat();
                assertTrue(mse < baseline, "reconstruction MSE " + mse + " vs mean-image MSE " + baseline);
            }
        }
    }

    @Test
    void interpolateGoesInEqualStepsFromOneEndToTheOther() {
        NDArray a = manager.create(new float[] {0f, 2f}, new Shape(1, 2));
        NDArray b = manager.create(new float[] {4f, 2f}, new Shape(1, 2));
        float[] rows = DenseAutoencoder.interpolate(a, b, 3).toFloatArray();
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {0f, 2f, 2f, 2f, 4f, 2f}, rows, 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> DenseAutoencoder.interpolate(a, b, 1));
    }

    @Test
    void walkStartsAndEndsAtTheTwoReconstructions() {
        DenseAutoencoder ae = DenseAutoencoder.builder().optInputSize(16).optHidden(8).optCodeSize(2).build();
        ae.initialize(manager, DataType.FLOAT32, new Shape(1, 16));
        NDArray x = manager.randomUniform(0f, 1f, new Shape(2, 16));
        NDArray walk = ae.walk(x.get("0:1"), x.get("1:2"), 5);
        assertEquals(new Shape(5, 16), walk.getShape());
        NDArray ends = ae.reconstruct(x);
        assertEquals(0f, walk.get("0").sub(ends.get("0")).abs().max().getFloat(), 1e-6f);
        assertEquals(0f, walk.get("4").sub(ends.get("1")).abs().max().getFloat(), 1e-6f);
    }

    @Test
    void decodeRejectsCodesOfTheWrongSize() {
        DenseAutoencoder ae = DenseAutoencoder.builder().optInputSize(16).optHidden(8).optCodeSize(2).build();
        assertThrows(IllegalStateException.class, () -> ae.encode(manager.zeros(new Shape(1, 16))));
        ae.initialize(manager, DataType.FLOAT32, new Shape(1, 16));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ae.decode(manager.zeros(new Shape(3, 5))));
        assertTrue(e.getMessage().contains("[N, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DenseAutoencoder.builder().optCodeSize(0).build());
    }

    @Test
    void gaussianNoiseIsSeededClippedAndChangesOnlyTheInput() {
        NDArray x = manager.full(new Shape(4, 1, 5, 5), 0.5f);
        GaussianNoise noise = GaussianNoise.of(0.3f);
        float[] a = noise.apply(x, new Random(7)).toFloatArray();
        float[] b = noise.apply(x, new Random(7)).toFloatArray();
        float[] c = noise.apply(x, new Random(8)).toFloatArray();
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
        assertTrue(!java.util.Arrays.equals(a, c));
        double sum = 0;
        double squares = 0;
        for (float v : a) {
            assertTrue(v >= 0 && v <= 1);
            sum += v - 0.5;
            squares += (v - 0.5) * (v - 0.5);
        }
        double std = Math.sqrt(squares / a.length - Math.pow(sum / a.length, 2));
        assertTrue(std > 0.2 && std < 0.4, "std " + std);
        assertEquals(0.5f, x.getFloat(0, 0, 0, 0), "the input array is not changed");
        assertTrue(noise.toString().contains("0.3"));
        assertThrows(IllegalArgumentException.class, () -> GaussianNoise.of(-1f));
    }
}
