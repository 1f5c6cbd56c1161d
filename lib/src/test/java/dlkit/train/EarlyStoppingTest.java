package dlkit.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dlkit.engine.Engines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EarlyStoppingTest {

    static NDManager manager;
    static NDArray[] train;
    static NDArray[] val;

    @TempDir Path runs;

    @BeforeAll
    static void data() {
        Engines.startQuietly();
        manager = NDManager.newBaseManager();
        train = Synthetic.blobs(manager, 300, 1);
        val = Synthetic.blobs(manager, 90, 2);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static Fit.Builder base() {
        return Fit.builder().setBlock(Synthetic.mlp()).setTrainData(train[0], train[1]).optValidation(val[0], val[1])
                .setLoss(Loss.softmaxCrossEntropyLoss()).addEvaluator(new Accuracy()).optLearningRate(0.01f)
                .optEpochs(10).optBatchSize(32).optSeed(3).optProgress(false).optCache(false);
    }

    private static List<float[]> parameters(Run run) {
        List<float[]> values = new ArrayList<>();
        for (Pair<String, Parameter> p : run.block().getParameters()) {
            values.add(p.getValue().getArray().toFloatArray());
        }
        return values;
    }

    @Test
    void lowerIsBetterForLossesAndErrorsByTheWordsOfTheName() {
        for (String lower : List.of("val_loss", "train_l2loss", "val_error_rate", "test_mse", "top_5_error", "val_mae",
                "final_val_loss", "val_errorrate", "rmse")) {
            assertTrue(History.lowerIsBetter(lower), lower);
        }
        for (String higher : List.of("val_accuracy", "val_r2", "val_binaryaccuracy", "val_top_2_accuracy", "f1")) {
            assertTrue(!History.lowerIsBetter(higher), higher);
        }
    }

    /** A custom metric named error_rate falls while training goes well: no early stop. */
    @Test
    void aCustomErrorColumnImprovesDownwards() {
        ai.djl.training.loss.SoftmaxCrossEntropyLoss falling = new ai.djl.training.loss.SoftmaxCrossEntropyLoss("error_rate");
        EarlyStopping rule = EarlyStopping.on("val_error_rate").optPatience(2);
        try (Run run = base().addEvaluator(falling).optEarlyStopping(rule).build().run()) {
            for (int e = 2; e <= 10; e++) {
                assertTrue(run.history().value("val_error_rate", e) < run.history().value("val_error_rate", e - 1));
            }
            assertEquals(java.util.Optional.empty(), run.stoppedEarly(), "a falling error is an improvement");
        }
        try (Run run = base().addEvaluator(falling).optEarlyStopping(rule.optLowerIsBetter(false)).build().run()) {
            assertEquals(3, run.history().epochs(), "told higher is better, a falling column stops it");
            assertTrue(run.stoppedEarly().orElseThrow().contains("higher is better"), run.stoppedEarly()::get);
        }
    }

    @Test
    void stopsAfterPatienceEpochsWithoutImprovementAndRestoresTheBest() {
        // A minimum change no epoch can reach: epoch 1 is the best, epochs 2 and 3 exhaust the patience.
        EarlyStopping rule = EarlyStopping.on("val_loss").optPatience(2).optMinDelta(100).optRestoreBest(true);
        try (Run stopped = base().optEarlyStopping(rule).build().run();
                Run oneEpoch = base().optEpochs(1).build().run()) {
            assertEquals(3, stopped.history().epochs());
            String why = stopped.stoppedEarly().orElseThrow();
            assertTrue(why.contains("after epoch 3") && why.contains("best") && why.contains("epoch 1"), why);
            List<float[]> best = parameters(stopped);
            List<float[]> first = parameters(oneEpoch);
            for (int i = 0; i < best.size(); i++) {
                assertArrayEquals(first.get(i), best.get(i), "the model holds epoch 1's parameters");
            }
        }
        try (Run improving = base().optEarlyStopping(EarlyStopping.on("val_accuracy").optPatience(50)).build().run()) {
            assertEquals(10, improving.history().epochs(), "patience longer than the run: all epochs");
            assertTrue(improving.stoppedEarly().isEmpty());
        }
    }

    @Test
    void resumesWithTheSameStateAndRejectsUnknownColumns() {
        EarlyStopping rule = EarlyStopping.on("val_loss").optPatience(3).optMinDelta(0.05).optRestoreBest(true);
        try (Run whole = base().optEarlyStopping(rule).build().run()) {
            FitListener crash = new FitListener() {
                @Override
                public void onBatch(int epoch, int batch, int step, float loss) {
                    if (epoch == 4 && batch == 2) {
                        throw new IllegalStateException("simulated crash");
                    }
                }
            };
            assertThrows(IllegalStateException.class, () -> base().optEarlyStopping(rule).optCache(true).optRunsDir(runs)
                    .addListener(crash).build().run());
            try (Run resumed = base().optEarlyStopping(rule).optCache(true).optRunsDir(runs).build().run()) {
                assertTrue(whole.history().sameResults(resumed.history()));
                assertEquals(whole.stoppedEarly(), resumed.stoppedEarly());
                List<float[]> a = parameters(whole);
                List<float[]> b = parameters(resumed);
                for (int i = 0; i < a.size(); i++) {
                    assertArrayEquals(a.get(i), b.get(i));
                }
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> base().optEarlyStopping(EarlyStopping.on("val_f1")).build().run());
        assertTrue(e.getMessage().contains("Early stopping watches 'val_f1'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EarlyStopping.on("val_loss").optPatience(0));
    }
}
