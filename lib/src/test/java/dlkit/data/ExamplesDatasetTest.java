package dlkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import ai.djl.util.Progress;
import dlkit.engine.Engines;
import dlkit.eval.Regression;
import dlkit.models.Mlp;
import dlkit.train.Fit;
import dlkit.train.Run;
import org.junit.jupiter.api.Test;

/** A dataset of one's own (DJL's RandomAccessDataset) trains, and evaluates with the same calls. */
class ExamplesDatasetTest {

    /** x in [-1, 1), target x squared: a student's own dataset class. */
    static final class Squares extends RandomAccessDataset {
        private final int size;
        private final boolean twoInputs;

        Squares(int size, boolean twoInputs) {
            super(new ArrayDataset.Builder().setSampling(16, false));
            this.size = size;
            this.twoInputs = twoInputs;
        }

        @Override
        public Record get(NDManager m, long i) {
            float v = (i % size) * 2f / size - 1f;
            NDList data = new NDList(m.create(new float[] {v}));
            if (twoInputs) {
                data.add(m.create(new float[] {-v}));
            }
            return new Record(data, new NDList(m.create(new float[] {v * v})));
        }

        @Override
        protected long availableSize() {
            return size;
        }

        @Override
        public void prepare(Progress progress) {}
    }

    @Test
    void aDatasetOfOnesOwnIsReadIntoArraysInItsOrder() {
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            Examples e = Examples.fromDataset(new Squares(8, false), m);
            assertEquals(new Shape(8, 1), e.features().getShape());
            assertEquals(new Shape(8, 1), e.labels().getShape());
            assertArrayEquals(new float[] {-1f, -0.75f, -0.5f, -0.25f, 0f, 0.25f, 0.5f, 0.75f}, e.features().toFloatArray());
            assertArrayEquals(new float[] {1f, 0.5625f, 0.25f, 0.0625f, 0f, 0.0625f, 0.25f, 0.5625f}, e.labels().toFloatArray());
            assertTrue(e.identity().startsWith("dataset " + Squares.class.getName() + " (8 examples) sha256:"), e.identity());
            assertEquals(e.identity(), Examples.fromDataset(new Squares(8, false), m).identity(), "same values, same identity");
            assertNotEquals(e.identity(), Examples.fromDataset(new Squares(10, false), m).identity());

            // DJL's ArrayDataset: class indices of shape () per example stack to [N]
            ArrayDataset classes = new ArrayDataset.Builder().setData(m.arange(12f).reshape(6, 2))
                    .optLabels(m.create(new float[] {0, 1, 0, 1, 0, 1})).setSampling(2, false).build();
            Examples c = Examples.fromDataset(classes, m);
            assertEquals(new Shape(6, 2), c.features().getShape());
            assertEquals(new Shape(6), c.labels().getShape());
        }
    }

    @Test
    void recordsTwoArraysCannotHoldAreNamed() {
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            var e = assertThrows(IllegalArgumentException.class, () -> Examples.fromDataset(new Squares(8, true), m));
            assertTrue(e.getMessage().contains("example 0 of the dataset Squares has 2 data and 1 label arrays"), e.getMessage());
            var empty = assertThrows(IllegalArgumentException.class, () -> Examples.fromDataset(new Squares(0, false), m));
            assertTrue(empty.getMessage().contains("has no examples"), empty.getMessage());
        }
    }

    @Test
    void aModelTrainedOnADatasetIsEvaluatedOnItWithTheSameNumbersAsOnItsArrays() {
        Engines.startQuietly();
        Squares squares = new Squares(64, false);
        try (NDManager m = NDManager.newBaseManager();
                Run run = Fit.builder().setBlock(Mlp.builder().setHidden(16).setOutputs(1).build()).setTrainData(squares)
                        .setLoss(Loss.l2Loss()).optEpochs(3).optLearningRate(0.05f).optCache(false).build().run()) {
            Examples arrays = Examples.fromDataset(squares, m);
            Regression fromDataset = run.evaluateRegression(squares);
            Regression fromArrays = run.evaluateRegression(arrays.features(), arrays.labels());
            assertEquals(fromArrays.mse(), fromDataset.mse(), 0);
            assertEquals(fromArrays.r2(), run.evaluateRegression(arrays).r2(), 0);
            assertTrue(fromDataset.mse() > 0);
        }
    }

    @Test
    void aClassifierTrainedOnADatasetIsEvaluatedOnIt() {
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            var x = m.randomNormal(new Shape(200, 4));
            var y = x.get(":, 0").gt(0).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            ArrayDataset data = new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(32, false).build();
            try (Run run = Fit.builder().setBlock(Mlp.builder().setHidden(8).setOutputs(2).build()).setTrainData(data)
                    .setLoss(Loss.softmaxCrossEntropyLoss()).addEvaluator(new Accuracy()).optEpochs(5)
                    .optLearningRate(0.01f).optCache(false).build().run()) {
                assertEquals(run.evaluate(x, y).accuracy(), run.evaluate(data).accuracy(), 0);
                assertEquals(200, run.evaluate(data).size());
            }
        }
    }
}
