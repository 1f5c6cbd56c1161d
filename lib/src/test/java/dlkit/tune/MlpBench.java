package dlkit.tune;

import dlkit.data.Datasets;
import dlkit.data.ImageDataset;
import dlkit.data.Normalization;
import dlkit.data.Split;
import dlkit.eval.ModelEvaluator;
import dlkit.files.AtomicFiles;
import dlkit.models.Mlp;
import dlkit.train.Fit;
import dlkit.train.Optim;
import dlkit.train.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measurements for the MLP-tuning notebook (run through benchmarks/mlp-*.sh).
 *
 * <ul>
 *   <li>{@code memory TRIALS LIMIT}: a search of TRIALS one-epoch trials on LIMIT Fashion-MNIST
 *       training images, resident set size after each trial (memory must stay flat).
 *   <li>{@code final}: the two configurations retrained at full-profile length (50 epochs, all
 *       60,000 training images) exactly as the notebook's {@code retrain} does, with test accuracy.
 *   <li>{@code search MIN_EPOCHS REDUCTION [pruned|both]}: the notebook's full-profile baseline and
 *       enhanced searches (30 trials each on 48,000 images), pruned by {@code Halving.of(MIN_EPOCHS,
 *       REDUCTION)} and, with {@code both}, in full, each from an empty run cache, side by side.
 * </ul>
 */
public final class MlpBench {

