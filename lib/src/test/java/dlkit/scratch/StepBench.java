package dlkit.scratch;

import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.loss.SigmoidBinaryCrossEntropyLoss;
import dlkit.data.Datasets;
import dlkit.data.ImageDataset;
import dlkit.data.Normalization;
import dlkit.engine.Engines;
import dlkit.train.Fit;
import dlkit.train.History;
import dlkit.train.Optim;
import dlkit.train.Run;
import dlkit.train.Schedule;
import java.util.Locale;

/**
 * Updates per second at batch 1 on seed 003's 784-128-10 sigmoid network and 1,000 MNIST images:
 * the hand-written {@link ScratchNet} loop or {@link Fit}, one JSON line per timed run. Used by
 * {@code benchmarks/from-scratch-speed.sh}.
 *
 * <pre>
 * StepBench scratch|fit [epochs=5]
 * </pre>
 */
public final class StepBench {

    private StepBench() {}

    public static void main(String[] args) {
        String impl = args.length > 0 ? args[0] : "scratch";
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Engines.startQuietly();
        try (ImageDataset mnist = Datasets.mnist().optLimit(1_000, 100).optNormalization(Normalization.UNIT).load()) {
            run(impl, mnist, 1); // warm-up: class loading, JIT, native kernels
            double seconds = run(impl, mnist, epochs);
            System.out.printf(Locale.ROOT, "{\"impl\": \"%s\", \"epochs\": %d, \"updates\": %d, \"seconds\": %.3f,"
                    + " \"updates_per_s\": %.1f}%n", impl, epochs, epochs * 1000, seconds, epochs * 1000 / seconds);
        }
    }

    private static double run(String impl, ImageDataset mnist, int epochs) {
        Schedule rate = Schedule.piecewise(0.005f);
        try (ScratchNet net = ScratchNet.builder().setSizes(784, 128, 10).optSeed(3).build()) {
            if (impl.equals("scratch")) {
                History h = ScratchTrainer.builder().setNet(net).setTrainData(mnist.train()).optSchedule(rate)
                        .optEpochs(epochs).optBatchSize(1).optSeed(42).build().run();
                return h.value("seconds", epochs);
            }
            SequentialBlock block = new SequentialBlock()
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(128).optBias(false).build())
                    .add(Activation::sigmoid)
                    .add(Linear.builder().setUnits(10).optBias(false).build());
            try (Run run = Fit.builder().setBlock(block)
                    .setTrainData(mnist.train().images(), mnist.train().oneHotLabels())
                    .setLoss(new SigmoidBinaryCrossEntropyLoss("loss", 10f, false))
                    .optOptimizer(Optim.sgd()).optSchedule(rate).optEpochs(epochs).optBatchSize(1).optSeed(42)
                    .optInitialParameters(net.linearWeights()).optProgress(false).optCache(false).build().run()) {
                return run.history().value("seconds", epochs);
            }
        }
    }
}
