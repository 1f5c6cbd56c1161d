package dlkit.scratch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.SigmoidBinaryCrossEntropyLoss;
import dlkit.engine.Engines;
import dlkit.train.Fit;
import dlkit.train.History;
import dlkit.train.Optim;
import dlkit.train.Run;
import dlkit.train.Schedule;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class ScratchNetTest {

    private static final int N = 60;
    private static final int FEATURES = 12;
    private static final int HIDDEN = 7;
    private static final int CLASSES = 4;

    @BeforeAll
    static void engine() {
        Engines.startQuietly();
    }

    /** Four noisy prototypes in 12 dimensions, inputs in [0, 1] like scaled pixels. */
    private static NDArray[] data(NDManager m, int n, long seed) {
        Random random = new Random(seed);
        float[] x = new float[n * FEATURES];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = random.nextInt(CLASSES);
            y[i] = c;
            for (int j = 0; j < FEATURES; j++) {
                x[i * FEATURES + j] = (float) Math.min(1, Math.max(0, (j % CLASSES == c ? 0.8 : 0.1)
                        + 0.2 * random.nextGaussian()));
            }
        }
        return new NDArray[] {m.create(x, new Shape(n, FEATURES)), m.create(y)};
    }

    @Test
    void backpropagationAgreesWithAutogradInFloat64() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] d = data(m, 8, 1);
            for (ScratchNet.Objective objective : ScratchNet.Objective.values()) {
                try (ScratchNet net = ScratchNet.builder().setSizes(FEATURES, HIDDEN, CLASSES).optWeightScale(0.5f)
                        .optObjective(objective).optSeed(3).build()) {
                    GradientCheck check = GradientCheck.of(net, d[0], d[1]);
                    assertTrue(check.max() <= 1e-6, objective + ": " + check);
                    assertEquals(8, check.examples());
                }
            }
        }
    }

    @Test
    void theCheckFailsWhenTheBackwardPassDifferentiatesAnotherLoss() {
        try (NDManager m = NDManager.newBaseManager();
                ScratchNet net = ScratchNet.builder().setSizes(FEATURES, HIDDEN, CLASSES).optWeightScale(0.5f)
                        .optSeed(5).build()) {
            NDArray[] d = data(m, 8, 2);
            GradientCheck wrong = GradientCheck.of(net, d[0], d[1], ScratchNet.Objective.SQUARED_ERROR);
            assertTrue(wrong.max() > 0.1, wrong.toString());
        }
    }

    @Test
    void trainsTheSameAsFitFromTheSameWeightsAndOrder() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] train = data(m, N, 7);
            NDArray[] val = data(m, 20, 8);
            Schedule schedule = Schedule.piecewise(0.5f).then(3, 0.2f);
            for (int batch : new int[] {1, 8}) {
                try (ScratchNet net = ScratchNet.builder().setSizes(FEATURES, HIDDEN, CLASSES).optWeightScale(0.1f)
                        .optSeed(11).build()) {
                    SequentialBlock block = new SequentialBlock()
                            .add(Linear.builder().setUnits(HIDDEN).optBias(false).build())
                            .add(Activation::sigmoid)
                            .add(Linear.builder().setUnits(CLASSES).optBias(false).build());
                    try (Run run = Fit.builder().setBlock(block)
                            .setTrainData(train[0], oneHot(train[1]))
                            .optValidation(val[0], oneHot(val[1]))
                            .setLoss(new SigmoidBinaryCrossEntropyLoss("loss", CLASSES, false))
                            .addEvaluator(new Accuracy())
                            .optOptimizer(Optim.sgd()).optSchedule(schedule).optEpochs(4).optBatchSize(batch)
                            .optSeed(5).optInitialParameters(net.linearWeights())
                            .optProgress(false).optCache(false).build().run()) {
                        History scratch = ScratchTrainer.builder().setNet(net).setTrainData(train[0], train[1])
                                .optValidation(val[0], val[1]).optSchedule(schedule).optEpochs(4)
                                .optBatchSize(batch).optSeed(5).build().run();
                        assertEquals(run.history().batches().rowCount(), scratch.batches().rowCount());
                        assertClose(run.history().batches(), scratch.batches(), "loss", 1e-5);
                        for (String c : new String[] {"train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr"}) {
                            assertClose(run.history().table(), scratch.table(), c, 1e-5);
                        }
                    }
                }
            }
        }
    }

    @Test
    void rawPixelsSaturateTheHiddenUnits() {
        try (NDManager m = NDManager.newBaseManager();
                ScratchNet net = ScratchNet.builder().setSizes(FEATURES, HIDDEN, CLASSES).optWeightScale(0.5f)
                        .build()) {
            NDArray[] d = data(m, N, 9);
            assertTrue(net.saturatedFraction(d[0]) < 0.2, "scaled inputs leave most units active");
            assertTrue(net.saturatedFraction(d[0].mul(255)) > 0.8, "0-255 inputs saturate the sigmoids");
        }
    }

    @Test
    void badInputIsRefusedBeforeTraining() {
        try (NDManager m = NDManager.newBaseManager();
                ScratchNet net = ScratchNet.builder().setSizes(FEATURES, HIDDEN, CLASSES).build()) {
            NDArray[] d = data(m, N, 1);
            IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                    () -> ScratchTrainer.builder().setNet(net).setTrainData(d[0].get(":, :10"), d[1]).build());
            assertTrue(size.getMessage().contains("setSizes(10, hidden, classes)"), size.getMessage());
            IllegalArgumentException labels = assertThrows(IllegalArgumentException.class,
                    () -> ScratchTrainer.builder().setNet(net).setTrainData(d[0], d[1].add(1)).build());
            assertTrue(labels.getMessage().contains("4 outputs"), labels.getMessage());
            IllegalArgumentException oneHot = assertThrows(IllegalArgumentException.class,
                    () -> ScratchTrainer.builder().setNet(net).setTrainData(d[0], oneHot(d[1])).build());
            assertTrue(oneHot.getMessage().contains("one class index per example"), oneHot.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ScratchTrainer.builder().setNet(net)
                    .setTrainData(d[0], d[1]).optSchedule(Schedule.onPlateau(0.5f, 1)).build());
            assertThrows(IllegalArgumentException.class, () -> ScratchNet.builder().build());
        }
        assertEquals("ScratchNet(12-7-4, sigmoid, no biases, cross entropy, float32)",
                ScratchNet.builder().setSizes(FEATURES, HIDDEN, CLASSES).build().toString());
    }

    private static NDArray oneHot(NDArray labels) {
        return labels.toType(DataType.INT64, true).oneHot(CLASSES).toType(DataType.FLOAT32, true);
    }

    private static void assertClose(Table a, Table b, String column, double tolerance) {
        double worst = 0;
        for (int r = 0; r < a.rowCount(); r++) {
            worst = Math.max(worst, Math.abs(((Number) a.column(column).get(r)).doubleValue()
                    - ((Number) b.column(column).get(r)).doubleValue()));
        }
        assertTrue(worst <= tolerance, column + " differs by up to " + worst);
    }
}