    private MlpBench() {}

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "memory";
        StringBuilder out = new StringBuilder();
        String name;
        if (mode.equals("memory")) {
            name = "mlp-memory";
            memory(out, args.length > 1 ? Integer.parseInt(args[1]) : 12, args.length > 2 ? Integer.parseInt(args[2]) : 12_000);
        } else if (mode.equals("final")) {
            name = "mlp-final";
            retrain(out, args.length > 1 ? Integer.parseInt(args[1]) : 50);
        } else if (mode.equals("search")) {
            name = null; // its lines go to results/pruned-search.log as each search ends
            search(out, Halving.of(Integer.parseInt(args[1]), Integer.parseInt(args[2])),
                    args.length > 3 && args[3].equals("both"));
        } else {
            throw new IllegalArgumentException("mode must be memory, final or search, got " + mode);
        }
        System.out.print(out);
        if (name != null) {
            System.out.println("wrote " + save(name, out));
        }
    }

    /** Rewrites benchmarks/results/NAME.txt atomically: called after each measurement, so a cut-off run keeps what it measured. */
    private static Path save(String name, StringBuilder out) throws java.io.IOException {
        Path file = Path.of("benchmarks", "results", name + ".txt");
        Files.createDirectories(file.getParent());
        AtomicFiles.writeString(file, out.toString());
        return file;
    }

    private static void memory(StringBuilder out, int trials, int limit) {
        long start = System.nanoTime();
        try (ImageDataset fashion = Datasets.fashionMnist().optLimit(limit, 1_000)
                .optNormalization(Normalization.CENTERED).load()) {
            Split split = fashion.split(0.2, 541);
            SearchSpace space = SearchSpace.builder().setLayers(2, 3, 4).setUnits(64, 128, 256)
                    .setLearningRates(0.005f, 0.01f, 0.05f).setBatchSizes(64, 128).setEpochs(1).setWeightDecays(0f, 1e-4f)
                    .optBatchNorm(false, true).optDropouts(0f, 0.2f).build();
            List<Double> rss = new ArrayList<>();
            Path runs = Path.of("build", "bench", "mlp-memory-runs-" + System.nanoTime());
            Search search = Search.builder().setName("memory").setTrials(space.sample(trials, 1)).setData(split)
                    .setFit(() -> Fit.builder().optOptimizer(Optim.sgd().optMomentum(0.9f)).optSeed(541).optRunsDir(runs)).optProgress(false)
                    .addListener(r -> {
                        if (!"false".equals(System.getenv("GC_BETWEEN"))) System.gc(); // so that the heap figure is live data, not garbage not yet collected
                        Runtime rt = Runtime.getRuntime();
                        double heap = (rt.totalMemory() - rt.freeMemory()) / 1048576.0;
                        rss.add(rssMb());
                        out.append(String.format(Locale.ROOT,
                                "trial %2d  rss %7.1f MB  java heap after gc %6.1f MB  val_accuracy %.4f  %s%n",
                                r.index(), rss.get(rss.size() - 1), heap, r.valAccuracy(), r.trial().id()));
                    })
                    .build();
            out.append(String.format(Locale.ROOT, "memory: %d one-epoch trials on %d training images (%s)%n",
                    trials, split.train().size(), search));
            SearchResults results = search.run();
            int half = rss.size() / 2;
            double firstHalf = rss.subList(0, half).stream().mapToDouble(d -> d).max().orElse(0);
            double secondHalf = rss.subList(half, rss.size()).stream().mapToDouble(d -> d).max().orElse(0);
            out.append(String.format(Locale.ROOT,
                    "rss after trial 1: %.1f MB, max over trials 1-%d: %.1f MB, max over trials %d-%d: %.1f MB,"
                            + " last: %.1f MB%nsearch wall time %.1f s (%s)%n",
                    rss.get(0), half, firstHalf, half + 1, rss.size(), secondHalf, rss.get(rss.size() - 1),
                    results.wallSeconds(), results.summary()));
        }
        out.append(String.format(Locale.ROOT, "total %.1f s%n", (System.nanoTime() - start) / 1e9));
    }

    /** The baseline and enhanced configurations retrained as the notebook's full profile does. */
    private static void retrain(StringBuilder out, int epochs) throws java.io.IOException {
        List<Trial> configs = List.of(
                new Trial(3, 256, Mlp.Act.RELU, false, 0f, 0.01f, 64, epochs, 1e-4f),
                new Trial(3, 256, Mlp.Act.RELU, true, 0.2f, 0.01f, 64, epochs, 1e-5f));
        List<String> names = List.of("mlp-baseline", "mlp-enhanced");
        try (ImageDataset fashion = Datasets.fashionMnist().optLimit(60_000, 10_000)
                .optNormalization(Normalization.CENTERED).load()) {
            Split split = fashion.split(0.2, 541);
            for (int i = 0; i < configs.size(); i++) {
                Search search = Search.builder().setName(names.get(i)).setTrials(List.of(configs.get(i)))
                        .setData(split).setFit(() -> Fit.builder().optOptimizer(Optim.sgd().optMomentum(0.9f)).optSeed(541)).build();
                long start = System.nanoTime();
                try (Run run = search.retrain(configs.get(i), fashion.train())) {
                    double test = run.evaluate(fashion.test()).accuracy();
                    out.append(String.format(Locale.ROOT,
                            "%s %s: test accuracy %.4f after %d epochs on %,d images; training %.0f s%s, wall %.0f s%n",
                            names.get(i), configs.get(i).id(), test, epochs, fashion.train().size(),
                            run.metric("seconds"), run.fromCache() ? " (from the run cache)" : "",
                            (System.nanoTime() - start) / 1e9));
                    save("mlp-final", out);
                }
            }
        }
    }

    /** The full-profile spaces of notebooks/04-mlp-tuning.ipynb (keep them equal). */
    private static SearchSpace space(String name) {
        SearchSpace.Builder b = SearchSpace.builder()
                .setLayers(name.equals("baseline") ? new int[] {2, 3, 4} : new int[] {3, 4})
                .setUnits(name.equals("baseline") ? new int[] {64, 128, 256} : new int[] {128, 256})
                .setLearningRates(0.005f, 0.01f, 0.05f)
                .setBatchSizes(32, 64, 128)
                .setEpochs(10, 20, 30)
                .setWeightDecays(0f, 1e-5f, 1e-4f);
        if (name.equals("enhanced")) {
            b.optActivations(Mlp.Act.RELU, Mlp.Act.LEAKY_RELU, Mlp.Act.ELU, Mlp.Act.PRELU)
                    .optBatchNorm(false, true)
                    .optDropouts(0f, 0.2f, 0.3f);
        }
        return b.build();
    }

    /**
     * Runs the searches and appends one line per search to {@code results/pruned-search.log}; a full
     * search's trials (with their curves) are kept as {@code results/pruned-search-full-SPACE-trials.json}
     * for {@code halving_sim.py}. {@code pruned-search.sh} then writes the side-by-side summary.
     */
    private static void search(StringBuilder out, Halving halving, boolean both) throws java.io.IOException {
        try (ImageDataset fashion = Datasets.fashionMnist().optLimit(60_000, 10_000)
                .optNormalization(Normalization.CENTERED).load()) {
            Split split = fashion.split(0.2, 541);
            List<String> modes = both ? List.of("pruned", "full") : List.of("pruned");
            Path log = Path.of("benchmarks", "results", "pruned-search.log");
            for (String mode : modes) {
                for (String space : List.of("baseline", "enhanced")) {
                    Path runs = Path.of("build", "bench", "search-runs-" + mode + "-" + System.nanoTime());
                    Search.Builder b = Search.builder().setName("mlp-" + space)
                            .setTrials(space(space).sample(30, 541)).setData(split).optProgress(false)
                            .setFit(() -> Fit.builder().optOptimizer(Optim.sgd().optMomentum(0.9f)).optSeed(541)
                                    .optRunsDir(runs));
                    if (mode.equals("pruned")) {
                        b.optPruning(halving);
                    }
                    Search search = b.build();
                    SearchResults r = search.run();
                    int[] epochs = r.epochs();
                    String line = String.format(Locale.ROOT,
                            "%s  %-6s %-8s %s  wall %4.0f s  best val_accuracy %.4f  epochs trained %3d of %3d"
                                    + "  pruned %2d  threads %s  best: %s%n",
                            java.time.LocalDateTime.now().withNano(0).toString().replace('T', ' '), mode, space,
                            mode.equals("pruned") ? halving : "no pruning", r.wallSeconds(), r.best().valAccuracy(),
                            epochs[0], epochs[1], r.trials().stream().filter(TrialResult::pruned).count(),
                            System.getenv().getOrDefault("DLKIT_THREADS", "2"), r.best().trial().id());
                    out.append(line);
                    String before = Files.exists(log) ? Files.readString(log) : "";
                    AtomicFiles.writeString(log, before + line);
                    String tag = mode.equals("pruned")
                            ? "pruned-" + halving.minEpochs() + "-" + halving.reduction() + "-" + space : "full-" + space;
                    r.curves().saveTo(Path.of("benchmarks", "results"), "pruned-search-" + tag, "png");
                    if (mode.equals("full")) {
                        Files.copy(search.resultsFile(), Path.of("benchmarks", "results",
                                "pruned-search-full-" + space + "-trials.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    private static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (java.io.IOException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
