package dlkit.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;

import ai.djl.training.ParameterStore;
import dlkit.engine.Engines;
import dlkit.inspect.ModelSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

class MlpTest {

    @Test
    void layersFollowTheConfiguration() {
        Mlp plain = Mlp.builder().setHidden(128, 64).setOutputs(10).build();
        // flatten, (linear, relu) x 2, linear
        assertEquals(6, plain.getChildren().size());
        Mlp full = Mlp.builder().setHiddenLayers(3, 32).setOutputs(10).optBatchNorm(true).optDropout(0.2f)
                .optActivation(Mlp.Act.PRELU).build();
        // flatten, (linear, batchnorm, prelu, dropout) x 3, linear
        assertEquals(14, full.getChildren().size());
        List<Block> children = full.getChildren().values();
        assertTrue(children.get(2) instanceof BatchNorm);
        assertTrue(children.get(3) instanceof ParametricRelu);
        assertTrue(children.get(4) instanceof UniformDropout);
        assertEquals(List.of(32, 32, 32), full.hidden());
    }

    @Test
    void toStringShowsEveryChoice() {
        Mlp mlp = Mlp.builder().setHidden(256, 128, 64).setOutputs(10).optActivation(Mlp.Act.ELU)
                .optBatchNorm(true).optDropout(0.3f).build();
        assertEquals("Mlp(hidden=[256, 128, 64], activation=elu, batchNorm=true, dropout=0.3, outputs=10)",
                mlp.toString());
        assertEquals("256-128-64", Mlp.shape(mlp.hidden()));
    }

    @Test
    void flattensImagesAndCountsParametersLikePyTorch() {
        Engines.startQuietly();
        Mlp mlp = Mlp.builder().setHidden(128).setOutputs(10).build();
        // 784*128 + 128 + 128*10 + 10, as in the getting-started notebook
        assertEquals(101_770, ModelSummary.of(mlp, new Shape(1, 1, 28, 28)).trainableParameters());
        Mlp bn = Mlp.builder().setHidden(40, 40).setOutputs(10).optBatchNorm(true).optActivation(Mlp.Act.PRELU).build();
        // linear 784*40+40, bn 2*40, prelu 1, linear 40*40+40, bn 80, prelu 1, linear 40*10+10
        long expected = 784 * 40 + 40 + 80 + 1 + 40 * 40 + 40 + 80 + 1 + 40 * 10 + 10;
        assertEquals(expected, ModelSummary.of(bn, new Shape(1, 1, 28, 28)).trainableParameters());
    }

    @Test
    void everyActivationRunsAndPreluStartsAtAQuarter() {
        Engines.startQuietly();
        for (Mlp.Act act : Mlp.Act.values()) {
            Mlp mlp = Mlp.builder().setHidden(8).setOutputs(3).optActivation(act).build();
            try (Model model = Model.newInstance("mlp")) {
                model.setBlock(mlp);
                NDManager m = model.getNDManager();
                mlp.initialize(m, DataType.FLOAT32, new Shape(2, 1, 4, 4));
                NDArray x = m.randomNormal(new Shape(2, 1, 4, 4));
                NDList out = mlp.forward(new ParameterStore(m, false), new NDList(x), false);
                assertEquals(new Shape(2, 3), out.head().getShape(), act.toString());
                if (act == Mlp.Act.PRELU) {
                    Parameter alpha = mlp.getParameters().values().stream()
                            .filter(p -> p.getName().equals("alpha")).findFirst().orElseThrow();
                    assertEquals(0.25f, alpha.getArray().getFloat(), 1e-7);
                }
            }
        }
    }

    @Test
    void parsesActivationNames() {
        assertEquals(Mlp.Act.LEAKY_RELU, Mlp.Act.parse("leaky"));
        assertEquals(Mlp.Act.LEAKY_RELU, Mlp.Act.parse("Leaky-ReLU"));
        assertEquals(Mlp.Act.PRELU, Mlp.Act.parse("prelu"));
        assertEquals(Mlp.Act.TANH, Mlp.Act.parse("Tanh"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mlp.Act.parse("gelu"));
        assertTrue(e.getMessage().contains("relu, leaky_relu, elu, prelu, tanh, sigmoid"), e.getMessage());
    }

    @Test
    void oneOutputForARegression() {
        Engines.startQuietly();
        Mlp mlp = Mlp.builder().setHidden(4).setOutputs(1).optActivation(Mlp.Act.TANH).build();
        assertEquals(1, mlp.outputs());
        assertEquals(new Shape(5, 1), mlp.getOutputShapes(new Shape[] {new Shape(5, 3)})[0]);
    }

    @Test
    void badConfigurationsNameTheProblem() {
        assertMessage("hidden layers must be at least 1", () -> Mlp.builder().setHidden().setOutputs(10).build());
        assertMessage("hidden layers must be at least 1", () -> Mlp.builder().setHiddenLayers(0, 10));
        assertMessage("hidden layer 2 needs a positive number of units",
                () -> Mlp.builder().setHidden(10, 0).setOutputs(10).build());
        assertMessage("outputs must be at least 1", () -> Mlp.builder().setHidden(10).build());
        assertMessage("dropout must be in [0, 1)", () -> Mlp.builder().setHidden(10).setOutputs(10).optDropout(1f).build());
        assertMessage("no hidden layers", () -> Mlp.builder().setOutputs(10).build());
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable code) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, code);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
