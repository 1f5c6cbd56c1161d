package dlkit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import dlkit.engine.Engines;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A notebook kernel trains on a thread of its own, where PyTorch's grad mode starts switched on. */
class OptimizerThreadTest {

    @TempDir Path runs;

    @Test
    void everyOptimizerTrainsTheSameOnAFreshThread() throws InterruptedException {
        Engines.startQuietly();
        for (Optim optim : List.of(Optim.nesterov(), Optim.adagrad(), Optim.rmsprop().optMomentum(0.5f).optCentered(true),
                Optim.adamw().optWeightDecay(0.01f))) {
            List<Double> here = losses(optim);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicReference<List<Double>> there = new AtomicReference<>();
            Thread thread = new Thread(() -> {
                try {
                    there.set(losses(optim));
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            thread.start();
            thread.join();
            assertNull(failure.get(), optim + " failed on a new thread: " + failure.get());
            // Grad mode on in the fresh thread must not change a single step of training.
            assertEquals(here, there.get(), optim + ": per-batch losses on a fresh thread differ from the main thread's");
            assertTrue(here.get(here.size() - 1) < here.get(0), optim + " must lower the loss: " + here);
        }
    }

    private List<Double> losses(Optim optim) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] data = Synthetic.blobs(m, 120, 1);
            try (Run run = Fit.builder().setBlock(Synthetic.mlp()).setTrainData(data[0], data[1])
                    .setLoss(Loss.softmaxCrossEntropyLoss()).optOptimizer(optim).optLearningRate(0.01f)
                    .optEpochs(2).optBatchSize(30).optProgress(false).optCache(false).build().run()) {
                return run.history().batches().doubleColumn("loss").asList();
            }
        }
    }
}
