package dlkit.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.loss.Loss;
import dlkit.data.Datasets;
import dlkit.data.ImageDataset;
import dlkit.data.ImageSet;
import dlkit.engine.Engines;
import dlkit.engine.TorchOps;
import dlkit.eval.Evaluation;
import dlkit.eval.ModelEvaluator;
import dlkit.models.MnistCnn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * dlkit side of {@code benchmarks/bench-vs-pytorch.sh} and {@code benchmarks/cifar-throughput.sh}: the
 * same measurements as {@code benchmarks/pytorch_bench.py}, printed as one JSON line. Models: {@code
 * mlp}, {@code cnn}, {@code optimizer-cnn} and {@code optimizer-cnn-dropout} (three 25 % dropout layers) on MNIST; {@code cifar-cnn} and {@code resnet20} on random 3x32x32 inputs.
 *
 * <ul>
 *   <li>{@code train}: images/s of {@link Fit}'s training loop over {@code batches} minibatches
 *       after untimed warm-up fits (10 s, env {@code WARMUP_SECONDS}) and {@code warmup} more batches
 *       (timed by a {@link FitListener}, so model set-up is excluded), also per process CPU-second,
 *       Adam 1e-3, MNIST training images;
 *   <li>{@code eval}: images/s of {@link ModelEvaluator} over the 10k MNIST test images, batch 1000;
 *   <li>{@code memory}: {@code batches} consecutive small fits, printing the process RSS.
 *   <li>{@code peak}: a large fp32 product, as a matrix product and as a 3x3 convolution; the faster is the
 *       machine's practical GFLOP/s.
 *   <li>{@code update}: the time of the Adam update's kernels on the model's parameters, without the
 *       native call around them (see {@link #updateKernel}).
 * </ul>
 *
 * <p>Usage: {@code SpeedBench --model mlp|cnn --task train|eval|memory --batch 128 --batches 200
 * --warmup 20}; data from {@code DLKIT_DATA}; threads from {@code DLKIT_THREADS}.
 */
public final class SpeedBench {

    /** Seconds of untimed warm-up fits before the timed one; env {@code WARMUP_SECONDS}. */
    private static final double WARMUP_SECONDS = Double.parseDouble(
            System.getenv().getOrDefault("WARMUP_SECONDS", "10"));

    private SpeedBench() {}

    public static void main(String[] args) throws Exception {
        String model = "mlp";
        String task = "train";
        int batch = 128;
        int batches = 200;
        int warmup = 20;
        String profile = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--model" -> model = args[i + 1];
                case "--task" -> task = args[i + 1];
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--batches" -> batches = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--profile" -> profile = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Engines.startQuietly();
        String result;
        if (task.equals("peak")) {
            result = peak();
        } else if (task.equals("update")) {
            result = updateKernel(model);
        } else if (model.equals("cifar-cnn") || model.equals("resnet20")) {
            if (!task.equals("train")) {
                throw new IllegalArgumentException("the CIFAR models have only the train task");
            }
            result = trainOnRandomCifar(model, batch, batches, warmup);
        } else {
            result = mnistTask(task, model, batch, batches, warmup, profile);
        }
        System.out.println(String.format(Locale.ROOT,
                "{\"framework\": \"dlkit\", \"version\": \"%s djl %s pytorch %s\", \"model\": \"%s\", \"task\": \"%s\","
                        + " \"batch\": %d, \"threads\": %s, %s}",
                dlkit.Version.get(), Engine.getDjlVersion(), Engine.getInstance().getVersion(), model, task, batch,
                System.getProperty("ai.djl.pytorch.num_threads"), result));
    }

    private static String mnistTask(String task, String model, int batch, int batches, int warmup, String profile)
            throws Exception {
        try (ImageDataset mnist = Datasets.mnist().load()) {
            return switch (task) {
                case "train" -> train(mnist.train().images(), mnist.train().labels(), model, batch, batches, warmup,
                        profile);
                case "eval" -> eval(mnist.test(), model, batch);
                case "memory" -> memory(mnist.train(), model, batch, batches);
                default -> throw new IllegalArgumentException("unknown task " + task);
            };
        }
    }

    /**
     * The machine's practical speed for fp32 arithmetic in libtorch, the faster of two large
     * products, each the median of 7 after 3 untimed, with this process's threads: a 2048 x 2048
     * matrix product (libtorch's BLAS, 17.2 GFLOP) and a 3x3 convolution of 512 to 512 channels on
     * 32 images of 14x14 (oneDNN, which the CNN's convolutions use; 29.6 GFLOP). On some CPUs one
     * library is far behind the other (MKL on AMD processors unless the kernel's MKL library is
     * preloaded: 150 against 308 GFLOP/s), and the peak is what the machine can do.
     */
    private static String peak() {
        int n = 2048;
        double flop = 2.0 * n * n * n;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            double matmul = flop / medianSeconds(m, () -> a.matMul(b)) / 1e9;
            NDArray image = m.randomNormal(new Shape(32, 512, 14, 14));
            NDArray kernel = m.randomNormal(new Shape(512, 512, 3, 3));
            double convFlop = 2.0 * 32 * 512 * 512 * 9 * 14 * 14;
            double conv = convFlop / medianSeconds(m, () -> ai.djl.nn.convolutional.Conv2d.conv2d(image, kernel, null,
                    new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow()) / 1e9;
            double gflops = Math.max(matmul, conv);
            return String.format(Locale.ROOT, "\"peak_gflops\": %.1f, \"blas_gflops\": %.1f, \"onednn_gflops\": %.1f",
                    gflops, matmul, conv);
        }
    }

    /**
     * How long the Adam update of {@code model}'s parameters spends in its kernels: the training
     * loop's update call ({@link TorchOps#adam}, which also zeroes the gradients) on
     * arrays of the parameters' shapes, less the same call on as many one-element arrays (the call's
     * own cost: Java, JNI, TorchScript, dispatch). Each the median of 7 rounds of 200 calls.
     */
    private static String updateKernel(String model) {
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = block(model);
            block.initialize(m, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            List<Shape> shapes = new ArrayList<>();
            block.getParameters().values().forEach(p -> shapes.add(p.getArray().getShape()));
            double real = adamSeconds(m, shapes);
            double call = adamSeconds(m, Collections.nCopies(shapes.size(), new Shape(1)));
            long size = shapes.stream().mapToLong(Shape::size).sum();
            return String.format(Locale.ROOT, "\"parameters\": %d, \"update_ms\": %.4f, \"update_call_ms\": %.4f",
                    size, (real - call) * 1e3, call * 1e3);
        }
    }

    /**
     * Median seconds of one {@link TorchOps#adam} call on arrays of {@code shapes}. Each
     * round starts from fresh arrays: the call zeroes the gradients, and the moments decaying for
     * thousands of steps would reach subnormal numbers, which are slow.
     */
    private static double adamSeconds(NDManager m, List<Shape> shapes) {
        int calls = 200;
        double[] seconds = new double[7];
        for (int r = -2; r < seconds.length; r++) {
            try (NDManager round = m.newSubManager()) {
                List<NDArray> w = new ArrayList<>();
                List<NDArray> g = new ArrayList<>();
                List<NDArray> mean = new ArrayList<>();
                List<NDArray> var = new ArrayList<>();
                for (Shape s : shapes) {
                    w.add(round.randomNormal(s));
                    g.add(round.randomNormal(s));
                    mean.add(round.zeros(s));
                    var.add(round.zeros(s));
                }
                long start = System.nanoTime();
                for (int i = 1; i <= calls; i++) {
                    TorchOps.adam(w, g, mean, var, i, 1e-3f, 0.9f, 0.999f, 0f, 1e-8, false);
                }
                if (r >= 0) {
                    seconds[r] = (System.nanoTime() - start) / 1e9 / calls;
                }
            }
        }
        Arrays.sort(seconds);
        return seconds[seconds.length / 2];
    }

    /** Median seconds of 7 runs of {@code op} after 3 untimed; each run reads one value back, so it has finished. */
    private static double medianSeconds(NDManager m, java.util.function.Supplier<NDArray> op) {
        double[] seconds = new double[7];
        for (int i = -3; i < seconds.length; i++) {
            try (NDManager scope = m.newSubManager()) {
                long start = System.nanoTime();
                NDArray result = op.get();
                result.tempAttach(scope);
                NDArray flat = result.flatten();
                flat.tempAttach(scope);
                flat.getFloat(0);
                if (i >= 0) {
                    seconds[i] = (System.nanoTime() - start) / 1e9;
                }
            }
        }
        Arrays.sort(seconds);
        return seconds[seconds.length / 2];
    }

    /** CIFAR models on random 3x32x32 inputs and labels, as pytorch_bench.py's CIFAR models. */
    private static String trainOnRandomCifar(String model, int batch, int batches, int warmup) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            int n = (warmup + batches) * batch;
            m.getEngine().setRandomSeed(1);
            NDArray x = m.randomNormal(new Shape(n, 3, 32, 32));
            NDArray y = m.randomInteger(0, 10, new Shape(n), DataType.INT32).toType(DataType.FLOAT32, false);
            return train(x, y, model, batch, batches, warmup, null);
        }
    }

    static Block block(String model) {
        return switch (model) {
            case "mlp" -> new SequentialBlock()
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(128).build())
                    .add(Activation.reluBlock())
                    .add(Linear.builder().setUnits(10).build());
            case "cnn" -> MnistCnn.builder().build();
            case "optimizer-cnn" -> dlkit.models.CifarOptimizerCnn.builder().build(); // notebook 01's
            case "optimizer-cnn-dropout" -> dlkit.models.CifarOptimizerCnn.builder().optDropout(0.25f).build();
            case "cifar-cnn" -> dlkit.models.CifarCnn.builder().build();
            case "resnet20" -> dlkit.models.ResNet20.builder().build();
            default -> throw new IllegalArgumentException("unknown model " + model);
        };
    }

    private static Fit.Builder fit(String model, NDArray x, NDArray y, int batch) {
        return Fit.builder().setBlock(block(model)).setTrainData(x, y).setLoss(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optim.adam()).optLearningRate(1e-3f).optEpochs(1).optBatchSize(batch)
                .optSeed(42).optCache(false).optProgress(false);
    }

    private static String train(NDArray images, NDArray labels, String model, int batch, int batches, int warmup,
            String profile) throws IOException {
        // Whole batches only; a long timed window (more than one epoch of MNIST at batch 128) runs
        // several epochs, as the PyTorch side wraps around its permutation.
        long n = Math.min(images.getShape().get(0) / batch, warmup + batches) * (long) batch;
        int epochs = (int) Math.ceil((warmup + batches) / (double) (n / batch));
        NDArray x = images.get(new NDIndex(":" + n));
        NDArray y = labels.get(new NDIndex(":" + n));
        long[] marks = new long[2];
        long[] cpu = new long[2];
        FitListener timer = new FitListener() {
            @Override
            public void onBatch(int epoch, int b, int step, float loss) {
                if (step == warmup) {
                    marks[0] = System.nanoTime();
                    cpu[0] = processCpuNanos();
                } else if (step == warmup + batches) {
                    marks[1] = System.nanoTime();
                    cpu[1] = processCpuNanos();
                }
            }
        };
        // Untimed fits of the same length first, for 10 s at least, so that the timed one runs
        // C2-compiled code (steady state, as the PyTorch side's warm-up batches give it). The JVM
        // compiles a method called once per batch only after thousands of batches; meanwhile its
        // compiler threads take cores from the two OpenMP threads: the first MLP fit ran at 30-45k
        // images/s, the fifth at 80-125k (PrintCompilation: 3,268 compilations during the first
        // fit, about 20 per fit after the fourth). A notebook pays this once per kernel session.
        long warmEnd = System.nanoTime() + (long) (WARMUP_SECONDS * 1e9);
        do {
            try (Run warm = fit(model, x, y, batch).optEpochs(epochs).build().run()) {
                warm.history();
            }
        } while (System.nanoTime() < warmEnd);
        try (Run run = fit(model, x, y, batch).optEpochs(epochs).addListener(timer).build().run()) {
            if (marks[1] == 0) {
                throw new IllegalStateException("fit stopped early: " + run.divergence().orElse("?"));
            }
        }
        String profiled = "";
        if (profile != null) {
            int recorded = Math.min(batches, 300); // about 7 MB of trace for the MLP
            profileFit(model, x, y, batch, epochs, warmup, recorded, profile);
            NativeTrace.PerBatch perBatch = NativeTrace.read(Path.of(profile), recorded);
            profiled = String.format(Locale.ROOT, ", \"profiled_ms\": %.4f, \"native_ms\": %.4f, \"conv_ms\": %.4f",
                    perBatch.spanMs(), perBatch.insideMs(), perBatch.convolutionMs());
        }
        double seconds = (marks[1] - marks[0]) / 1e9;
        double cpuSeconds = (cpu[1] - cpu[0]) / 1e9;
        return String.format(Locale.ROOT, "\"images_per_s\": %.1f, \"images_per_cpu_s\": %.1f, \"rss_mb\": %.0f",
                (double) batches * batch / seconds, (double) batches * batch / cpuSeconds, rssMb()) + profiled;
    }

    /**
     * One more fit of the same length, with libtorch's profiler on over the timed batches: a
     * Chrome trace of every native operation (benchmarks/anchor.sh sums them per batch). Separate
     * from the timed fit, as recording costs time.
     */
    private static void profileFit(String model, NDArray x, NDArray y, int batch, int epochs, int warmup, int batches,
            String file) {
        FitListener recorder = new FitListener() {
            @Override
            public void onBatch(int epoch, int b, int step, float loss) {
                if (step == warmup) {
                    ai.djl.pytorch.jni.JniUtils.startProfile(false, false, false);
                } else if (step == warmup + batches) {
                    ai.djl.pytorch.jni.JniUtils.stopProfile(file);
                }
            }
        };
        try (Run run = fit(model, x, y, batch).optEpochs(epochs).addListener(recorder).build().run()) {
            run.history();
        }
    }

    private static String eval(ImageSet test, String model, int batch) {
        try (Model m = Model.newInstance("eval", Device.cpu())) {
            Block block = block(model);
            m.setBlock(block);
            block.initialize(m.getNDManager(), DataType.FLOAT32, test.images().getShape());
            ModelEvaluator evaluator = ModelEvaluator.builder().optBatchSize(1000).build();
            evaluator.evaluate(block, test.images().get(":2000"), test.labels().get(":2000")); // warm-up
            long t0 = System.nanoTime();
            Evaluation e = evaluator.evaluate(block, test.images(), test.labels());
            double seconds = (System.nanoTime() - t0) / 1e9;
            return String.format(Locale.ROOT, "\"images_per_s\": %.1f, \"accuracy\": %.4f, \"rss_mb\": %.0f",
                    test.size() / seconds, e.accuracy(), rssMb());
        }
    }

    /** Consecutive fits of one epoch on 2,000 images: RSS must level off (second half flat), not grow per fit. */
    private static String memory(ImageSet images, String model, int batch, int fits) {
        NDArray x = images.images().get(":2000");
        NDArray y = images.labels().get(":2000");
        StringBuilder rss = new StringBuilder();
        double first = 0;
        double last = 0;
        for (int i = 1; i <= fits; i++) {
            try (Run run = fit(model, x, y, batch).build().run()) {
                run.history();
            }
            last = rssMb();
            if (i == fits / 2) {
                first = last; // the first fits warm up the JIT, Java heap and native allocator
            }
            if (i % 10 == 0) {
                rss.append(rss.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", last));
                System.err.printf(Locale.ROOT, "fit %d: RSS %.0f MB%n", i, last);
            }
        }
        return String.format(Locale.ROOT, "\"fits\": %d, \"rss_mb_every_10\": [%s], \"rss_growth_mb_second_half\": %.0f",
                fits, rss, last - first);
    }

    /**
     * CPU time of the whole process (all threads): on a loaded machine wall time measures the other
     * processes too, while images per CPU-second measures the work this process does.
     */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: no RSS figure
        }
        return Double.NaN;
    }
}
