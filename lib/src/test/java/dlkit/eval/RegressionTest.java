package dlkit.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.L1Loss;
import ai.djl.training.loss.L2Loss;
import ai.djl.training.loss.Loss;
import dlkit.engine.Engines;
import dlkit.train.Fit;
import dlkit.train.Run;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Prediction and regression: batched outputs, MSE/MAE/RMSE/R², R² in a fit's history. */
class RegressionTest {

    @Test
    void metricsMatchTheirDefinitions() {
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            Regression r = Regression.of(m.create(new float[] {1, 2, 3, 5}), m.create(new float[] {1, 2, 3, 4}), null);
            assertEquals(0.25, r.mse(), 1e-12);
            assertEquals(0.25, r.mae(), 1e-12);
            assertEquals(0.5, r.rmse(), 1e-12);
            assertEquals(1 - 1.0 / 5.0, r.r2(), 1e-12); // SS_res 1, SS_tot 5 around the mean 2.5
            // Two outputs: the second perfect, the first with the error above.
            NDArray p = m.create(new float[] {1, 10, 2, 20, 3, 30, 5, 40}, new Shape(4, 2));
            NDArray t = m.create(new float[] {1, 10, 2, 20, 3, 30, 4, 40}, new Shape(4, 2));
            Regression two = Regression.of(p, t, List.of("a", "b"));
            assertEquals(0.8, two.perOutput().doubleColumn("r2").get(0), 1e-12);
            assertEquals(1.0, two.perOutput().doubleColumn("r2").get(1), 1e-12);
            assertEquals(1 - 1.0 / (5 + 500), two.r2(), 1e-12, "pooled over outputs, each around its own mean");
            assertEquals(0.125, two.mse(), 1e-12);
            assertTrue(two.scatter().image(1).getWidth() > 0 && two.residuals().image(1).getHeight() > 0);
            assertTrue(two.toString().contains("R² 0.998"), two.toString());
            assertThrows(IllegalArgumentException.class, () -> Regression.of(p, t.get("0:3"), null));
        }
    }

    @Test
    void rSquaredAccumulatedOverBatchesEqualsTheWhole() {
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            Random random = new Random(4);
            float[] y = new float[60];
            float[] p = new float[60];
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) random.nextGaussian();
                p[i] = y[i] + (float) (0.3 * random.nextGaussian());
            }
            NDArray targets = m.create(y, new Shape(30, 2));
            NDArray predictions = m.create(p, new Shape(30, 2));
            RSquared r2 = new RSquared();
            r2.addAccumulator("val");
            for (int start = 0; start < 30; start += 7) {
                String rows = start + ":" + Math.min(30, start + 7);
                r2.updateAccumulator("val", new NDList(targets.get(rows)), new NDList(predictions.get(rows)));
            }
            assertEquals(Regression.of(predictions, targets, null).r2(), r2.getAccumulator("val"), 1e-5);
        }
    }

    @Test
    void batchedPredictionsEqualOneForwardAndWrongShapesAreNamed() {
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock block = new SequentialBlock().add(Linear.builder().setUnits(3).build());
            block.initialize(m, DataType.FLOAT32, new Shape(4, 8));
            NDArray x = m.randomNormal(new Shape(10, 8));
            NDArray whole = block.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            NDArray batched = BatchPredictor.of(block).withBatchSize(3).predict(x);
            assertArrayEquals(whole.toFloatArray(), batched.toFloatArray(), 1e-6f);
            assertArrayEquals(whole.argMax(1).toType(DataType.INT32, false).toIntArray(),
                    BatchPredictor.of(block).predictClasses(x));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BatchPredictor.of(block).predict(m.zeros(new Shape(5, 7))));
            assertTrue(e.getMessage().contains("the data has shape (7) per example, but the model was built for (8)"),
                    e.getMessage());
            IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
                    () -> BatchPredictor.of(block).predict(m.zeros(new Shape(5, 2, 4))));
            assertTrue(flat.getMessage().contains("data.reshape((5, 8))"), flat.getMessage());
        }
    }

    @Test
    void aRegressionFitHasR2InItsHistoryAndEvaluates() {
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            Random random = new Random(9);
            int n = 400;
            float[] x = new float[n * 3];
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < 3; j++) {
                    x[i * 3 + j] = (float) random.nextGaussian();
                }
                y[i] = 2 * x[i * 3] - x[i * 3 + 1] + 0.5f + (float) (0.1 * random.nextGaussian());
            }
            NDArray features = m.create(x, new Shape(n, 3));
            NDArray targets = m.create(y);
            try (Run run = Fit.builder().setBlock(Linear.builder().setUnits(1).build())
                    .setTrainData(features.get("0:300"), targets.get("0:300"))
                    .optValidation(features.get("300:"), targets.get("300:"))
                    .setLoss(Loss.l2Loss()).addEvaluator(new L2Loss("mse", 1f)).addEvaluator(new L1Loss("mae"))
                    .addEvaluator(new RSquared()).optLearningRate(0.05f).optEpochs(20).optBatchSize(32)
                    .optProgress(false).optCache(false).build().run()) {
                assertTrue(run.history().columns().containsAll(List.of("val_mse", "val_mae", "val_r2")));
                Regression held = run.evaluateRegression(features.get("300:"), targets.get("300:"));
                assertTrue(held.r2() > 0.99, held.toString());
                assertEquals(held.r2(), run.metric("val_r2"), 1e-4, "the history's R² is the evaluation's");
                assertEquals(held.mse(), run.metric("val_mse"), 1e-4);
                assertEquals(2 * run.metric("val_loss"), run.metric("val_mse"), 1e-5, "DJL's l2Loss is half the MSE");
                assertEquals(100, run.predict(features.get("300:")).getShape().get(0));
            }
        }
    }

    /**
     * A sequence model predicts with the kernel it trained with: with recording off, PyTorch's oneDNN
     * LSTM inference kernel gave this network R² 0.84 on its own training data (0.998 in training).
     */
    @Test
    void anLstmPredictsAsItTrained() {
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            Random random = new Random(7);
            int n = 600, steps = 20;
            float[] x = new float[n * steps];
            float[] y = new float[n];
            for (int i = 0; i < n; i++) { // the next value of a noisy sine wave
                double phase = random.nextDouble() * 2 * Math.PI;
                for (int t = 0; t < steps; t++) {
                    x[i * steps + t] = (float) (Math.sin(phase + 0.3 * t) + 0.05 * random.nextGaussian());
                }
                y[i] = (float) Math.sin(phase + 0.3 * steps);
            }
            NDArray features = m.create(x, new Shape(n, steps, 1));
            NDArray targets = m.create(y, new Shape(n, 1));
            SequentialBlock net = new SequentialBlock()
                    .add(LSTM.builder().setStateSize(16).setNumLayers(1).optReturnState(false).optBatchFirst(true).build())
                    .add(out -> new NDList(out.singletonOrThrow().get(":, -1, :")))
                    .add(Linear.builder().setUnits(1).build());
            try (Run run = Fit.builder().setBlock(net).setTrainData(features, targets).setLoss(Loss.l2Loss())
                    .addEvaluator(new RSquared()).optLearningRate(0.01f).optEpochs(6).optBatchSize(32)
                    .optProgress(false).optCache(false).build().run()) {
                NDArray predicted = run.predict(features);
                boolean before = JniUtils.isGradMode();
                JniUtils.setGradMode(true); // the training kernel
                NDArray trained;
                try {
                    trained = net.forward(new ParameterStore(m, false), new NDList(features), false)
                            .singletonOrThrow().stopGradient();
                } finally {
                    JniUtils.setGradMode(before);
                }
                float worst = predicted.sub(trained).abs().max().getFloat();
                assertTrue(worst < 1e-5f, "predictions differ from the trained network's outputs by " + worst);
                Regression r = run.evaluateRegression(features, targets);
                assertEquals(run.metric("train_r2"), r.r2(), 0.02, "evaluated as it trained: " + r);
            }
        }
    }
}
