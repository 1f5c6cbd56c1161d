package dlkit.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import dlkit.engine.Engines;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class ModelSummaryTest {

    @Test
    void countsTheClassicMlp() {
        Engines.startQuietly();
        SequentialBlock mlp = new SequentialBlock()
                .add(Blocks.batchFlattenBlock(784))
                .add(Linear.builder().setUnits(128).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(10).build());
        try (Model model = Model.newInstance("mlp")) {
            model.setBlock(mlp);
            ModelSummary summary = ModelSummary.of(model, new Shape(32, 1, 28, 28));
            // 784*128 + 128 = 100,480 and 128*10 + 10 = 1,290.
            assertEquals(101_770, summary.totalParameters());
            assertEquals(101_770, summary.trainableParameters());
            Table layers = summary.layers();
            assertEquals(List.of("layer", "type", "output shape", "parameters"), layers.columnNames());
            assertEquals(List.of("Linear", "Linear"), layers.where(layers.longColumn("parameters").isGreaterThan(0))
                    .stringColumn("type").asList());
            assertEquals(List.of(0L, 100_480L, 0L, 1_290L), layers.longColumn("parameters").asList());
            assertEquals(List.of("(32, 784)", "(32, 128)", "(32, 128)", "(32, 10)"),
                    layers.stringColumn("output shape").asList());
            assertTrue(summary.toString().contains("total 101,770 parameters (101,770 trainable)"), summary::toString);
            assertTrue(summary.toMimeBundle().get("text/html").contains("<td style=\"text-align:right\">100480</td>"));
        }
    }

    @Test
    void nestedBlocksGetPathsAndFrozenParametersAreNotTrainable() {
        Engines.startQuietly();
        SequentialBlock features = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(4).build())
                .add(Activation::relu);
        SequentialBlock net = new SequentialBlock()
                .add(features)
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(2).build());
        try (Model model = Model.newInstance("cnn")) {
            model.setBlock(net);
            ModelSummary.of(model, new Shape(1, 1, 6, 6));
            features.freezeParameters(true);
            ModelSummary summary = ModelSummary.of(net, new Shape(1, 1, 6, 6));
            // conv: 4 filters x 1 channel x 3x3 + 4 biases = 40; linear: 4*4*4 = 64 inputs -> 2 units = 130.
            assertEquals(170, summary.totalParameters());
            assertEquals(130, summary.trainableParameters());
            Table layers = summary.layers();
            assertTrue(layers.stringColumn("layer").asList().contains("01SequentialBlock/01Conv2d"),
                    () -> layers.printAll());
            assertTrue(layers.stringColumn("output shape").asList().contains("(1, 4, 4, 4)"), () -> layers.printAll());
        }
    }

    @Test
    void initialisesABlockSummarisedBeforeTraining() {
        SequentialBlock block = new SequentialBlock().add(Linear.builder().setUnits(3).build());
        ModelSummary summary = ModelSummary.of(block, new Shape(1, 4));
        assertTrue(block.isInitialized());
        assertEquals(4 * 3 + 3, summary.totalParameters(), summary::toString);
    }

    /** A block trained in batches of 16 (or on other images) is summarised for the shape asked for. */
    @Test
    void shapesFollowTheAskedInputNotTheOneTheBlockWasInitialisedWith() {
        Engines.startQuietly();
        SequentialBlock net = new SequentialBlock()
                .add(new SequentialBlock().add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(4).build()))
                .add(Activation::relu)
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(2).build());
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            net.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(16, 1, 6, 6));
            Table layers = ModelSummary.of(net, new Shape(1, 1, 6, 6)).layers();
            assertEquals(List.of("(1, 4, 4, 4)", "(1, 4, 4, 4)", "(1, 4, 4, 4)", "(1, 64)", "(1, 2)"),
                    layers.stringColumn("output shape").asList(), () -> layers.printAll());
        }
    }

    @Test
    void explainsMissingInput() {
        SequentialBlock block = new SequentialBlock().add(Linear.builder().setUnits(1).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSummary.of(block));
        assertTrue(e.getMessage().contains("new Shape(1, 784)"), e.getMessage());
    }
}
