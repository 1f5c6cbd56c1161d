package dlkit.models;

import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import dlkit.data.Datasets;
import dlkit.data.ImageDataset;
import dlkit.data.Normalization;
import dlkit.engine.Engines;
import dlkit.files.AtomicFiles;
import dlkit.train.Fit;
import dlkit.train.Optim;
import dlkit.train.Profile;
import dlkit.train.Run;
import dlkit.train.Schedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import tech.tablesaw.api.Row;

/**
 * The MNIST notebook's full-profile training (seed 000: all 60,000 images, Adam 1e-3, step LR,
 * batch 128, seed 42), with the number of epochs given (15 is the full profile). Run by
 * benchmarks/mnist-cnn.sh; prints per-epoch lines and writes a JSON summary.
 */
public final class MnistCnnBench {

    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path out = Path.of(args.length > 1 ? args[1] : "benchmarks/results/mnist-cnn-" + epochs + "-epochs.json");
        System.out.println(Engines.start());
        String loadStart = loadAverage(); // so that a result says whether the machine was shared
        try (ImageDataset mnist = Datasets.mnist().optNormalization(Normalization.MNIST).load();
                Run run = Fit.builder()
                        .setBlock(MnistCnn.builder().build())
                        .setTrainData(mnist.train())
                        .optValidation(mnist.test())
                        .setLoss(Loss.softmaxCrossEntropyLoss())
                        .addEvaluator(new Accuracy())
                        .optOptimizer(Optim.adam())
                        .optLearningRate(1e-3f)
                        .optSchedule(Schedule.step(5, 0.5f))
                        .optEpochs(epochs)
                        .optBatchSize(128)
                        .optSeed(42)
                        .optProfile(Profile.FULL)
                        .optName("mnist-cnn-bench")
                        .optCache(false)
                        .build().run()) {
            Row last = run.history().last();
            Row best = run.history().best("val_accuracy");
            double seconds = last.getDouble("seconds");
            String json = String.format(Locale.ROOT,
                    "{\"model\": \"MnistCnn (seed 000)\", \"train_images\": %d, \"epochs\": %d, \"batch\": 128,"
                            + " \"final_test_accuracy\": %.4f, \"best_test_accuracy\": %.4f, \"best_epoch\": %d,"
                            + " \"train_seconds\": %.1f, \"seconds_per_epoch\": %.1f, \"images_per_s\": %.1f,"
                            + " \"threads\": \"%s\", \"cores\": %d, \"load_average_start\": \"%s\","
                            + " \"load_average_end\": \"%s\"}%n",
                    mnist.train().size(), epochs, last.getDouble("val_accuracy"), best.getDouble("val_accuracy"),
                    best.getInt("epoch"), seconds, seconds / epochs, mnist.train().size() * epochs / seconds,
                    System.getProperty("ai.djl.pytorch.num_threads"), Runtime.getRuntime().availableProcessors(),
                    loadStart, loadAverage());
            AtomicFiles.writeString(out, json);
            System.out.print(json);
        }
    }

    /** The 1, 5 and 15 minute load averages (Linux), or "unknown". */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
