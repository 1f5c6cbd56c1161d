package dlkit.landscape;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import dlkit.data.Datasets;
import dlkit.data.ImageDataset;
import dlkit.data.Normalization;
import dlkit.engine.Engines;
import dlkit.files.AtomicFiles;
import dlkit.train.Seeds;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Speed of a loss grid: {@link Landscape} (parameters copied into the existing model in place, the
 * whole subset in one forward pass) against a naive loop that rebuilds the model for every grid
 * point and evaluates in batches of 256 (the seed's {@code compute_loss} with a 256-example
 * loader). Same points, same subset; the two results must agree.
 *
 * <p>Model: the seed's MLP 784-40-40-40-10 (35,090 parameters); data: 2,500 Fashion-MNIST training
 * images; plane: two filter-normalised directions around the initial weights, -1..1.
 *
 * <p>Run with {@code benchmarks/landscape-grid.sh [size=25] [examples=2500] [repeats=3]}.
 */
public final class LandscapeBench {

    private LandscapeBench() {}

    static SequentialBlock mlp() {
        SequentialBlock block = new SequentialBlock().add(Blocks.batchFlattenBlock());
        for (int i = 0; i < 3; i++) {
            block.add(Linear.builder().setUnits(40).build()).add(Activation.reluBlock());
        }
        return block.add(Linear.builder().setUnits(10).build());
    }

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 25;
        int examples = args.length > 1 ? Integer.parseInt(args[1]) : 2_500;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path out = Path.of(args.length > 3 ? args[3] : "benchmarks/results/landscape-grid.txt");
        String engine = Engines.start().toString();
        try (ImageDataset fashion = Datasets.fashionMnist().optLimit(examples, 1)
                        .optNormalization(Normalization.FASHION_MNIST).load();
                NDManager manager = NDManager.newBaseManager()) {
            NDArray x = fashion.train().images();
            NDArray y = fashion.train().labels();
            Seeds.set(1);
            SequentialBlock block = mlp();
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            ParameterLayout layout = ParameterLayout.of(block);
            Plane plane = Plane.filterNormalized(layout, layout.read(block), 2);
            double[] axis = Landscape.axis(new double[] {-1, 1}, size);

            // The in-place rounds first, interleaved, then the naive ones, so that no way of
            // evaluating inherits the other's memory state.
            double[] fast = new double[repeats];
            double[] batched = new double[repeats];
            double[] naive = new double[repeats];
            double[][] fastGrid = null;
            double[][] naiveGrid = new double[size][size];
            try (Landscape landscape = Landscape.builder().setBlock(block).setData(x, y).build();
                    Landscape small = Landscape.builder().setBlock(block).setData(x, y).optBatchSize(256).build()) {
                landscape.surface(plane, 3, -1, 1, -1, 1); // warm-up: JIT and allocator
                for (int r = 0; r < repeats; r++) {
                    LossSurface s = landscape.surface(plane, size, -1, 1, -1, 1);
                    fast[r] = s.seconds();
                    fastGrid = s.loss();
                    batched[r] = small.surface(plane, size, -1, 1, -1, 1).seconds();
                }
            }
            for (int r = 0; r < repeats; r++) {
                long start = System.nanoTime();
                float[] point = new float[layout.size()];
                for (int j = 0; j < size; j++) {
                    for (int i = 0; i < size; i++) {
                        naiveGrid[j][i] = naiveLoss(plane.at(axis[i], axis[j], point), layout, x, y);
                    }
                }
                naive[r] = (System.nanoTime() - start) / 1e9;
            }
            double fastMedian = median(fast);
            double batchedMedian = median(batched);
            double naiveMedian = median(naive);

            double maxDiff = 0;
            for (int j = 0; j < size; j++) {
                for (int i = 0; i < size; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(fastGrid[j][i] - naiveGrid[j][i]));
                }
            }
            String report = String.format(Locale.ROOT,
                    "Loss grid %dx%d (%d points) on %,d Fashion-MNIST training examples, MLP 784-40-40-40-10"
                            + " (%,d parameters)%n"
                            + "engine: %s%n"
                            + "medians of %d rounds (all rounds in brackets; the naive rounds after the others):%n"
                            + "in place, one forward pass (Landscape)     : %7.2f s  (%.1f ms/point)  %s%n"
                            + "in place, batches of 256                   : %7.2f s  (%.1f ms/point)  %s%n"
                            + "naive: rebuild model per point, batch 256  : %7.2f s  (%.1f ms/point)  %s%n"
                            + "speed-up over naive: %.1fx; largest |difference| between the grids: %.2e%n"
                            + "target: <= 3 s for 25x25 on 2,500 examples on 2 cores: %s%n"
                            + "(shared 2-core machine: timings are pessimistic)%n",
                    size, size, size * size, x.getShape().get(0), layout.size(), engine,
                    repeats,
                    fastMedian, 1000 * fastMedian / (size * size), rounds(fast),
                    batchedMedian, 1000 * batchedMedian / (size * size), rounds(batched),
                    naiveMedian, 1000 * naiveMedian / (size * size), rounds(naive),
                    naiveMedian / fastMedian, maxDiff,
                    fastMedian <= 3 ? "met" : "NOT met");
            System.out.print(report);
            AtomicFiles.writeString(out, report);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String rounds(double[] values) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            s.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.1f", values[i]));
        }
        return s.append("]").toString();
    }

    /** The naive way: a new model for the point, parameters set, evaluated in small batches. */
    static double naiveLoss(float[] parameters, ParameterLayout layout, NDArray x, NDArray y) {
        try (Model model = Model.newInstance("naive", Device.cpu())) {
            SequentialBlock block = mlp();
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 28, 28));
            layout.write(parameters, block);
            Loss loss = Loss.softmaxCrossEntropyLoss();
            long n = x.getShape().get(0);
            double sum = 0;
            for (long from = 0; from < n; from += 256) {
                long to = Math.min(n, from + 256);
                try (NDManager m = model.getNDManager().newSubManager()) {
                    NDArray bx = x.get(new NDIndex("{}:{}", from, to));
                    NDArray by = y.get(new NDIndex("{}:{}", from, to));
                    bx.attach(m);
                    by.attach(m);
                    NDList outList = block.forward(new ParameterStore(m, false), new NDList(bx), false);
                    outList.attach(m);
                    sum += loss.evaluate(new NDList(by), outList).getFloat() * (double) (to - from);
                }
            }
            return sum / n;
        }
    }
}
