package dlkit.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dlkit.engine.Engines;
import dlkit.engine.TorchOps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UniformDropoutTest {

    @BeforeAll
    static void engine() {
        Engines.startQuietly();
    }

    /** With libtorch's operations (16-bit numbers cut from 64-bit random words) and without (DJL's uniform). */
    @ParameterizedTest
    @CsvSource({"0.25, true", "0.1, true", "0.5, true", "0.25, false", "0.1, false"})
    void zeroesTheRatesShareIndependentlyAndScalesTheRestInTraining(float rate, boolean torchOps) {
        System.setProperty("dlkit.torchops", String.valueOf(torchOps));
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(torchOps, TorchOps.available());
            NDArray x = m.randomUniform(1f, 2f, new Shape(500, 2000)); // no zeros of its own
            float[] in = x.toFloatArray();
            float[] out = forward(new UniformDropout(rate), m, x, true).toFloatArray();
            boolean[] kept = new boolean[in.length];
            for (int i = 0; i < in.length; i++) {
                kept[i] = out[i] != 0f;
                if (kept[i]) {
                    // 1 / (1 - rate), or 65536 / (kept numbers) for the 16-bit draw: 1.5e-5 apart at most
                    assertEquals(in[i] / (1 - rate), out[i], 2e-5f * out[i], "a kept value is scaled by 1 / (1 - rate)");
                }
            }
            int n = in.length;
            int quarter = n / 4;
            double keep = 1 - rate;
            // A quarter of a million draws: the share's standard error is at most 0.001.
            for (int part = 0; part < 4; part++) {
                assertEquals(keep, share(kept, part * quarter, quarter, 0), 0.005, "share kept in quarter " + part);
            }
            // Values a quarter apart come from one random word, neighbours from the next: both kept
            // as often as two independent draws are.
            assertEquals(keep * keep, share(kept, 0, 3 * quarter, quarter), 0.005, "kept with its value a quarter on");
            assertEquals(keep * keep, share(kept, 0, n - 1, 1), 0.005, "kept with its neighbour");
        } finally {
            System.clearProperty("dlkit.torchops");
        }
    }

    @Test
    void keepsTheShapeAndLayoutOfAnyInput() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray odd = m.ones(new Shape(3, 5, 7)); // 105 values, not a whole number of random words
            NDArray out = forward(new UniformDropout(0.5f), m, odd, true);
            assertEquals(odd.getShape(), out.getShape());
            for (float v : out.toFloatArray()) {
                assertTrue(v == 0f || v == 2f, "0 or 1 / (1 - rate): " + v);
            }
            NDArray doubles = m.ones(new Shape(1000), DataType.FLOAT64); // a model of one's own in double precision
            NDArray droppedDoubles = forward(new UniformDropout(0.75f), m, doubles, true);
            assertEquals(DataType.FLOAT64, droppedDoubles.getDataType());
            for (double v : droppedDoubles.toDoubleArray()) {
                assertTrue(v == 0 || v == 4, "0 or 1 / (1 - rate): " + v);
            }
            NDArray image = m.randomUniform(1f, 2f, new Shape(2, 3, 4, 5));
            NDArray channelsLast = TorchOps.channelsLast(image, m);
            float[] values = image.toFloatArray();
            float[] dropped = forward(new UniformDropout(0.5f), m, channelsLast, true).toFloatArray();
            for (int i = 0; i < values.length; i++) {
                assertTrue(dropped[i] == 0f || Math.abs(dropped[i] - 2 * values[i]) < 1e-6f, "value " + i);
            }
        }
    }

    /** The share of indices i in [from, from + count) with kept[i] and kept[i + distance]. */
    private static double share(boolean[] kept, int from, int count, int distance) {
        int both = 0;
        for (int i = from; i < from + count; i++) {
            if (kept[i] && kept[i + distance]) {
                both++;
            }
        }
        return both / (double) count;
    }

    @Test
    void passesItsInputThroughAtInferenceAndAtRateZero() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(64, 32));
            assertArrayEquals(x.toFloatArray(), forward(new UniformDropout(0.5f), m, x, false).toFloatArray());
            assertArrayEquals(x.toFloatArray(), forward(new UniformDropout(0f), m, x, true).toFloatArray());
        }
    }

    @Test
    void itsGradientIsItsMaskAndASeedRepeatsIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(4, 8, 6, 6));
            x.setRequiresGradient(true);
            Engine.getInstance().setRandomSeed(3);
            float[] out;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = forward(new UniformDropout(0.4f), m, x, true);
                out = y.toFloatArray();
                collector.backward(y.sum());
            }
            // y = x * mask with x = 1: the gradient of sum(y) is the mask itself
            assertArrayEquals(out, x.getGradient().toFloatArray(), 1e-6f);
            Engine.getInstance().setRandomSeed(3);
            assertArrayEquals(out, forward(new UniformDropout(0.4f), m, x, true).toFloatArray());
            assertNotEquals(java.util.Arrays.toString(out),
                    java.util.Arrays.toString(forward(new UniformDropout(0.4f), m, x, true).toFloatArray()));
        }
    }

    @Test
    void checkpointsLoadFromAndIntoDjlsDropout() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape input = new Shape(2, 5);
            Block djls = net(Dropout.builder().optRate(0.5f).build());
            Block ours = net(new UniformDropout(0.5f));
            djls.initialize(m, DataType.FLOAT32, input);
            ours.initialize(m, DataType.FLOAT32, input);
            load(ours, save(djls), m);
            NDArray x = m.randomNormal(input);
            assertArrayEquals(forward(djls, m, x, false).toFloatArray(), forward(ours, m, x, false).toFloatArray());
            Block back = net(Dropout.builder().optRate(0.5f).build());
            back.initialize(m, DataType.FLOAT32, input);
            load(back, save(ours), m);
            assertArrayEquals(forward(ours, m, x, false).toFloatArray(), forward(back, m, x, false).toFloatArray());
        }
    }

    @Test
    void refusesARateOutsideZeroToOneWithTheFix() {
        for (float rate : new float[] {1f, -0.1f, Float.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new UniformDropout(rate));
            assertTrue(e.getMessage().contains("outside [0, 1)") && e.getMessage().contains("new UniformDropout(0.25f)"),
                    e.getMessage());
        }
        assertEquals("UniformDropout(rate=0.25)", new UniformDropout(0.25f).toString());
    }

    private static Block net(Block dropout) {
        return new SequentialBlock().add(Linear.builder().setUnits(3).build()).add(dropout)
                .add(Linear.builder().setUnits(2).build());
    }

    private static byte[] save(Block block) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        }
        return bytes.toByteArray();
    }

    private static void load(Block block, byte[] saved, NDManager m) throws Exception {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(saved))) {
            block.loadParameters(m, in);
            assertEquals(-1, in.read(), "every saved byte is read");
        }
    }

    private static NDArray forward(Block block, NDManager m, NDArray x, boolean training) {
        if (!block.isInitialized()) {
            block.initialize(m, DataType.FLOAT32, x.getShape());
        }
        return block.forward(new ParameterStore(m, false), new NDList(x), training).singletonOrThrow();
    }
}
