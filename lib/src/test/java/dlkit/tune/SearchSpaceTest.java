package dlkit.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dlkit.models.Mlp;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SearchSpaceTest {

    private static SearchSpace.Builder base() {
        return SearchSpace.builder()
                .setLayers(3, 4, 5)
                .setUnits(30, 40)
                .setLearningRates(0.01f, 0.1f)
                .setBatchSizes(16, 64)
                .setEpochs(10)
                .setWeightDecays(0f, 1e-3f);
    }

    @Test
    void gridHoldsEveryCombinationOnce() {
        SearchSpace space = base().build();
        assertEquals(3 * 2 * 2 * 2 * 1 * 2, space.size());
        List<Trial> grid = space.grid();
        assertEquals(48, grid.size());
        assertEquals(48, new HashSet<>(grid).size());
        Set<Integer> layers = grid.stream().map(Trial::layers).collect(Collectors.toSet());
        assertEquals(Set.of(3, 4, 5), layers);
        assertTrue(grid.stream().allMatch(t -> t.activation() == Mlp.Act.RELU && !t.batchNorm() && t.dropout() == 0));
        assertTrue(grid.contains(new Trial(5, 40, Mlp.Act.RELU, false, 0f, 0.1f, 64, 10, 1e-3f)));
    }

    @Test
    void samplingIsSeededAndDistinct() {
        SearchSpace space = base().optActivations(Mlp.Act.RELU, Mlp.Act.ELU).optBatchNorm(false, true)
                .optDropouts(0f, 0.2f).build();
        List<Trial> a = space.sample(12, 541);
        assertEquals(a, space.sample(12, 541));
        assertNotEquals(a, space.sample(12, 542));
        assertEquals(12, new HashSet<>(a).size());
        assertTrue(space.grid().containsAll(a));
        // asking for more than there is gives the whole grid once
        List<Trial> all = base().build().sample(1000, 1);
        assertEquals(48, all.size());
        assertEquals(new HashSet<>(base().build().grid()), new HashSet<>(all));
    }

    @Test
    void impossibleSpacesFailBeforeTrainingNamingTheParameter() {
        assertMessage("layers has no values", () -> base().setLayers().build());
        assertMessage("layers must be at least 1", () -> base().setLayers(0, 3).build());
        assertMessage("units must be at least 1", () -> base().setUnits(-4).build());
        assertMessage("weight decay must be >= 0", () -> base().setWeightDecays(0f, -1e-4f).build());
        assertMessage("learningRates must be positive", () -> base().setLearningRates(0f).build());
        assertMessage("learningRates has no values", () -> base().setLearningRates().build());
        assertMessage("batchSizes must be at least 1", () -> base().setBatchSizes(0).build());
        assertMessage("epochs has no values", () -> base().setEpochs().build());
        assertMessage("dropouts must be in [0, 1)", () -> base().optDropouts(0.5f, 1f).build());
        assertMessage("activations has no values", () -> base().optActivations().build());
        assertMessage("units not given", () -> SearchSpace.builder().setLayers(3).build());
        assertMessage("layers lists 3 twice", () -> base().setLayers(3, 3).build());
    }

    @Test
    void trialIdIsCanonical() {
        Trial t = new Trial(3, 40, Mlp.Act.LEAKY_RELU, true, 0.2f, 0.01f, 16, 25, 1e-3f);
        assertEquals("layers=3 units=40 activation=leaky_relu batchNorm=true dropout=0.2 lr=0.01 batch=16 epochs=25"
                + " weightDecay=0.001", t.id());
        assertEquals(50, t.withEpochs(50).epochs());
        assertEquals("Mlp(hidden=[40, 40, 40], activation=leaky_relu, batchNorm=true, dropout=0.2, outputs=10)",
                t.mlp(10).toString());
    }

    private static void assertMessage(String part, Executable code) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, code);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
