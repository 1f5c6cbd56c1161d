package dlkit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import dlkit.engine.Engines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Fine-tuning: layers trained in one run, kept under a new head in another, never lost silently. */
class PretrainedTest {

    static NDManager manager;
    static NDArray x;
    static NDArray y;

    @BeforeAll
    static void data() {
        Engines.startQuietly();
        manager = NDManager.newBaseManager();
        NDArray[] train = Synthetic.blobs(manager, 300, 1);
        x = train[0];
        y = train[1];
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static Fit.Builder fit(Block block) {
        return Fit.builder().setBlock(block).setTrainData(x, y).setLoss(Loss.softmaxCrossEntropyLoss())
                .addEvaluator(new Accuracy()).optLearningRate(0.05f).optEpochs(5).optBatchSize(32).optSeed(3)
                .optProgress(false).optCache(false);
    }

    private static SequentialBlock features() {
        return new SequentialBlock().add(Linear.builder().setUnits(16).build()).add(Activation::relu);
    }

    private static float[] firstWeight(Block block) {
        return block.getParameters().get(0).getValue().getArray().toFloatArray();
    }

    @Test
    void trainedLayersUnderANewHeadAreKeptWhenSaidAndRefusedOtherwise() {
        SequentialBlock features = features();
        SequentialBlock base = new SequentialBlock().add(features).add(Linear.builder().setUnits(3).build());
        try (Run trained = fit(base).build().run()) {
            float[] learned = firstWeight(features);

            SequentialBlock fresh = new SequentialBlock().add(features).add(Linear.builder().setUnits(3).build());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fit(fresh).build().run());
            assertTrue(e.getMessage().contains("already hold values") && e.getMessage().contains(".addPretrained(layer)")
                    && e.getMessage().contains("freezeParameters(true)"), e.getMessage());
            assertEquals(java.util.Arrays.toString(learned), java.util.Arrays.toString(firstWeight(features)),
                    "refused before anything was changed");

            features.freezeParameters(true);
            try (Run tuned = fit(fresh).addPretrained(features).build().run()) {
                assertEquals(java.util.Arrays.toString(learned), java.util.Arrays.toString(firstWeight(features)),
                        "kept and, frozen, not trained");
                assertTrue(tuned.metric("train_accuracy") > 0.8, "a new head on trained features learns the blobs");
                try (Run again = fit(fresh).addPretrained(features).build().run()) { // the cell run once more
                    assertEquals(java.util.Arrays.toString(learned), java.util.Arrays.toString(firstWeight(features)));
                }
            }
            IllegalArgumentException freed = assertThrows(IllegalArgumentException.class,
                    () -> fit(fresh).addPretrained(features).build().run());
            assertTrue(freed.getMessage().contains("values were freed"), freed.getMessage());
        }
    }

    @Test
    void aWholeModelKeptTrainsOnFromItsValues() {
        SequentialBlock model = new SequentialBlock().add(features()).add(Linear.builder().setUnits(3).build());
        try (Run first = fit(model).build().run();
                Run more = fit(model).addPretrained(model).build().run()) {
            double fresh = first.history().value("train_loss", 1);
            double continued = more.history().value("train_loss", 1);
            assertTrue(continued < fresh / 10, "epoch 1 starts from the trained values: " + continued + " against "
                    + fresh + " from scratch");
        }
    }

    @Test
    void aModelFittedAgainStartsAfreshAndWrongPartsAreNamed() {
        SequentialBlock model = new SequentialBlock().add(features()).add(Linear.builder().setUnits(3).build());
        try (Run first = fit(model).build().run();
                Run second = fit(model).build().run()) {
            assertEquals(first.metric("train_loss"), second.metric("train_loss"), 1e-6,
                    "the same model fitted again starts from the same seed");
        }
        Block outside = Linear.builder().setUnits(3).build();
        IllegalArgumentException notInside = assertThrows(IllegalArgumentException.class,
                () -> fit(model).addPretrained(outside).build().run());
        assertTrue(notInside.getMessage().contains("not in the model"), notInside.getMessage());

        SequentialBlock untrained = features();
        SequentialBlock withUntrained = new SequentialBlock().add(untrained).add(Linear.builder().setUnits(3).build());
        IllegalArgumentException noValues = assertThrows(IllegalArgumentException.class,
                () -> fit(withUntrained).addPretrained(untrained).build().run());
        assertTrue(noValues.getMessage().contains("without values"), noValues.getMessage());
        assertFalse(noValues.getMessage().contains("\n\tat "));
    }
}
