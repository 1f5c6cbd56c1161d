package dlkit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import dlkit.data.Datasets;
import dlkit.data.ImageDataset;
import dlkit.engine.Engines;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Wall time of {@link Fit#runEach} over several fits of one model (MNIST, distinct seeds, no run
 * cache), one by one against side by side, in interleaved rounds after an untimed warm-up; and
 * whether both orders gave equal histories. Prints one line per round, then a JSON line.
 *
 * <pre>
 * ParallelBench --model optimizer-cnn-dropout --fits 4 --examples 12000 --epochs 1 --rounds 3
 * </pre>
 */
public final class ParallelBench {

    private ParallelBench() {}

    public static void main(String[] args) throws Exception {
        // In a fresh thread, as a notebook cell runs: glibc gives such a thread its own malloc arena
        // when more than one is allowed, and that arena's speed is part of what a notebook gets.
        Exception[] failed = {null};
        Thread cell = new Thread(() -> {
            try {
                measure(args);
            } catch (Exception e) {
                failed[0] = e;
            }
        });
        cell.start();
        cell.join();
        if (failed[0] != null) {
            throw failed[0];
        }
    }

    private static void measure(String[] args) throws Exception {
        String model = "mlp";
        int fits = 4;
        int examples = 12000;
        int epochs = 1;
        int rounds = 3;
        boolean notebook = false;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--model" -> model = args[i + 1];
                case "--fits" -> fits = Integer.parseInt(args[i + 1]);
                case "--examples" -> examples = Integer.parseInt(args[i + 1]);
                case "--epochs" -> epochs = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--notebook" -> notebook = Boolean.parseBoolean(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Engines.startQuietly();
        int atOnce = Engines.parallelRuns();
        try (ImageDataset mnist = Datasets.mnist().optLimit(examples, 10_000).load()) {
            NDArray x = mnist.train().images();
            NDArray y = mnist.train().labels();
            boolean asNotebook = notebook;
            // --notebook true: trained as a notebook does, on the image set with validation on the test images
            Supplier<Fit.Builder> base = () -> asNotebook
                    ? Fit.builder().setTrainData(mnist.train()).optValidation(mnist.test())
                    : Fit.builder().setTrainData(x, y);
            time(model, base, 2, 1, "1"); // warm-up: the JIT compiles the training loop
            List<Double> ratios = new ArrayList<>();
            boolean equal = true;
            List<String> firstAlone = null;
            List<String> firstTogether = null;
            boolean repeatable = true;
            for (int r = 1; r <= rounds; r++) {
                boolean parallelFirst = r % 2 == 0;
                Timed a = time(model, base, fits, epochs, parallelFirst ? String.valueOf(atOnce) : "1");
                Timed b = time(model, base, fits, epochs, parallelFirst ? "1" : String.valueOf(atOnce));
                Timed alone = parallelFirst ? b : a;
                Timed together = parallelFirst ? a : b;
                equal &= alone.losses.equals(together.losses);
                firstAlone = firstAlone == null ? alone.losses : firstAlone;
                firstTogether = firstTogether == null ? together.losses : firstTogether;
                repeatable &= firstAlone.equals(alone.losses) && firstTogether.equals(together.losses);
                ratios.add(alone.seconds / together.seconds);
                System.out.printf(Locale.ROOT, "round %d: %d fits one by one %.1f s, %d at a time %.1f s: %.2fx%n", r,
                        fits, alone.seconds, atOnce, together.seconds, alone.seconds / together.seconds);
            }
            ratios.sort(null);
            System.out.printf(Locale.ROOT, "{\"model\": \"%s\", \"fits\": %d, \"examples\": %d, \"epochs\": %d,"
                    + " \"threads\": %d, \"at_once\": %d, \"speedup_median\": %.3f, \"speedup_min\": %.3f,"
                    + " \"speedup_max\": %.3f, \"same_histories_both_ways\": %s,"
                    + " \"same_histories_every_round\": %s, \"as_notebook\": %s}%n", model, fits, examples, epochs,
                    Engines.startQuietly().threads(), atOnce, ratios.get(ratios.size() / 2), ratios.get(0),
                    ratios.get(ratios.size() - 1), equal, repeatable, notebook);
        }
    }

    private record Timed(double seconds, List<String> losses) {}

    private static Timed time(String model, Supplier<Fit.Builder> base, int fits, int epochs, String atOnce) {
        System.setProperty("dlkit.parallelRuns", atOnce);
        List<Fit> list = new ArrayList<>();
        for (int s = 1; s <= fits; s++) {
            list.add(base.get().setBlock(SpeedBench.block(model))
                    .setLoss(Loss.softmaxCrossEntropyLoss()).addEvaluator(new Accuracy()).optOptimizer(Optim.adam())
                    .optLearningRate(1e-3f).optEpochs(epochs).optBatchSize(128).optSeed(s).optCache(false)
                    .optProgress(false).build());
        }
        List<String> losses = new ArrayList<>();
        long start = System.nanoTime();
        Fit.runEach(list, run -> losses.add(run.history().batches().doubleColumn("loss").print()));
        return new Timed((System.nanoTime() - start) / 1e9, losses);
    }
}
