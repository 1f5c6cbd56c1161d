package dlkit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.loss.Loss;
import dlkit.engine.Engines;
import org.junit.jupiter.api.Test;

class AdamWTest {

    private static Run oneStep(NDArray[] data, Optim optim) {
        return Fit.builder()
                .setBlock(Linear.builder().setUnits(3).build())
                .setTrainData(data[0], data[1])
                .setLoss(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(optim)
                .optLearningRate(0.1f)
                .optEpochs(1)
                .optBatchSize(300)
                .optSeed(7)
                .optProgress(false)
                .optCache(false)
                .fit();
    }

    @Test
    void decayIsDecoupledFromTheAdamStep() {
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] data = Synthetic.blobs(m, 300, 1);
            // the initial weights Fit starts from: same seed, same input shape
            Linear initial = Linear.builder().setUnits(3).build();
            Seeds.seedEngine(7);
            initial.initialize(m, DataType.FLOAT32, new Shape(300, Synthetic.FEATURES));
            float[] w0 = initial.getParameters().get("weight").getArray().toFloatArray();
            try (Run plain = oneStep(data, Optim.adamW(0f));
                    Run decayed = oneStep(data, Optim.adamW(0.5f))) {
                float[] a = plain.block().getParameters().get("weight").getArray().toFloatArray();
                float[] b = decayed.block().getParameters().get("weight").getArray().toFloatArray();
                // one step: w1 = w0 (1 - lr decay) - adamStep, and adamStep does not see the decay
                for (int i = 0; i < w0.length; i++) {
                    assertEquals(0.1f * 0.5f * w0[i], a[i] - b[i], 1e-5f, "weight " + i);
                }
            }
        }
    }

    @Test
    void rejectsNegativeDecay() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optim.adamW(-1f));
        assertEquals("Optim: weight decay must be >= 0, got -1.0", e.getMessage());
    }
}
