package dlkit.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.evaluator.BinaryAccuracy;
import ai.djl.training.evaluator.TopKAccuracy;
import ai.djl.training.loss.L1Loss;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SigmoidBinaryCrossEntropyLoss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import dlkit.engine.Engines;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Labels and shapes are checked before any work, with messages that say what to do. */
class PreflightTest {

    static NDManager manager;
    static NDArray x;
    static NDArray y;
    static NDArray oneHot;

    @BeforeAll
    static void data() {
        Engines.startQuietly();
        manager = NDManager.newBaseManager();
        NDArray[] train = Synthetic.blobs(manager, 300, 1);
        x = train[0];
        y = train[1];
        oneHot = y.toType(DataType.INT32, false).oneHot(Synthetic.CLASSES).toType(DataType.FLOAT32, false);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** A classifier with accuracy. */
    private static Fit.Builder base() {
        return plain().addEvaluator(new Accuracy());
    }

    /** A fit without evaluators. */
    private static Fit.Builder plain() {
        return Fit.builder().setBlock(Synthetic.mlp()).setTrainData(x, y).setLoss(Loss.softmaxCrossEntropyLoss())
                .optLearningRate(0.01f).optEpochs(3).optBatchSize(32).optSeed(3)
                .optProgress(false).optCache(false);
    }

    @Test
    void oneHotLabelsWithSparseCrossEntropyAreRejectedWithWhatToPass() {
        assertRejectedBeforeTraining(base().setTrainData(x, oneHot),
                "training labels have shape (300, 3)", "Pass labels.argMax(1)", "SoftmaxCrossEntropyLoss(\"loss\", 1f, -1, false, true)");
    }

    @Test
    void oneHotLabelsTrainExactlyLikeClassIndices() {
        SoftmaxCrossEntropyLoss probabilities = new SoftmaxCrossEntropyLoss("loss", 1f, -1, false, true);
        try (Run indices = base().addEvaluator(new TopKAccuracy(2)).optValidation(x, y).build().run();
                Run rows = base().setTrainData(x, oneHot).setLoss(probabilities).addEvaluator(new TopKAccuracy(2))
                        .optValidation(x, oneHot).build().run()) {
            for (String column : new String[] {"train_loss", "train_accuracy", "val_accuracy", "train_top_2_accuracy",
                    "val_top_2_accuracy"}) {
                for (int e = 1; e <= 3; e++) {
                    assertEquals(indices.history().value(column, e), rows.history().value(column, e), 1e-5, column);
                }
            }
        }
    }

    @Test
    void oneHotLabelsWithMseMeasureTheAccuracyOfTheTrainedModel() {
        try (Run run = base().setTrainData(x, oneHot).setLoss(Loss.l2Loss()).optValidation(x, oneHot).build().run();
                NDManager m = NDManager.newBaseManager()) {
            NDArray scores = run.block().forward(new ai.djl.training.ParameterStore(m, false), new ai.djl.ndarray.NDList(x),
                    false).singletonOrThrow();
            float measured = scores.argMax(1).toType(DataType.FLOAT32, false).eq(y).sum().getLong() / 300f;
            assertEquals(measured, run.metric("val_accuracy"), 1e-6, "Fit's accuracy with one-hot labels");
            assertTrue(measured > 0.7, "MSE on one-hot targets learns the blobs: " + measured);
        }
    }

    @Test
    void validationDataOfAnotherShapeIsReportedBeforeTraining() {
        NDArray narrow = x.get(":, 0:7");
        assertRejectedBeforeTraining(base().optValidation(narrow, y),
                "validation features have shape (7) per example, but the training features (and so the model) have (8)");
        assertRejectedBeforeTraining(base().optValidation(x, oneHot),
                "validation labels have shape (3) per example, but the training labels (and so the model) have ()");
    }

    @Test
    void aMissingFlattenIsNamed() {
        NDArray images = x.reshape(300, 2, 2, 2);
        SequentialBlock mlp = new SequentialBlock().add(Linear.builder().setUnits(16).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(3).build());
        assertRejectedBeforeTraining(base().setBlock(mlp).setTrainData(images, y),
                "The model outputs (8, 2, 2, 3) for a batch of 8 training examples", "Blocks.batchFlattenBlock()");
        SequentialBlock regression = new SequentialBlock().add(Linear.builder().setUnits(1).build());
        assertRejectedBeforeTraining(plain().setBlock(regression).setTrainData(images, y).setLoss(Loss.l2Loss()), "Shape mismatch between model output (8, 2, 2, 1) and labels (8)", "flatten them first");
    }

    @Test
    void aModelTiedToOneBatchSizeIsNamedWithTheReshapeToMake() {
        SequentialBlock fixed = new SequentialBlock()
                .add(new ai.djl.nn.LambdaBlock(in -> new ai.djl.ndarray.NDList(in.head().reshape(32, 8))))
                .add(Linear.builder().setUnits(3).build());
        assertRejectedBeforeTraining(base().setBlock(fixed), "training features of shape (8, 8)",
                "a batch of 8 examples", "x.reshape(-1, ...)");
    }

    @Test
    void aColumnOfClassIndicesIsNamedWithTheReshape() {
        assertRejectedBeforeTraining(base().setTrainData(x, y.reshape(300, 1)),
                "training labels have shape (300, 1): a column of class indices", "shape (300): labels.reshape(-1)");
    }

    @Test
    void imagesWithoutAChannelAxisAreNamedWithTheAxisToAdd() {
        assertRejectedBeforeTraining(base().setBlock(dlkit.models.MnistCnn.builder().build())
                        .setTrainData(manager.zeros(new ai.djl.ndarray.types.Shape(16, 28, 28)), manager.zeros(new ai.djl.ndarray.types.Shape(16))),
                "features have shape (16, 28, 28)", "features.expandDims(1), shape (16, 1, 28, 28)");
    }

    @Test
    void regressionTargetsAreNotTakenForClasses() {
        NDArray targets = y.mul(0.37f);
        assertRejectedBeforeTraining(base().setTrainData(x, targets),
                "softmax cross-entropy needs whole class indices 0..2", "include 0.37", "Loss.l2Loss()");
        SequentialBlock regression = new SequentialBlock().add(Linear.builder().setUnits(1).build());
        assertRejectedBeforeTraining(base().setBlock(regression).setTrainData(x, targets).setLoss(Loss.l2Loss()),
                "Accuracy needs whole class indices", "leave Accuracy out");
        assertRejectedBeforeTraining(base().setTrainData(x, y.sub(1)), "class indices from 0", "include -1");
        assertRejectedBeforeTraining(base().setTrainData(x, y.add(1)), "Wrong class count: labels go up to 3");
    }

    /** One logit per example, 0/1 labels: class 0 of the blobs against the rest. */
    @Test
    void binaryClassificationMeasuresTheThresholdedOutput() {
        NDArray isFirst = y.eq(0).toType(DataType.FLOAT32, false).reshape(300, 1);
        SequentialBlock logit = new SequentialBlock().add(Linear.builder().setUnits(8).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(1).build());
        try (Run run = plain().setBlock(logit).setTrainData(x, isFirst).optValidation(x, isFirst)
                .setLoss(Loss.sigmoidBinaryCrossEntropyLoss()).addEvaluator(new BinaryAccuracy()).build().run();
                NDManager m = NDManager.newBaseManager()) {
            NDArray out = run.predict(x).toType(DataType.FLOAT32, false);
            out.attach(m);
            float measured = out.gte(0).toType(DataType.FLOAT32, false).eq(isFirst).sum().getLong() / 300f;
            assertEquals(measured, run.metric("val_binaryaccuracy"), 1e-6, "the labels reach BinaryAccuracy as they are");
            assertTrue(measured > 0.8, "learns more than the majority class (2/3): " + measured);
        }
    }

    @Test
    void binaryAccuracyMistakesAreNamed() {
        NDArray isFirst = y.eq(0).toType(DataType.FLOAT32, false);
        SequentialBlock logit = new SequentialBlock().add(Linear.builder().setUnits(1).build());
        Fit.Builder binary = plain().setBlock(logit).setLoss(Loss.sigmoidBinaryCrossEntropyLoss())
                .addEvaluator(new BinaryAccuracy());
        assertRejectedBeforeTraining(binary.setTrainData(x, isFirst), "BinaryAccuracy compares each output with a 0/1"
                + " label", "the model outputs (8, 1) for a batch, the training labels are (8)", "labels.reshape(-1, 1)");
        assertRejectedBeforeTraining(binary.setTrainData(x, y.reshape(300, 1)), "BinaryAccuracy needs labels 0 or 1",
                "go from 0 to 2");
        assertRejectedBeforeTraining(binary.setTrainData(x, isFirst.reshape(300, 1))
                .setLoss(new SigmoidBinaryCrossEntropyLoss("loss", 1f, true)), "threshold 0", "new BinaryAccuracy(0.5f)");
        assertRejectedBeforeTraining(base().setBlock(logit).setTrainData(x, isFirst), "Wrong class count",
                "new BinaryAccuracy()");
    }

    @Test
    void featuresOfAnotherNumberTypeAreNamed() {
        assertRejectedBeforeTraining(base().setTrainData(x.toType(DataType.FLOAT64, false), y),
                "The training features are float64, but the model's parameters are float32",
                "x.toType(DataType.FLOAT32, false)");
        assertRejectedBeforeTraining(base().optValidation(x.toType(DataType.INT32, false), y),
                "The validation features are int32 and do not go through the model", "x.toType(DataType.FLOAT32, false)");
    }

    @Test
    void aWeightedL1LossIsRefused() {
        SequentialBlock regression = new SequentialBlock().add(Linear.builder().setUnits(1).build());
        assertRejectedBeforeTraining(plain().setBlock(regression).setLoss(new L1Loss("l1", 2f)),
                "L1Loss with a weight other than 1");
    }

    @Test
    void theChecksPassTheGoodCasesUnchanged() {
        try (Run run = base().optValidation(x, y).build().run()) {
            assertTrue(run.metric("val_accuracy") > 0.9);
        }
        SequentialBlock regression = new SequentialBlock().add(Linear.builder().setUnits(1).build());
        try (Run run = plain().setBlock(regression).setTrainData(x, y.mul(0.37f)).setLoss(Loss.l2Loss()).build().run()) {
            assertFalse(Double.isNaN(run.metric("train_loss")));
            float[] labelsAsColumn = y.reshape(300, 1).toFloatArray();
            assertArrayEquals(y.toFloatArray(), labelsAsColumn, "(n) and (n, 1) labels hold the same values");
        }
    }

    @Test
    void aModelEndingInSoftmaxIsRefusedForSoftmaxCrossEntropy() {
        ai.djl.nn.SequentialBlock softmaxed = new ai.djl.nn.SequentialBlock().add(Synthetic.mlp())
                .add(list -> new ai.djl.ndarray.NDList(list.head().softmax(1)));
        assertRejectedBeforeTraining(base().setBlock(softmaxed), "outputs are probabilities", "Remove the model's last softmax");
        try (Run logits = base().build().run()) {
            assertTrue(logits.metric("train_loss") > 0, "scores train as before");
        }
    }

    @Test
    void notANumberInTheDataIsNamedBeforeTraining() {
        NDArray holes = x.duplicate();
        holes.set(new ai.djl.ndarray.index.NDIndex("7, 2"), Float.NaN);
        holes.set(new ai.djl.ndarray.index.NDIndex("9, 0"), Float.POSITIVE_INFINITY);
        assertRejectedBeforeTraining(base().setTrainData(holes, y), "training features hold 2 NaN or infinite values",
                "the first in example 7", "standardisation of a constant column");
        NDArray badTargets = y.duplicate();
        badTargets.set(new ai.djl.ndarray.index.NDIndex("4"), Float.NaN);
        assertRejectedBeforeTraining(plain().optValidation(x, badTargets), "validation labels hold 1 NaN");
    }

    /** Mean squared error as one writes it by hand: no reshaping. */
    static final class HandMse extends ai.djl.training.loss.Loss {
        HandMse() {
            super("hand_mse");
        }

        @Override
        public NDArray evaluate(ai.djl.ndarray.NDList labels, ai.djl.ndarray.NDList predictions) {
            return predictions.head().sub(labels.head()).square().mean();
        }
    }

    @Test
    void aLossThatBroadcastsLabelsAgainstOutputsIsRefused() {
        NDArray target = x.get(":, 0").mul(2).add(1);                      // (300)
        Fit.Builder regression = Fit.builder()
                .setBlock(new ai.djl.nn.SequentialBlock().add(ai.djl.nn.core.Linear.builder().setUnits(1).build()))
                .setTrainData(x, target).setLoss(new HandMse()).optEpochs(2).optProgress(false).optCache(false);
        assertRejectedBeforeTraining(regression, "The loss hand_mse gives", "labels of shape (N)",
                "output shape (N, 1)", "labels.reshape(-1, 1)", "(N, N) table");
        try (Run column = regression.setTrainData(x, target.reshape(-1, 1)).build().run();
                Run djl = regression.setTrainData(x, target).setLoss(Loss.l2Loss()).build().run()) {
            assertTrue(column.metric("train_loss") >= 0, "labels of the output's shape train");
            assertTrue(djl.metric("train_loss") >= 0, "DJL's L2 loss reshapes the labels itself");
        }
    }

    /** A loss written by hand, as a student would subclass {@code Loss}. */
    private static Loss hand(String name, java.util.function.BiFunction<ai.djl.ndarray.NDList, ai.djl.ndarray.NDList, NDArray> evaluate) {
        return new Loss(name) {
            @Override
            public NDArray evaluate(ai.djl.ndarray.NDList labels, ai.djl.ndarray.NDList predictions) {
                return evaluate.apply(labels, predictions);
            }
        };
    }

    private static Fit.Builder regression() {
        return Fit.builder()
                .setBlock(new ai.djl.nn.SequentialBlock().add(ai.djl.nn.core.Linear.builder().setUnits(1).build()))
                .setTrainData(x, x.get(":, 0").mul(2).add(1)).optLearningRate(0.01f).optEpochs(2).optSeed(5)
                .optProgress(false).optCache(false);                      // labels (300), outputs (N, 1)
    }

    @Test
    void aHandWrittenLossMayReshapeTheOutputsAndComputeInDoublePrecision() {
        // The outputs reshaped to the labels' (N): right for these labels, not a broadcast.
        Loss flat = hand("flat_mse", (l, p) -> p.head().reshape(-1).sub(l.head()).square().mean());
        // Half the MSE, as DJL's L2 loss; in PyTorch a 0-d float32 times a Java double is a float64.
        Loss half = hand("half_mse", (l, p) -> p.head().reshape(-1).sub(l.head()).square().mean().mul(0.5));
        try (Run a = regression().setLoss(flat).build().run();
                Run b = regression().setLoss(half).addEvaluator(half).build().run();
                Run djl = regression().setLoss(Loss.l2Loss()).build().run()) {
            assertTrue(a.history().value("train_loss", 2) < a.history().value("train_loss", 1), a.history().toString());
            for (int e = 1; e <= 2; e++) {
                double expected = djl.history().value("train_loss", e);
                assertEquals(expected, b.history().value("train_loss", e), 1e-4 * expected, "epoch " + e);
                assertEquals(expected, b.history().value("train_half_mse", e), 1e-4 * expected, "epoch " + e);
            }
        }
    }

    @Test
    void aLossOfOneValuePerExampleIsRefusedWithTheMeanToTake() {
        Loss perExample = hand("per_example", (l, p) -> p.head().reshape(-1).sub(l.head()).square());
        assertRejectedBeforeTraining(regression().setLoss(perExample), "The loss per_example gives 8 values (shape (8))",
                "end its evaluate with .mean()");
        assertRejectedBeforeTraining(regression().setLoss(Loss.l2Loss()).addEvaluator(perExample),
                "The loss per_example gives 8 values");
    }

    private static void assertRejectedBeforeTraining(Fit.Builder fit, String... expected) {
        AtomicBoolean started = new AtomicBoolean();
        fit.addListener(new FitListener() {
            @Override
            public void onStart(Start start) {
                started.set(true);
            }
        });
        long t0 = System.nanoTime();
        Executable action = () -> fit.build().run();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (String part : expected) {
            assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
        }
        assertFalse(started.get(), "no training before the check");
        assertTrue(seconds < 1, "checked in " + seconds + " s");
        assertFalse(e.getMessage().contains("\n\tat "), "no stack trace in the message");
        assertEquals(-1, e.getMessage().indexOf("EngineException"), e.getMessage());
    }
}
