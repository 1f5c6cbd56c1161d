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
import dlkit.data.Examples;
import dlkit.engine.Engines;
import dlkit.eval.BatchPredictor;
import dlkit.eval.SetSymmetry;
import dlkit.inspect.ModelSummary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeepSetsTest {

    @BeforeAll
    static void engine() {
        Engines.startQuietly();
    }

    private static Block initialised(Block block, NDManager m, long elements) {
        block.initialize(m, DataType.FLOAT32, new Shape(2, elements, 3));
        return block;
    }

    @Test
    void theSeedsParameterCounts() {
        int[][] seed = {{2, 10, 91}, {2, 100, 901}, {2, 200, 1_801}, {3, 10, 301}, {3, 100, 21_001}, {3, 200, 82_001},
            {3, 5, 101}, {5, 2, 49}};
        try (NDManager m = NDManager.newBaseManager()) {
            for (int[] c : seed) {
                for (boolean conv : new boolean[] {false, true}) {
                    Block net = initialised(DeepSets.builder().setLayers(c[0]).setWidth(c[1]).optConvolutions(conv).build(),
                            m, 10);
                    assertEquals(c[2], ModelSummary.trainableParameters(net), "L=" + c[0] + " w=" + c[1] + " conv=" + conv);
                }
            }
        }
    }

    @Test
    void shufflingTheElementsShufflesTheOutputsAndAnyNumberOfElementsWorks() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray sets = m.randomNormal(new Shape(6, 10, 3));
            Block net = initialised(DeepSets.builder().setLayers(3).setWidth(16).build(), m, 10);
            assertTrue(SetSymmetry.equivarianceError(net, sets, 1) < 1e-5, "equivariant");
            Block sum = initialised(DeepSets.builder().setLayers(2).setWidth(8).optPool(SetPool.SUM).build(), m, 10);
            assertTrue(SetSymmetry.equivarianceError(sum, sets, 2) < 1e-4, "equivariant with sum pooling");
            Block head = initialised(DeepSets.builder().setLayers(2).setWidth(8).optPerSet(true).optOutputs(2).build(), m, 10);
            assertEquals(new Shape(6, 2), BatchPredictor.of(head).predict(sets).getShape());
            assertTrue(SetSymmetry.invarianceError(head, sets, 3) < 1e-5, "invariant with a pooled head");
            NDArray larger = m.randomNormal(new Shape(4, 25, 3));
            assertEquals(new Shape(4, 25, 1), BatchPredictor.of(net).predict(larger).getShape(), "sets of another size");

            Mlp flat = Mlp.builder().setHidden(32).setOutputs(10).build();
            flat.initialize(m, DataType.FLOAT32, new Shape(2, 10, 3));
            assertTrue(SetSymmetry.equivarianceError(flat, sets, 1) > 1e-2, "an MLP on the flattened set is not equivariant");
        }
    }

    @Test
    void theConvolutionFormIsTheSameFunction() {
        try (NDManager m = NDManager.newBaseManager()) {
            EquivariantLinear linear = EquivariantLinear.builder().setUnits(4).build();
            EquivariantConv conv = new EquivariantConv(4, SetPool.MEAN);
            initialised(linear, m, 7);
            initialised(conv, m, 7);
            var lp = linear.getParameters();
            var cp = conv.getParameters();
            assertEquals(java.util.List.of("01point_weight", "02pooled_weight", "02pooled_bias"), cp.keys());
            cp.get("01point_weight").getArray().set(lp.get("lambda").getArray().reshape(4, 3, 1).toFloatArray());
            cp.get("02pooled_weight").getArray().set(lp.get("gamma").getArray().reshape(4, 3, 1).toFloatArray());
            cp.get("02pooled_bias").getArray().set(lp.get("bias").getArray().toFloatArray());
            NDArray x = m.randomNormal(new Shape(5, 7, 3));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray a = linear.forward(ps, new NDList(x), false).head();
            NDArray b = conv.forward(ps, new NDList(x), false).head();
            assertEquals(new Shape(5, 7, 4), b.getShape());
            assertTrue(a.sub(b).abs().max().getFloat() < 1e-5);
        }
    }

    @Test
    void permutingExamplesMovesLabelsWithTheirElements() {
        try (NDManager m = NDManager.newBaseManager()) {
            Examples sets = Examples.centroidDistances(20, 6, 0, 3, m);
            assertEquals(new Shape(20, 6, 3), sets.features().getShape());
            Examples shuffled = sets.permuteElements(9);
            // noiseless targets recomputed from the shuffled points equal the shuffled targets
            NDArray centroid = shuffled.features().mean(new int[] {1}, true);
            NDArray d2 = shuffled.features().sub(centroid).square().sum(new int[] {2});
            assertTrue(d2.sub(shuffled.labels()).abs().max().getFloat() < 1e-4);
            assertTrue(shuffled.features().sub(sets.features()).abs().max().getFloat() > 0.1, "the order changed");
            assertEquals(sets.labels().sum().getFloat(), shuffled.labels().sum().getFloat(), 1e-3);
        }
    }

    @Test
    void badDescriptionsAndInputsAreExplained() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeepSets.builder().setWidth(4).build());
        assertTrue(e.getMessage().contains("setLayers(3)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EquivariantLinear.builder().build());
        try (NDManager m = NDManager.newBaseManager()) {
            DeepSets net = DeepSets.builder().setLayers(2).setWidth(4).build();
            IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
                    () -> net.initialize(m, DataType.FLOAT32, new Shape(2, 30)));
            assertTrue(flat.getMessage().contains("(batch, elements, features)"), flat.getMessage());
        }
        assertEquals("DeepSets(layers=3, width=100, outputs=1 per element, pool=mean, activation=relu)",
                DeepSets.builder().setLayers(3).setWidth(100).build().toString());
    }
}
