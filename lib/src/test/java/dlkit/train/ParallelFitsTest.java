package dlkit.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import dlkit.engine.Engines;
import dlkit.models.UniformDropout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fits trained side by side give what each gives alone, and come back in order. */
class ParallelFitsTest {

    static NDManager manager;
    static NDArray x;
    static NDArray y;
    static NDArray xVal;
    static NDArray yVal;

    @TempDir Path runs;

    @BeforeAll
    static void data() {
        Engines.startQuietly();
        manager = NDManager.newBaseManager();
        NDArray[] train = Synthetic.blobs(manager, 600, 1);
        NDArray[] val = Synthetic.blobs(manager, 90, 2);
        x = train[0];
        y = train[1];
        xVal = val[0];
        yVal = val[1];
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @AfterEach
    void oneByOneAgain() {
        System.clearProperty("dlkit.parallelRuns");
    }

    /** 8-32-3 MLP with dlkit's dropout, which draws from the epoch's stream. */
    static Block streamDropoutMlp() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(32).build())
                .add(Activation::relu)
                .add(new UniformDropout(0.3f))
                .add(Linear.builder().setUnits(Synthetic.CLASSES).build());
    }

    /** The optimizer of every fit of a test. */
    private Optim optim = Optim.adam();

    private Fit fit(Block block, long seed, String name, Path dir) {
        return Fit.builder().setBlock(block).setTrainData(x, y).setLoss(Loss.softmaxCrossEntropyLoss())
                .optValidation(xVal, yVal).addEvaluator(new Accuracy()).optOptimizer(optim)
                .optLearningRate(0.01f).optEpochs(3).optBatchSize(16).optSeed(seed).optName(name)
                .optRunsDir(dir).optProgress(false).build();
    }

    /** Each run's per-batch losses and final parameters, in the order runEach gave them. */
    private List<float[]> runAll(String parallelRuns, Supplier<Block> model, Path dir) {
        System.setProperty("dlkit.parallelRuns", parallelRuns);
        List<Fit> fits = new ArrayList<>();
        for (long seed = 1; seed <= 4; seed++) {
            fits.add(fit(model.get(), seed, "seed" + seed, dir));
        }
        List<float[]> out = new ArrayList<>();
        Fit.runEach(fits, run -> {
            assertFalse(run.fromCache());
            out.add(losses(run));
            out.add(parameters(run.block()));
        });
        return out;
    }

    private static float[] losses(Run run) {
        double[] d = run.history().batches().doubleColumn("loss").asDoubleArray();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static float[] parameters(Block block) {
        List<Float> all = new ArrayList<>();
        block.getParameters().values().forEach(p -> {
            for (float v : p.getArray().toFloatArray()) {
                all.add(v);
            }
        });
        float[] f = new float[all.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = all.get(i);
        }
        return f;
    }

    @Test
    void sideBySideEqualsOneByOne() {
        int threads = JniUtils.getNumThreads();
        List<float[]> alone = runAll("1", ParallelFitsTest::streamDropoutMlp, runs.resolve("alone"));
        List<float[]> together = runAll("2", ParallelFitsTest::streamDropoutMlp, runs.resolve("together"));
        assertEquals(8, together.size());
        for (int i = 0; i < alone.size(); i++) {
            assertArrayEquals(alone.get(i), together.get(i), "run " + (i / 2 + 1) + (i % 2 == 0 ? " losses" : " parameters"));
        }
        assertFalse(java.util.Arrays.equals(alone.get(0), alone.get(2)), "seeds 1 and 2 trained alike");
        assertEquals(threads, JniUtils.getNumThreads(), "the session's thread count is restored");
        // and a single fit run on its own gives the same again
        try (Run run = fit(streamDropoutMlp(), 3, "seed3", runs.resolve("single")).run()) {
            assertArrayEquals(alone.get(4), losses(run));
        }
    }

    @Test
    void aCustomOptimizerThatDrawsNoiseSideBySideEqualsOneByOne() {
        optim = Optim.custom("noisy sgd", 0, (w, g, s, lr, t) -> w.subi(g.mul(lr))
                .addi(w.getManager().randomNormal(0f, 0.01f, w.getShape(), w.getDataType())));
        List<float[]> alone = runAll("1", ParallelFitsTest::streamDropoutMlp, runs.resolve("alone"));
        List<float[]> together = runAll("2", ParallelFitsTest::streamDropoutMlp, runs.resolve("together"));
        for (int i = 0; i < alone.size(); i++) {
            assertArrayEquals(alone.get(i), together.get(i), "run " + (i / 2 + 1) + (i % 2 == 0 ? " losses" : " parameters"));
        }
    }

    @Test
    void fitsWhoseDrawsBypassTheStreamsTrainAloneAndStillMatch() {
        // DJL's Dropout draws from libtorch's generator directly: the probe finds it, the fit trains alone.
        List<float[]> alone = runAll("1", Synthetic::mlp, runs.resolve("alone"));
        List<float[]> together = runAll("2", Synthetic::mlp, runs.resolve("together"));
        for (int i = 0; i < alone.size(); i++) {
            assertArrayEquals(alone.get(i), together.get(i));
        }
    }

    @Test
    void batchNormTrainsSideBySideAndEqualsOneByOne() {
        Supplier<Block> model = () -> dlkit.models.Mlp.builder().setHidden(32).optBatchNorm(true).optDropout(0.3f)
                .setOutputs(Synthetic.CLASSES).build();
        // BatchNorm's batch statistics are sums that libtorch splits over threads: compare one by one on
        // the threads each of two runs side by side gets
        int threads = JniUtils.getNumThreads();
        List<float[]> alone;
        try {
            JniUtils.setNumThreads(Math.max(1, dlkit.engine.Engines.startQuietly().threads() / 2));
            alone = runAll("1", model, runs.resolve("bn-alone"));
        } finally {
            JniUtils.setNumThreads(threads);
        }
        List<float[]> together = runAll("2", model, runs.resolve("bn-together"));
        for (int i = 0; i < alone.size(); i++) {
            assertArrayEquals(alone.get(i), together.get(i), "run " + (i / 2 + 1) + (i % 2 == 0 ? " losses" : " parameters"));
        }
    }

    @Test
    void theProbeTellsStreamDrawsFromOtherDraws() {
        assertFalse(probe(streamDropoutMlp()), "dlkit's dropout draws from the stream");
        assertTrue(probe(Synthetic.mlp()), "DJL's dropout draws from the generator directly");
        assertFalse(probe(new SequentialBlock().add(Linear.builder().setUnits(3).build())), "no draws at all");
        // training updates BatchNorm's running statistics, which inference then uses: a state, not a draw
        assertFalse(probe(dlkit.models.Mlp.builder().setHidden(8, 8).optBatchNorm(true).optDropout(0.2f)
                .setOutputs(3).build()), "BatchNorm and dlkit's dropout");
    }

    private boolean probe(Block block) {
        Fit fit = fit(block, 1, "probe", runs);
        try (Model model = Model.newInstance("probe")) {
            model.setBlock(block);
            FitRunner.initialize(fit, model);
            return ParallelFits.drawsOutsideStreams(fit, model.getNDManager());
        }
    }

    @Test
    void runsComeInListOrderAndAreCachedUnderTheirNames() {
        System.setProperty("dlkit.parallelRuns", "3");
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<Fit> fits = new ArrayList<>();
        for (long seed = 1; seed <= 5; seed++) {
            Fit f = Fit.builder().setBlock(streamDropoutMlp()).setTrainData(x, y)
                    .setLoss(Loss.softmaxCrossEntropyLoss()).optEpochs(1 + (int) (seed % 2)).optBatchSize(16)
                    .optSeed(seed).optName("order" + seed).optRunsDir(runs).optProgress(false)
                    .addListener(new FitListener() {
                        @Override
                        public void onBatch(int epoch, int batch, int step, float loss) {
                            threads.add(Thread.currentThread().getName());
                        }
                    }).build();
            fits.add(f);
        }
        List<String> names = new ArrayList<>();
        Fit.runEach(fits, run -> names.add(run.directory().orElseThrow().getFileName().toString().replaceAll("-.*", "")));
        assertEquals(List.of("order1", "order2", "order3", "order4", "order5"), names);
        assertTrue(threads.size() > 1, "trained in several threads: " + threads);
        List<String> again = new ArrayList<>();
        Fit.runEach(fits, run -> {
            assertTrue(run.fromCache());
            again.add(run.directory().orElseThrow().getFileName().toString().replaceAll("-.*", ""));
        });
        assertEquals(names, again);
    }

    @Test
    void aFailureStopsTheOthersAndReachesTheCaller() {
        System.setProperty("dlkit.parallelRuns", "2");
        List<Fit> fits = new ArrayList<>();
        for (long seed = 1; seed <= 3; seed++) {
            fits.add(Fit.builder().setBlock(streamDropoutMlp()).setTrainData(x, y)
                    .setLoss(Loss.softmaxCrossEntropyLoss()).optEpochs(2).optBatchSize(16).optSeed(seed)
                    .optName("fail" + seed).optRunsDir(runs).optProgress(false).build());
        }
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> Fit.runEach(fits, run -> {
                    throw new IllegalStateException("the caller's table is full");
                }));
        assertEquals("the caller's table is full", thrown.getMessage());
        assertEquals(JniUtils.getNumThreads(), Engines.startQuietly().threads());
    }

    private List<Fit> stoppable(Path dir, FitListener listener) {
        List<Fit> list = new ArrayList<>();
        for (long seed = 1; seed <= 3; seed++) {
            Fit.Builder b = Fit.builder().setBlock(streamDropoutMlp()).setTrainData(x, y)
                    .setLoss(Loss.softmaxCrossEntropyLoss()).optEpochs(8).optBatchSize(16).optSeed(seed)
                    .optName("stop" + seed).optRunsDir(dir).optProgress(false);
            list.add((listener == null ? b : b.addListener(listener)).build());
        }
        return list;
    }

    @Test
    void anInterruptStopsEveryFitAndTheSameCallResumesThem() throws Exception {
        System.setProperty("dlkit.parallelRuns", "2");
        Throwable[] caught = {null};
        Thread[] cell = {null};
        FitListener interruptAtEpoch3 = new FitListener() { // as the kernel's interrupt button does
            @Override
            public void onEpoch(int epoch, History history, Block block) {
                if (epoch == 3) {
                    cell[0].interrupt();
                }
            }
        };
        List<Fit> first = stoppable(runs.resolve("stopped"), interruptAtEpoch3);
        cell[0] = new Thread(() -> {
            try {
                Fit.runEach(first, run -> {});
            } catch (Throwable t) {
                caught[0] = t;
            }
        });
        cell[0].start();
        cell[0].join(60_000);
        assertFalse(cell[0].isAlive(), "the fits stopped");
        assertTrue(caught[0] instanceof java.util.concurrent.CancellationException, String.valueOf(caught[0]));
        assertEquals(Engines.startQuietly().threads(), JniUtils.getNumThreads());

        List<float[]> resumed = new ArrayList<>();
        Fit.runEach(stoppable(runs.resolve("stopped"), null), run -> {
            assertFalse(run.fromCache());
            resumed.add(losses(run));
        });
        List<float[]> whole = new ArrayList<>(); // the same fits never stopped, in another runs folder
        Fit.runEach(stoppable(runs.resolve("whole"), null), run -> whole.add(losses(run)));
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(whole.get(i), resumed.get(i), "fit " + (i + 1) + " resumed as if never stopped");
        }
    }

    @Test
    void aSharedBlockTrainsOneByOne() {
        System.setProperty("dlkit.parallelRuns", "2");
        Block shared = streamDropoutMlp();
        List<Fit> fits = List.of(fit(shared, 1, "shared1", runs), fit(shared, 2, "shared2", runs));
        List<Block> blocks = new ArrayList<>();
        Fit.runEach(fits, run -> blocks.add(run.block()));
        assertSame(shared, blocks.get(0));
        assertSame(shared, blocks.get(1));
    }

    @Test
    void aBadSettingIsNamed() {
        System.setProperty("dlkit.parallelRuns", "two");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Engines::parallelRuns);
        assertTrue(e.getMessage().contains("DLKIT_PARALLEL_RUNS"), e.getMessage());
        assertNotEquals(0, Engines.startQuietly().threads());
    }
}
