package dlkit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import dlkit.engine.Engines;
import dlkit.eval.Evaluation;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Class labels per position (a tag per step, a class per pixel) and models of several inputs. */
class PerPositionTest {

    static NDManager manager;

    @BeforeAll
    static void start() {
        Engines.startQuietly();
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static NDArray gaussian(Shape shape, long seed) {
        Random random = new Random(seed);
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return manager.create(values, shape);
    }

    /** Steps of one value each, tagged 1 where the value is positive: features (n, 6, 1), tags (n, 6). */
    private static Fit.Builder tagger() {
        NDArray steps = gaussian(new Shape(240, 6, 1), 1);
        NDArray tags = steps.gt(0).toType(DataType.FLOAT32, false).reshape(240, 6);
        return Fit.builder().setBlock(new SequentialBlock().add(Linear.builder().setUnits(2).build()))
                .setTrainData(steps, tags).setLoss(Loss.softmaxCrossEntropyLoss()).optLearningRate(0.05f)
                .optEpochs(5).optBatchSize(32).optSeed(1).optProgress(false).optCache(false);
    }

    @Test
    void aTagPerStepTrainsWithTheLossMeanOverPositions() {
        NDArray steps = gaussian(new Shape(60, 6, 1), 9);
        NDArray tags = steps.gt(0).toType(DataType.FLOAT32, false).reshape(60, 6);
        try (Run run = tagger().addEvaluator(new Accuracy("accuracy", 2)).optValidation(steps, tags).build().run()) {
            assertTrue(run.history().value("train_accuracy", 5) > 0.95, run.history().toString());
            assertTrue(run.history().value("val_accuracy", 5) > 0.95, run.history().toString());
            // Evaluated afterwards position by position, as the validation columns are.
            Evaluation held = run.evaluate(steps, tags);
            assertEquals(run.history().value("val_accuracy", 5), held.accuracy(), 1e-6);
            assertEquals(run.history().value("val_loss", 5), held.meanLoss().getAsDouble(), 1e-5);
            assertEquals(360, held.size(), "one row per position");
        }
        NDArray scores = gaussian(new Shape(4, 6, 2), 2);
        NDArray picked = scores.get(":, :, 0").gt(0).toType(DataType.FLOAT32, false);
        float loss = PerPosition.loss(Loss.softmaxCrossEntropyLoss(), new NDList(picked), new NDList(scores)).getFloat();
        float[] s = scores.toFloatArray();
        float[] t = picked.toFloatArray();
        double sum = 0;
        for (int p = 0; p < t.length; p++) { // -log softmax of the tagged class, position by position
            double a = s[2 * p];
            double b = s[2 * p + 1];
            double chosen = t[p] == 0 ? a : b;
            sum += Math.log(Math.exp(a) + Math.exp(b)) - chosen;
        }
        assertEquals(sum / t.length, loss, 1e-5);
    }

    @Test
    void accuracyOnTheWrongAxisIsRefusedWithTheAxisToGive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tagger().addEvaluator(new Accuracy()).build().run());
        assertTrue(e.getMessage().contains("class index per position") && e.getMessage().contains("axis 2")
                && e.getMessage().contains("new Accuracy(\"accuracy\", 2)"), e.getMessage());
    }

    @Test
    void aClassPerPixelWithChannelsFirstNeedsTheLossOnAxisOne() {
        NDArray images = gaussian(new Shape(64, 1, 4, 4), 3);
        NDArray classes = images.gt(0).toType(DataType.FLOAT32, false).reshape(64, 4, 4);
        Fit.Builder segmenter = Fit.builder()
                .setBlock(new SequentialBlock().add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(2).build()))
                .setTrainData(images, classes).setLoss(Loss.softmaxCrossEntropyLoss())
                .optLearningRate(0.05f).optEpochs(5).optBatchSize(16).optSeed(1).optProgress(false).optCache(false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> segmenter.build().run());
        assertTrue(e.getMessage().contains("SoftmaxCrossEntropyLoss(\"loss\", 1f, 1, true, true)"), e.getMessage());
        try (Run run = segmenter.setLoss(new SoftmaxCrossEntropyLoss("loss", 1f, 1, true, true))
                .addEvaluator(new Accuracy("accuracy", 1)).build().run()) {
            assertTrue(run.history().value("train_accuracy", 5) > 0.95, run.history().toString());
        }
    }

    @Test
    void aDatasetOfTwoInputsReachesAModelOfTwoInputs() {
        NDArray a = gaussian(new Shape(200, 3), 4);
        NDArray b = gaussian(new Shape(200, 2), 5);
        NDArray target = a.sum(new int[] {1}).sub(b.sum(new int[] {1})).reshape(200, 1);
        ArrayDataset both = new ArrayDataset.Builder().setData(a, b).optLabels(target).setSampling(20, true).build();
        SequentialBlock twoInputs = new SequentialBlock()
                .add(in -> new NDList(NDArrays.concat(new NDList(in.get(0), in.get(1)), 1)))
                .add(Linear.builder().setUnits(1).build());
        try (Run run = Fit.builder().setBlock(twoInputs).setTrainData(both).setLoss(Loss.l2Loss()).optLearningRate(0.05f)
                .optEpochs(20).optBatchSize(20).optSeed(1).optProgress(false).optCache(false).build().run()) {
            assertTrue(run.history().value("train_loss", 20) < 0.01, run.history().toString());
        }
        SequentialBlock threeInputs = new SequentialBlock()
                .add(in -> new NDList(NDArrays.concat(new NDList(in.get(0), in.get(1), in.get(2)), 1)))
                .add(Linear.builder().setUnits(1).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fit.builder()
                .setBlock(threeInputs).setTrainData(both).setLoss(Loss.l2Loss()).optBatchSize(20).optProgress(false)
                .optCache(false).build().run());
        assertTrue(e.getMessage().contains("its 2 inputs have shapes [(20, 3), (20, 2)]"), e.getMessage());
    }
}
