package dlkit.data;

import ai.djl.ndarray.NDArray;
import dlkit.engine.Engines;
import dlkit.files.AtomicFiles;
import dlkit.files.Digests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Measures how long loading a real dataset takes, on the files in the data root (not a JUnit test;
 * run by {@code benchmarks/data-load.sh}). Writes {@code build/bench/data-load.txt}.
 *
 * <p>Arguments: {@code [dataset=mnist] [runs=7]}. The first load in the JVM is reported apart
 * (class loading, JIT, and the SHA-256 check if the {@code .verified} stamp is not valid); then
 * each run loads the dataset (train and test parts, bytes into memory, structural checks, stamp
 * lookup) and makes the normalised float32 training array.
 */
public final class LoadBenchmark {

    private LoadBenchmark() {}

    public static void main(String[] args) throws IOException {
        String dataset = args.length > 0 ? args[0] : "mnist";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        DataRoot root = DataRoot.locate();
        Normalization normalization = dataset.equals("cifar-10") ? Normalization.CIFAR_10 : Normalization.MNIST;

        long start = System.nanoTime();
        ImageDataset first = Datasets.byName(dataset).optNormalization(normalization).load();
        double firstLoad = seconds(start);
        int trainSize = first.train().size();
        first.close();

        Engines.startQuietly();
        List<Double> loads = new ArrayList<>();
        List<Double> arrays = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            try (ImageDataset data = Datasets.byName(dataset).optNormalization(normalization).load()) {
                loads.add(seconds(t0));
                long t1 = System.nanoTime();
                NDArray images = data.train().images();
                images.getShape();
                arrays.add(seconds(t1));
            }
        }

        DatasetSpec spec = DatasetSpec.byName(dataset);
        DatasetFiles files = new DatasetFiles(spec, root, Manifest.standard());
        String name = spec.isIdx() ? DatasetSpec.TRAIN_IMAGES : DatasetSpec.CIFAR_TRAIN.get(0);
        long t2 = System.nanoTime();
        String sha = Digests.sha256(files.read(files.locate(name)));
        double hashing = seconds(t2);

        String report = String.format(Locale.ROOT,
                "dataset %s (%d training images), data root %s%n"
                        + "first load in a fresh JVM:          %.3f s%n"
                        + "load (train+test into memory), median of %d: %.3f s (min %.3f, max %.3f)%n"
                        + "train().images() float32 [N,C,H,W], median:  %.3f s (min %.3f)%n"
                        + "read + SHA-256 of %s (what the stamp saves): %.3f s (%s...)%n"
                        + "java %s, %d processors%n",
                dataset, trainSize, root, firstLoad, runs, median(loads), Collections.min(loads),
                Collections.max(loads), median(arrays), Collections.min(arrays), name, hashing,
                sha.substring(0, 12), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        System.out.print(report);
        Path out = Path.of("build", "bench", "data-load" + (dataset.equals("mnist") ? "" : "-" + dataset) + ".txt");
        Files.createDirectories(out.getParent());
        AtomicFiles.writeString(out, report);
        System.out.println("written to " + out.toAbsolutePath());
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
