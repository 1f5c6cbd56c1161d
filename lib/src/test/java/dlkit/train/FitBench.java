package dlkit.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dlkit.engine.Engines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Overhead of {@link Fit} over a bare DJL training loop: same MLP 784-128-10, same resident data,
 * same batches, Adam, batch 128. Runs are interleaved and repeated; the median overhead is written
 * to {@code build/bench/fit.txt}. Also measures DJL's per-example dataset path and the content hash.
 *
 * <p>Run with {@code benchmarks/fit-overhead.sh [examples] [epochs] [repeats]}.
 */
public final class FitBench {

    private FitBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 12_000;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Engines.start();
        try (NDManager manager = NDManager.newBaseManager()) {
            Random random = new Random(1);
            float[] xs = new float[n * 784];
            float[] ys = new float[n];
            for (int i = 0; i < n; i++) {
                ys[i] = i % 10;
                for (int j = 0; j < 784; j++) {
                    xs[i * 784 + j] = (float) random.nextGaussian() + (j % 10 == i % 10 ? 1 : 0);
                }
            }
            NDArray x = manager.create(xs, new Shape(n, 784));
            NDArray y = manager.create(ys);
            // warm-up: JIT and native allocator
            bare(x, y, 1);
            fit(x, y, 1, null);
            List<Double> bareTimes = new ArrayList<>();
            List<Double> fitTimes = new ArrayList<>();
            List<Double> overheads = new ArrayList<>();
            for (int r = 0; r < repeats; r++) {
                double b;
                double f;
                if (r % 2 == 0) {
                    b = bare(x, y, epochs);
                    f = fit(x, y, epochs, null);
                } else {
                    f = fit(x, y, epochs, null);
                    b = bare(x, y, epochs);
                }
                bareTimes.add(b);
                fitTimes.add(f);
                overheads.add((f / b - 1) * 100);
                System.out.printf(Locale.ROOT, "repeat %d: bare %.3f s, fit %.3f s, overhead %+.1f%%%n", r + 1, b, f, (f / b - 1) * 100);
            }
            ArrayDataset dataset = new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(128, false).build();
            double datasetPath = fit(x, y, 1, dataset);
            double residentPath = fit(x, y, 1, null);
            long t0 = System.nanoTime();
            String hash = new Source.Resident(x, y).contentHash();
            double hashSeconds = (System.nanoTime() - t0) / 1e9;
            double mb = (x.size() * 4 + y.size() * 4) / 1e6;

            String report = String.format(Locale.ROOT,
                    "fit overhead over a bare DJL loop (MLP 784-128-10, Adam, batch 128, %d examples, %d epochs, %d interleaved repeats)%n"
                            + "bare median %.3f s (%.0f ex/s), fit median %.3f s (%.0f ex/s)%n"
                            + "median overhead %+.1f%% (per repeat: %s)%n"
                            + "best-of-%d overhead %+.1f%% (bare %.3f s, fit %.3f s; contention only adds time, so minima are the steadier estimate)%n"
                            + "one epoch, resident tensor path %.3f s (%.0f ex/s) vs DJL dataset/batchifier path %.3f s (%.0f ex/s)%n"
                            + "content hash of %.0f MB: %.3f s (%s...)%n",
                    n, epochs, repeats,
                    median(bareTimes), n * epochs / median(bareTimes),
                    median(fitTimes), n * epochs / median(fitTimes),
                    median(overheads), format(overheads),
                    repeats, (min(fitTimes) / min(bareTimes) - 1) * 100, min(bareTimes), min(fitTimes),
                    residentPath, n / residentPath, datasetPath, n / datasetPath,
                    mb, hashSeconds, hash.substring(0, 12));
            System.out.print(report);
            Path out = Paths.get(System.getProperty("bench.out", "build/bench/fit.txt"));
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, report);
        }
    }

    private static Block mlp() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(128).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(10).build());
    }

    /** What a user writes by hand with DJL: shuffled batches of the resident arrays, one step each. */
    static double bare(NDArray x, NDArray y, int epochs) {
        int n = (int) x.getShape().get(0);
        long start = System.nanoTime();
        try (Model model = Model.newInstance("bare", Device.cpu())) {
            model.setBlock(mlp());
            Loss loss = Loss.softmaxCrossEntropyLoss();
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build())
                    .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(128, 784));
                for (int epoch = 1; epoch <= epochs; epoch++) {
                    int[] order = Seeds.permutation(1, epoch, n);
                    double sum = 0;
                    for (int from = 0; from < n; from += 128) {
                        int to = Math.min(n, from + 128);
                        try (NDManager m = trainer.getManager().newSubManager()) {
                            NDArray index = m.create(Arrays.copyOfRange(order, from, to));
                            NDList data = new NDList(x.get(m, new NDIndex("{}", index)));
                            NDList labels = new NDList(y.get(m, new NDIndex("{}", index)));
                            NDArray l;
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDList pred = trainer.forward(data);
                                l = loss.evaluate(labels, pred);
                                gc.backward(l);
                            }
                            trainer.step();
                            sum += l.getFloat() * (to - from);
                        }
                    }
                    if (sum < 0) {
                        throw new IllegalStateException();
                    }
                }
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    static double fit(NDArray x, NDArray y, int epochs, ArrayDataset dataset) {
        long start = System.nanoTime();
        Fit.Builder b = Fit.builder().setBlock(mlp()).setLoss(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optim.adam()).optLearningRate(1e-3f).optEpochs(epochs).optBatchSize(128)
                .optSeed(1).optCache(false).optProgress(false);
        b = dataset != null ? b.setTrainData(dataset) : b.setTrainData(x, y);
        try (Run run = b.build().run()) {
            if (run.history().epochs() != epochs) {
                throw new IllegalStateException("incomplete run");
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    private static String format(List<Double> values) {
        StringBuilder sb = new StringBuilder();
        values.forEach(v -> sb.append(String.format(Locale.ROOT, "%+.1f%% ", v)));
        return sb.toString().trim();
    }

}
