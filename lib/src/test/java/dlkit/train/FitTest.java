package dlkit.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dlkit.engine.Engines;
import dlkit.engine.TorchOps;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FitTest {

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
        NDArray[] train = Synthetic.blobs(manager, 300, 1);
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

    private static Fit.Builder base(Block block) {
        return Fit.builder()
                .setBlock(block)
                .setTrainData(x, y)
                .setLoss(Loss.softmaxCrossEntropyLoss())
                .optValidation(xVal, yVal)
                .addEvaluator(new Accuracy())
                .optOptimizer(Optim.adam())
                .optLearningRate(0.01f)
                .optEpochs(4)
                .optBatchSize(32)
                .optSeed(7)
                .optProgress(false)
                .optCache(false);
    }

    private static List<float[]> parameters(Run run) {
        List<float[]> values = new ArrayList<>();
        for (Pair<String, Parameter> p : run.block().getParameters()) {
            values.add(p.getValue().getArray().toFloatArray());
        }
        return values;
    }

    private static void assertSameParameters(List<float[]> a, List<float[]> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "parameter " + i);
        }
    }

    @Test
    void augmentationSeesEveryTrainingBatchReproducibly() {
        List<Long> draws = new ArrayList<>();
        dlkit.data.Augmentation noise = (images, random) -> {
            draws.add(random.nextLong());
            return images.add(random.nextFloat() * 0.01f);
        };
        FitListener fromTraining = new FitListener() {
            @Override
            public void onStart(Start start) {
                draws.clear(); // the run key's fingerprint applies it once before training
            }
        };
        List<Double> first;
        try (Run run = base(Synthetic.mlp()).optAugmentation(noise).addListener(fromTraining).build().run()) {
            assertEquals(40, draws.size(), "once per training batch, never for validation");
            assertTrue(run.config().contains("augmentation="), run.config());
            first = new ArrayList<>(run.history().batches().doubleColumn("loss").asList());
        }
        List<Long> firstDraws = new ArrayList<>(draws);
        try (Run run = base(Synthetic.mlp()).optAugmentation(noise).addListener(fromTraining).build().run()) {
            assertEquals(firstDraws, draws, "same seed, same augmentation randomness");
            assertEquals(first, run.history().batches().doubleColumn("loss").asList());
        }
    }

    @Test
    void trainsAndRecordsHistory() {
        try (Run run = base(Synthetic.mlp()).build().run()) {
            History h = run.history();
            assertEquals(4, h.epochs());
            assertEquals(List.of("epoch", "step", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr", "seconds"),
                    h.columns());
            assertEquals(4 * 10, h.batches().rowCount(), "10 batches of 32 (last 12) per epoch");
            assertEquals(40, h.last().getInt("step"));
            assertTrue(h.value("train_loss", 4) < h.value("train_loss", 1), "loss must fall");
            assertTrue(run.metric("val_accuracy") > 0.9, "separable blobs: " + run.metrics());
            assertTrue(h.value("seconds", 4) >= h.value("seconds", 1));
            assertTrue(h.toMimeBundle().get("text/html").contains(">val_accuracy</th>"));
            int best = h.best("val_loss").getInt("epoch");
            for (int e = 1; e <= 4; e++) {
                assertTrue(h.value("val_loss", best) <= h.value("val_loss", e));
            }
        }
    }

    @Test
    void sameSeedGivesIdenticalHistoryAndParameters() {
        try (Run a = base(Synthetic.mlp()).build().run();
                Run b = base(Synthetic.mlp()).build().run();
                Run c = base(Synthetic.mlp()).optSeed(8).build().run()) {
            assertTrue(a.history().sameResults(b.history()), "same seed, same history");
            assertSameParameters(parameters(a), parameters(b));
            assertFalse(a.history().sameResults(c.history()), "another seed must change the run");
        }
    }

    @Test
    void datasetPathMatchesResidentPath() {
        ArrayDataset data = new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(32, false).build();
        try (Run resident = base(Synthetic.mlp()).build().run();
                Run dataset = base(Synthetic.mlp()).setTrainData(data).build().run()) {
            assertTrue(resident.history().sameResults(dataset.history()));
        }
    }

    static List<Optim> everyOptimizer() {
        return List.of(Optim.sgd(), Optim.sgd().optMomentum(0.9f), Optim.nesterov().optMomentum(0.9f), Optim.adagrad(),
                Optim.rmsprop().optRho(0.9f).optEps(1e-6f).optMomentum(0.5f).optCentered(true), Optim.adam(), Optim.adamw().optWeightDecay(0.05f),
                Optim.custom("momentum of my own", 1, (w, g, s, lr, t) -> { // replaces its state array
                    s[0] = s[0].mul(0.9f).add(g);
                    w.subi(s[0].mul(lr));
                }));
    }

    @ParameterizedTest
    @MethodSource("everyOptimizer")
    void resumesAfterAbortMidEpochWithIdenticalResults(Optim optim) throws Exception {
        Fit.Builder plan = base(Synthetic.mlp()).optOptimizer(optim).optSchedule(Schedule.onPlateau(0.5f, 0)).optEpochs(4);
        try (Run whole = plan.optCache(false).build().run()) {
            FitListener abort = new FitListener() {
                @Override
                public void onBatch(int epoch, int batch, int step, float loss) {
                    if (epoch == 3 && batch == 4) {
                        throw new IllegalStateException("simulated crash");
                    }
                }
            };
            Fit.Builder interrupted = base(Synthetic.mlp())
                    .optOptimizer(optim)
                    .optSchedule(Schedule.onPlateau(0.5f, 0))
                    .optEpochs(4)
                    .optCache(true)
                    .optRunsDir(runs)
                    .addListener(abort);
            IllegalStateException crash = assertThrows(IllegalStateException.class, () -> interrupted.build().run());
            assertEquals("simulated crash", crash.getMessage());
            Path dir;
            try (var list = Files.list(runs)) {
                dir = list.findFirst().orElseThrow();
            }
            assertTrue(Files.exists(dir.resolve(RunStore.CHECKPOINT)), "checkpoint after epoch 2");
            assertFalse(Files.exists(dir.resolve(RunStore.MANIFEST)));

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Run resumed = captured(out, () -> base(Synthetic.mlp())
                    .optOptimizer(optim)
                    .optSchedule(Schedule.onPlateau(0.5f, 0))
                    .optEpochs(4).optCache(true).optRunsDir(runs).optProgress(true).build().run());
            try (resumed) {
                assertTrue(out.toString(StandardCharsets.UTF_8).contains("resuming"), out::toString);
                assertFalse(resumed.fromCache());
                assertTrue(whole.history().sameResults(resumed.history()), () -> whole.history() + "\n" + resumed.history());
                assertSameParameters(parameters(whole), parameters(resumed));
                assertFalse(Files.exists(dir.resolve(RunStore.CHECKPOINT)), "checkpoint removed when done");
            }
        }
    }

    /** A plain DJL loop (Trainer, DJL's own Adam, per-batch gathers) that fit must reproduce. */
    private static List<float[]> djlLoop(Block block, int epochs, int batch, long seed) {
        try (ai.djl.Model model = ai.djl.Model.newInstance("djl", ai.djl.Device.cpu())) {
            model.setBlock(block);
            Seeds.seedEngine(seed);
            block.initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, new Shape(batch).addAll(x.getShape().slice(1)));
            ai.djl.training.DefaultTrainingConfig config = new ai.djl.training.DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(ai.djl.training.optimizer.Optimizer.adam()
                            .optLearningRateTracker(ai.djl.training.tracker.Tracker.fixed(0.01f)).build());
            int n = (int) x.getShape().get(0);
            try (ai.djl.training.Trainer trainer = model.newTrainer(config)) {
                for (int epoch = 1; epoch <= epochs; epoch++) {
                    int[] order = Seeds.permutation(seed, epoch, n);
                    for (int from = 0; from < n; from += batch) {
                        try (NDManager m = trainer.getManager().newSubManager()) {
                            NDArray index = m.create(java.util.Arrays.copyOfRange(order, from, Math.min(n, from + batch)));
                            ai.djl.ndarray.NDList data = new ai.djl.ndarray.NDList(x.get(m, new ai.djl.ndarray.index.NDIndex("{}", index)));
                            ai.djl.ndarray.NDList labels = new ai.djl.ndarray.NDList(y.get(m, new ai.djl.ndarray.index.NDIndex("{}", index)));
                            try (ai.djl.training.GradientCollector gc = trainer.newGradientCollector()) {
                                gc.backward(Loss.softmaxCrossEntropyLoss().evaluate(labels, trainer.forward(data)));
                            }
                            trainer.step();
                        }
                    }
                }
            }
            List<float[]> values = new ArrayList<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                values.add(p.getValue().getArray().toFloatArray());
            }
            return values;
        }
    }

    private static Block denseNet() {
        return new ai.djl.nn.SequentialBlock()
                .add(Linear.builder().setUnits(16).build())
                .add(ai.djl.nn.Activation::relu)
                .add(Linear.builder().setUnits(3).build());
    }

    /**
     * A notebook cell runs in a fresh thread, where PyTorch's grad mode is on (the engine turns it
     * off only in the thread that loaded it). Weight decay and clipping there must not record
     * autograd history on the gradients: an in-place add of a recorded product gave each gradient a
     * history that grew every step (the MLP search's kernel grew by gigabytes). A gradient without
     * history cannot be backpropagated; with it, it can (DJL's requiresGrad does not show it).
     */
    @Test
    void gradientsCarryNoAutogradHistoryWhenTrainingInAFreshThread() throws Exception {
        List<String> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread cell = new Thread(() -> {
            try (Run run = base(Synthetic.mlp()).optEpochs(1).optWeightDecay(1e-3f).optClipGradNorm(0.5f)
                    .optOptimizer(Optim.sgd().optMomentum(0.9f)).build().run()) {
                for (Parameter p : run.block().getParameters().values()) {
                    try (NDArray grad = p.getArray().getGradient();
                            GradientCollector collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                        collector.backward(grad.sum());
                        outcomes.add(p.getName() + ": gradient has an autograd history");
                    } catch (ai.djl.engine.EngineException e) {
                        outcomes.add(e.getMessage().contains("does not require grad") ? "none" : e.getMessage());
                    }
                }
            } catch (Throwable t) {
                outcomes.add(t.toString());
            }
        });
        cell.start();
        cell.join();
        assertEquals(List.of("none", "none", "none", "none"), outcomes);
    }

    /**
     * The default cross-entropy runs fused (TorchOps); a weighted one is not that loss and must keep
     * DJL's: with weight 0.5 the first batch's loss (same initial model, same batch) is half the default's.
     */
    @Test
    void aCrossEntropyWithOtherSettingsIsNotReplacedByTheFusedOne() {
        try (Run plain = base(Synthetic.mlp()).optEpochs(1).build().run();
                Run halved = base(Synthetic.mlp()).optEpochs(1)
                        .setLoss(new ai.djl.training.loss.SoftmaxCrossEntropyLoss("half", 0.5f, -1, true, true))
                        .build().run()) {
            double first = plain.history().batches().doubleColumn("loss").get(0);
            assertEquals(0.5 * first, halved.history().batches().doubleColumn("loss").get(0), 1e-6 * first);
        }
    }

    @Test
    void fitMatchesAPlainDjlLoopWithDjlsAdam() {
        // 300 examples, batch 32: 10 batches per epoch, the last one short; 3 epochs
        List<float[]> expected = djlLoop(denseNet(), 3, 32, 7);
        try (Run run = base(denseNet()).optValidation(null, null).optEpochs(3).build().run()) {
            List<float[]> actual = parameters(run);
            for (int i = 0; i < expected.size(); i++) {
                float[] e = expected.get(i);
                float[] a = actual.get(i);
                for (int j = 0; j < e.length; j++) {
                    assertEquals(e[j], a[j], 1e-5f * Math.max(1, Math.abs(e[j])), "parameter " + i + " element " + j);
                }
            }
        }
    }

    /** A small conv net on random images with {@code channels} channels, trained for 2 epochs. */
    private static List<float[]> convFit(int channels) {
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(3);
            NDArray images = m.randomNormal(new Shape(96, channels, 8, 8));
            NDArray labels = m.randomInteger(0, 3, new Shape(96), ai.djl.ndarray.types.DataType.INT32)
                    .toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            Block net = new ai.djl.nn.SequentialBlock()
                    .add(ai.djl.nn.convolutional.Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                            .setFilters(4).optBias(false).build()) // a bias before batch norm gets only rounding noise
                    .add(ai.djl.nn.norm.BatchNorm.builder().build())
                    .add(ai.djl.nn.Activation.reluBlock())
                    .add(ai.djl.nn.pooling.Pool.maxPool2dBlock(new Shape(2, 2)))
                    .add(ai.djl.nn.Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(3).build());
            try (Run run = Fit.builder().setBlock(net).setTrainData(images, labels).setLoss(Loss.softmaxCrossEntropyLoss())
                    .optValidation(images, labels).optOptimizer(Optim.adam()).optLearningRate(0.01f).optEpochs(2)
                    .optBatchSize(32).optSeed(7).optProgress(false).optCache(false).build().run()) {
                return parameters(run);
            }
        }
    }

    @Test
    void channelsLastBatchesTrainTheSameModel() {
        assertTrue(TorchOps.available(), "the channels-last path is tested");
        for (int channels : new int[] {1, 3}) {
            List<float[]> fast = convFit(channels);
            List<float[]> plain;
            System.setProperty("dlkit.channelsLast", "false");
            try {
                plain = convFit(channels);
            } finally {
                System.clearProperty("dlkit.channelsLast");
            }
            for (int i = 0; i < plain.size(); i++) {
                for (int j = 0; j < plain.get(i).length; j++) {
                    float e = plain.get(i)[j];
                    assertEquals(e, fast.get(i)[j], 1e-4f * Math.max(1, Math.abs(e)),
                            channels + " channels, parameter " + i + " element " + j + ": float rounding only");
                }
            }
        }
    }

    @Test
    void channelsLastKeepsShapeAndValues() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(2 * 3 * 4 * 5f).reshape(2, 3, 4, 5);
            NDArray y = TorchOps.channelsLast(x, m);
            assertEquals(x.getShape(), y.getShape());
            assertArrayEquals(x.toFloatArray(), y.toFloatArray());
            NDArray flat = m.ones(new Shape(2, 5));
            assertTrue(flat == TorchOps.channelsLast(flat, m), "other ranks are returned as they are");
            assertTrue(TorchOps.hasConvolution(dlkit.models.MnistCnn.builder().build()), "found in nested blocks");
            assertFalse(TorchOps.hasConvolution(Synthetic.mlp()), "an MLP gets its batches as they are");
        }
    }

    @Test
    void interruptStopsTrainingCleanly() {
        FitListener interrupt = new FitListener() {
            @Override
            public void onBatch(int epoch, int batch, int step, float loss) {
                if (step == 3) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        java.util.concurrent.CancellationException e = assertThrows(java.util.concurrent.CancellationException.class,
                () -> base(Synthetic.mlp()).addListener(interrupt).build().run());
        assertTrue(Thread.interrupted(), "the interrupt stays visible to the caller");
        assertTrue(e.getMessage().contains("epoch 1, batch 4"), e.getMessage());
    }

    @Test
    void cacheReturnsStoredRunAndRetrainsOnRequestOrDamage() throws Exception {
        Fit.Builder cached = base(Synthetic.mlp()).optCache(true).optRunsDir(runs).optName("blobs");
        try (Run first = cached.build().run()) {
            assertFalse(first.fromCache());
            Path dir = first.directory().orElseThrow();
            assertTrue(dir.getFileName().toString().startsWith("blobs-"));
            for (String f : List.of("params.bin", "history.csv", "batches.csv", "metrics.json", "provenance.json", "manifest.json")) {
                assertTrue(Files.exists(dir.resolve(f)), f);
            }
            assertTrue(Files.readString(dir.resolve("provenance.json")).contains("sha256:"));

            long t0 = System.nanoTime();
            try (Run hit = base(Synthetic.mlp()).optCache(true).optRunsDir(runs).optName("blobs").build().run()) {
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertTrue(hit.fromCache());
                assertTrue(seconds < 2, "cache hit took " + seconds + " s");
                assertTrue(first.history().sameResults(hit.history()));
                assertEquals(first.history().value("seconds", 4), hit.history().value("seconds", 4), 1e-9);
                assertEquals(first.metrics(), hit.metrics());
                assertSameParameters(parameters(first), parameters(hit));
            }

            try (Run forced = base(Synthetic.mlp()).optCache(true).optRunsDir(runs).optName("blobs").optRetrain().build().run()) {
                assertFalse(forced.fromCache());
                assertTrue(first.history().sameResults(forced.history()));
            }

            byte[] params = Files.readAllBytes(dir.resolve("params.bin"));
            params[params.length / 2] ^= 0x55;
            Files.write(dir.resolve("params.bin"), params);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Run repaired = captured(out, () -> base(Synthetic.mlp()).optCache(true).optRunsDir(runs).optName("blobs").build().run());
            try (repaired) {
                assertFalse(repaired.fromCache(), "a damaged entry is retrained");
                assertTrue(out.toString(StandardCharsets.UTF_8).contains("params.bin does not match its checksum"), out::toString);
                assertSameParameters(parameters(first), parameters(repaired));
            }
            try (Run again = base(Synthetic.mlp()).optCache(true).optRunsDir(runs).optName("blobs").build().run()) {
                assertTrue(again.fromCache(), "the retrained entry is stored again");
            }
            try (Run other = base(Synthetic.mlp()).optCache(true).optRunsDir(runs).optName("blobs").optLearningRate(0.02f).build().run()) {
                assertFalse(other.fromCache(), "another learning rate is another run");
                assertNotEquals(first.key(), other.key());
            }
        }
    }

    @Test
    void theSameComputationUnderAnotherNameIsReadFromTheCache() throws Exception {
        try (Run first = base(Synthetic.mlp()).optCache(true).optRunsDir(runs).optName("sweep-cell").build().run()) {
            Path dir = first.directory().orElseThrow();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Run renamed = captured(out, () -> base(Synthetic.mlp()).optCache(true).optRunsDir(runs).optName("comparison-run")
                    .optProgress(true).build().run());
            try (renamed) {
                assertTrue(renamed.fromCache(), "the key leaves the name out");
                assertEquals(dir, renamed.directory().orElseThrow(), "read where it is stored, not copied");
                assertFalse(Files.exists(runs.resolve("comparison-run-" + first.key())), "no folder of its own");
                assertTrue(out.toString(StandardCharsets.UTF_8).contains("comparison-run-" + first.key()
                        + " is the same computation as sweep-cell-" + first.key()), out::toString);
                assertTrue(first.history().sameResults(renamed.history()));
                assertSameParameters(parameters(first), parameters(renamed));
            }
            try (Run other = base(Synthetic.mlp()).optCache(true).optRunsDir(runs).optName("comparison-run").optSeed(8).build().run()) {
                assertFalse(other.fromCache(), "another seed is another computation, whatever the name");
            }
            try (Run forced = base(Synthetic.mlp()).optCache(true).optRunsDir(runs).optName("comparison-run").optRetrain().build().run()) {
                assertFalse(forced.fromCache(), "optRetrain trains");
                assertNotEquals(dir, forced.directory().orElseThrow());
            }
            byte[] params = Files.readAllBytes(dir.resolve("params.bin"));
            params[params.length / 2] ^= 0x55;
            Files.write(dir.resolve("params.bin"), params);
            out.reset();
            Run third = captured(out, () -> base(Synthetic.mlp()).optCache(true).optRunsDir(runs).optName("third").build().run());
            try (third) {
                // the first finished entry in name order is the comparison-run one, intact: read from there
                assertTrue(third.fromCache());
                assertTrue(third.directory().orElseThrow().getFileName().toString().startsWith("comparison-run-"));
            }
            Files.walk(third.directory().orElseThrow()).sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
            out.reset();
            Run fourth = captured(out, () -> base(Synthetic.mlp()).optCache(true).optRunsDir(runs).optName("fourth").build().run());
            try (fourth) {
                assertFalse(fourth.fromCache(), "a damaged entry of another name is not read");
                assertTrue(out.toString(StandardCharsets.UTF_8).contains("training this fit instead"), out::toString);
                assertTrue(Files.exists(dir.resolve("manifest.json")), "another name's damaged entry is left alone");
            }
        }
    }

    @Test
    void theBatchOrderCanBeReadAndSet() {
        try (Run shuffled = base(Synthetic.mlp()).build().run();
                Run same = base(Synthetic.mlp()).optBatchOrder((epoch, n) -> Fit.shuffledOrder(7, epoch, n)).build().run();
                Run reversed = base(Synthetic.mlp()).optBatchOrder((epoch, n) -> {
                    int[] order = new int[n];
                    for (int i = 0; i < n; i++) {
                        order[i] = n - 1 - i;
                    }
                    return order;
                }).build().run()) {
            assertTrue(shuffled.history().sameResults(same.history()), "Fit.shuffledOrder is the order fit uses");
            assertFalse(shuffled.history().sameResults(reversed.history()));
            assertNotEquals(same.key(), reversed.key());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> base(Synthetic.mlp()).optBatchOrder((epoch, n) -> new int[n]).build().run());
        assertTrue(e.getMessage().contains("gives index 0 twice"), e.getMessage());
    }

    @Test
    void weightDecaySparesBiases() {
        // One step from identical initial parameters: the bias gradient does not depend on the
        // decay, so the bias must come out identical while the weights differ.
        Fit.Builder oneStep = base(Linear.builder().setUnits(3).build())
                .optOptimizer(Optim.sgd()).optEpochs(1).optBatchSize(300).optLearningRate(0.5f);
        try (Run plain = oneStep.build().run();
                Run decayed = base(Linear.builder().setUnits(3).build())
                        .optOptimizer(Optim.sgd()).optEpochs(1).optBatchSize(300).optLearningRate(0.5f)
                        .optWeightDecay(0.5f).build().run()) {
            float[] biasPlain = plain.block().getParameters().get("bias").getArray().toFloatArray();
            float[] biasDecayed = decayed.block().getParameters().get("bias").getArray().toFloatArray();
            assertArrayEquals(biasPlain, biasDecayed, "bias must not be decayed");
            float[] wPlain = plain.block().getParameters().get("weight").getArray().toFloatArray();
            float[] wDecayed = decayed.block().getParameters().get("weight").getArray().toFloatArray();
            double normPlain = 0;
            double normDecayed = 0;
            for (int i = 0; i < wPlain.length; i++) {
                normPlain += wPlain[i] * wPlain[i];
                normDecayed += wDecayed[i] * wDecayed[i];
            }
            assertTrue(normDecayed < normPlain, "weights must shrink under decay");
        }
    }

    @Test
    void gradientClippingBoundsTheStepToTheGivenNorm() {
        // One plain SGD step with rate 1 from the same start: the step is minus the (clipped) gradient.
        Fit.Builder oneStep = base(Synthetic.mlp()).optOptimizer(Optim.sgd()).optLearningRate(1f).optEpochs(1)
                .optBatchSize(300).optShuffle(false);
        List<float[]> start;
        try (Run none = base(Synthetic.mlp()).optOptimizer(Optim.sgd()).optLearningRate(1e-30f).optEpochs(1)
                .optBatchSize(300).optShuffle(false).build().run()) {
            start = parameters(none); // a step of 1e-30 leaves the seeded initial values
        }
        try (Run plain = oneStep.build().run();
                Run clipped = base(Synthetic.mlp()).optOptimizer(Optim.sgd()).optLearningRate(1f).optEpochs(1)
                        .optBatchSize(300).optShuffle(false).optClipGradNorm(0.05f).build().run()) {
            double plainNorm = stepNorm(start, parameters(plain));
            double clippedNorm = stepNorm(start, parameters(clipped));
            assertTrue(plainNorm > 0.05, "the unclipped step is larger than the limit: " + plainNorm);
            assertEquals(0.05, clippedNorm, 1e-4, "the clipped step has exactly the limit's norm");
        }
    }

    private static double stepNorm(List<float[]> before, List<float[]> after) {
        double sum = 0;
        for (int i = 0; i < before.size(); i++) {
            for (int j = 0; j < before.get(i).length; j++) {
                double d = after.get(i)[j] - before.get(i)[j];
                sum += d * d;
            }
        }
        return Math.sqrt(sum);
    }

    @Test
    void aLoneLastExampleJoinsTheBatchBeforeItWhenTheModelHasBatchNorm() {
        NDArray x257 = x.get("0:257");
        NDArray y257 = y.get("0:257");
        dlkit.models.Mlp normed = dlkit.models.Mlp.builder().setHidden(8).setOutputs(Synthetic.CLASSES)
                .optBatchNorm(true).build();
        try (Run run = base(normed).setTrainData(x257, y257).optBatchSize(128).optEpochs(2).build().run();
                Run plain = base(Synthetic.mlp()).setTrainData(x257, y257).optBatchSize(128).optEpochs(2).build().run()) {
            assertEquals(4, run.history().batches().rowCount(), "two batches an epoch: 128 and 129 examples");
            assertTrue(Double.isFinite(run.metric("train_loss")));
            assertEquals(6, plain.history().batches().rowCount(), "without batch norm the last batch of 1 stays");
        }
        assertMessage("cannot train on batches of one example", () -> base(normed).optBatchSize(1).build().run());
    }

    @Test
    void nonFiniteLossStopsAndKeepsHistory() {
        float[] values = x.toFloatArray();
        values[70 * Synthetic.FEATURES] = Float.NaN; // example 70: batch 3 of epoch 1 without shuffling
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray poisoned = m.create(values, x.getShape());
            // Resident data is scanned before training; a dataset only in its first 256 examples, so
            // a NaN after them shows the stop in the middle of an epoch.
            assertMessage("the first in example 70", () -> base(Synthetic.mlp()).setTrainData(poisoned, y).build().run());
            float[] late = x.toFloatArray();
            late[290 * Synthetic.FEATURES] = Float.NaN;
            ArrayDataset dataset = new ArrayDataset.Builder().setData(m.create(late, x.getShape())).optLabels(y)
                    .setSampling(32, false).build();
            try (Run run = base(Synthetic.mlp()).setTrainData(dataset).optShuffle(false).build().run()) {
                String message = run.divergence().orElseThrow();
                assertTrue(message.contains("epoch 1, batch 10"), message);
                assertEquals(0, run.history().epochs());
                assertEquals(10, run.history().batches().rowCount(), "losses up to the bad batch are kept");
            }
        }
        // divergence after some epochs: history keeps the completed epochs
        try (Run run = base(Synthetic.mlp()).optOptimizer(Optim.sgd()).optLearningRate(1e4f).optEpochs(20).build().run()) {
            assertTrue(run.divergence().isPresent(), "lr 1e4 must diverge");
            assertTrue(run.divergence().get().matches(".*epoch \\d+, batch \\d+.*"));
        }
    }

    @Test
    void badInputGetsClearMessages() {
        assertMessage("learning rate must be positive", () -> base(Synthetic.mlp()).optLearningRate(0).build());
        assertMessage("batch size must be positive", () -> base(Synthetic.mlp()).optBatchSize(0).build());
        assertMessage("epochs must be positive", () -> base(Synthetic.mlp()).optEpochs(-1).build());
        assertMessage("no loss", () -> Fit.builder().setBlock(Synthetic.mlp()).setTrainData(x, y).build());
        assertMessage("300 examples but labels have 90", () -> base(Synthetic.mlp()).setTrainData(x, yVal).build());
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray empty = m.zeros(new Shape(0, Synthetic.FEATURES));
            assertMessage("data is empty", () -> base(Synthetic.mlp()).setTrainData(empty, m.zeros(new Shape(0))).build());
            ArrayDataset none = new ArrayDataset.Builder().setData(empty).optLabels(m.zeros(new Shape(0))).setSampling(8, false).build();
            assertMessage("data is empty", () -> base(Synthetic.mlp()).setTrainData(none).build());
        }
        assertMessage("Wrong class count: labels go up to 2", () -> base(Linear.builder().setUnits(2).build()).build().run());
        ai.djl.nn.SequentialBlock conv = new ai.djl.nn.SequentialBlock()
                .add(ai.djl.nn.convolutional.Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(4).build());
        assertMessage("features have shape (32, 8)", () -> base(conv).build().run());
        assertMessage("Shape mismatch between model output (8, 3) and labels (8)",
                () -> base(Synthetic.mlp()).setLoss(Loss.l2Loss()).build().run());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    private static Run captured(ByteArrayOutputStream out, java.util.function.Supplier<Run> action) {
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            return action.get();
        } finally {
            System.setOut(old);
        }
    }
}
