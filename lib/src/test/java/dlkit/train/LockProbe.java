package dlkit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import dlkit.engine.Engines;
import java.nio.file.Path;

/**
 * A second process for {@link RunStoreTest}: {@code fit <runs>} fits the test's run and prints
 * where it came from; {@code hold <runs>} takes that run's lock and keeps it until killed.
 */
public final class LockProbe {

    private LockProbe() {}

    static Fit.Builder fit(NDManager manager, Path runs) {
        NDArray[] data = Synthetic.blobs(manager, 300, 1);
        return Fit.builder().setBlock(Synthetic.mlp()).setTrainData(data[0], data[1])
                .setLoss(Loss.softmaxCrossEntropyLoss()).optEpochs(3).optBatchSize(32).optSeed(11)
                .optProgress(false).optRunsDir(runs).optName("shared");
    }

    public static void main(String[] args) throws Exception {
        Engines.startQuietly();
        Path runs = Path.of(args[1]);
        try (NDManager manager = NDManager.newBaseManager()) {
            Fit.Builder fit = fit(manager, runs);
            if (args[0].equals("hold")) {
                AutoCloseable lock = new RunStore.Entry(runs, "shared", fit.build().key()).lock();
                System.out.println("holding " + lock);
                Thread.sleep(Long.MAX_VALUE);
            }
            try (Run run = fit.build().run()) {
                System.out.println(run.fromCache() ? "from cache" : "trained");
            }
        }
    }
}
