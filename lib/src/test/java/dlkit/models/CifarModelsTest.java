package dlkit.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dlkit.engine.Engines;
import dlkit.inspect.ModelSummary;
import org.junit.jupiter.api.Test;

class CifarModelsTest {

    private static final Shape BATCH = new Shape(2, 3, 32, 32);

    /** Trainable parameters, counted by hand from each layout (see the comments). */
    private static long trainable(Block block) {
        Engines.startQuietly();
        return ModelSummary.of(block, BATCH).trainableParameters();
    }

    @Test
    void simpleCnnHasItsLayersParameters() {
        // convs 864+9216 | 18432+36864 | 73728+147456, BN 2x(32+32+64+64+128+128), dense 262272+1290
        assertEquals(551_018, trainable(CifarCnn.builder().build()));
    }

    @Test
    void resNet9HasItsLayersParameters() {
        // 1,728 + 73,728 + 2x147,456 + 294,912 + 1,179,648 + 2x2,359,296 convs, BN 2x(64+128x3+256+512x3), fc 5,130
        assertEquals(6_573_130, trainable(ResNet9.builder().build()));
    }

    @Test
    void resNet20HasThePapersParameterCountAndDepthScales() {
        // 0.27M in He et al. (2016), table 6; option-A shortcuts add none
        assertEquals(269_722, trainable(ResNet20.builder().build()));
        // every extra block per stage adds two convs and two BNs in each of the three stages
        long perN = 2 * (16 * 16 * 9 + 32) + 2 * (32 * 32 * 9 + 64) + 2 * (64 * 64 * 9 + 128);
        assertEquals(269_722 + 2 * perN, trainable(ResNet20.builder().optDepth(32).build()));
    }

    @Test
    void everyModelMapsABatchToTenLogits() {
        Engines.startQuietly();
        for (Block block : new Block[] {CifarCnn.builder().build(), ResNet9.builder().build(), ResNet20.builder().optDropout(0.1f).build()}) {
            try (NDManager m = NDManager.newBaseManager()) {
                block.initialize(m, DataType.FLOAT32, BATCH);
                NDArray x = m.randomNormal(BATCH);
                NDArray train = block.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
                NDArray eval = block.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
                assertEquals(new Shape(2, 10), train.getShape(), block.toString());
                assertEquals(new Shape(2, 10), eval.getShape(), block.toString());
                assertTrue(eval.isInfinite().logicalOr(eval.isNaN()).none().getBoolean());
            }
        }
    }

    @Test
    void badOptionsSayWhatIsAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResNet20.builder().optDepth(21));
        assertTrue(e.getMessage().contains("6n+2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ResNet20.builder().optDropout(1f));
        assertThrows(IllegalArgumentException.class, () -> CifarCnn.builder().optClasses(0).build());
        assertThrows(IllegalArgumentException.class, () -> ResNet9.builder().optClasses(-1).build());
    }
}
