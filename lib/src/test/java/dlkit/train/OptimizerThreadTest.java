package dlkit.train;

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
    void everyOptimizerTrainsOnAFreshThread() throws InterruptedException {
        Engines.startQuietly();
        for (Optim optim : List.of(Optim.nesterov().optMomentum(0.9f), Optim.adagrad(), Optim.rmsprop(), Optim.adamw().optWeightDecay(0.01f))) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicReference<Double> loss = new AtomicReference<>();
            Thread thread = new Thread(() -> {
                try (NDManager m = NDManager.newBaseManager()) {
                    NDArray[] data = Synthetic.blobs(m, 120, 1);
                    try (Run run = Fit.builder().setBlock(Synthetic.mlp()).setTrainData(data[0], data[1])
                            .setLoss(Loss.softmaxCrossEntropyLoss()).optOptimizer(optim).optLearningRate(0.01f)
                            .optEpochs(2).optBatchSize(30).optProgress(false).optRunsDir(runs).build().run()) {
                        loss.set(run.metric("train_loss"));
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            thread.start();
            thread.join();
            assertNull(failure.get(), optim + " failed on a new thread: " + failure.get());
            assertTrue(Double.isFinite(loss.get()));
        }
    }
}
