package dlkit.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import dlkit.data.Examples;
import dlkit.engine.Engines;
import dlkit.train.EarlyStopping;
import dlkit.train.Fit;
import dlkit.train.FitListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class GridTest {

    static NDManager manager;
    static NDArray x;
    static NDArray y;

    @TempDir Path runs;

    @BeforeAll
    static void data() {
        Engines.startQuietly();
        manager = NDManager.newBaseManager();
        Random random = new Random(2);
        float[] features = new float[240 * 4];
        float[] labels = new float[240];
        for (int i = 0; i < 240; i++) {
            labels[i] = i % 2;
            for (int j = 0; j < 4; j++) {
                features[i * 4 + j] = (float) random.nextGaussian() + (j == 0 ? 2 * labels[i] : 0);
            }
        }
        x = manager.create(features, new Shape(240, 4));
        y = manager.create(labels);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private Grid grid(AtomicInteger trained) {
        return Grid.builder()
                .setName("toy")
                .setFit(() -> Fit.builder().setTrainData(x.get("0:180"), y.get("0:180"))
                        .optValidation(x.get("180:"), y.get("180:")).setLoss(Loss.softmaxCrossEntropyLoss())
                        .addEvaluator(new Accuracy()).optEpochs(6).optBatchSize(30).optSeed(1).optRunsDir(runs)
                        .optEarlyStopping(EarlyStopping.on("val_loss").optPatience(2))
                        .addListener(new FitListener() {
                            @Override
                            public void onStart(Start start) {
                                trained.incrementAndGet();
                            }
                        }))
                .addAxis("units", 4, 16)
                .addAxis("lr", 0.01f, 0.1f)
                .setModel(c -> new SequentialBlock().add(Linear.builder().setUnits(c.getInt("units")).build())
                        .add(Activation::relu).add(Linear.builder().setUnits(2).build()))
                .optChange((c, f) -> f.optLearningRate(c.getFloat("lr")))
                .optCompare("val_accuracy")
                .optProgress(false)
                .build();
    }

    @Test
    void everyCombinationIsOneRowWithItsValuesAndMetrics() {
        AtomicInteger trained = new AtomicInteger();
        GridResults results = grid(trained).run();
        Table t = results.table();
        assertEquals(4, t.rowCount());
        assertEquals(List.of(4, 4, 16, 16), t.intColumn("units").asList());
        assertEquals(List.of(0.01, 0.1, 0.01, 0.1), t.doubleColumn("lr").asList());
        assertTrue(t.columnNames().containsAll(List.of("parameters", "epochs", "seconds", "final_train_loss",
                "final_val_accuracy", "best_val_accuracy", "best_epoch", "stopped_early")), t.columnNames().toString());
        assertEquals(4 * 4 + 4 + 4 * 2 + 2, t.longColumn("parameters").get(0), "4-4-2 network: weights and biases");
        assertEquals(4, trained.get());
        assertTrue(results.ranked().doubleColumn("best_val_accuracy").get(0)
                >= results.ranked().doubleColumn("best_val_accuracy").get(3));
        assertTrue(results.figure().image(1).getWidth() > 0 && results.curves("loss").image(1).getWidth() > 0);
        assertEquals(4, results.histories().size());

        AtomicInteger again = new AtomicInteger();
        GridResults cached = grid(again).run();
        assertEquals(0, again.get(), "a second run reads every configuration from the run cache");
        assertEquals(t.doubleColumn("final_val_loss").asList(), cached.table().doubleColumn("final_val_loss").asList());
        assertEquals(results.best(), cached.best());
    }

    @Test
    void heldOutExamplesAreScoredWithEachFitsLossAndMetrics() {
        Examples test = new Examples(x.get("180:"), y.get("180:"), "toy test");
        GridResults results = Grid.builder().setName("toy-test")
                .setFit(() -> Fit.builder().setTrainData(x.get("0:180"), y.get("0:180"))
                        .setLoss(Loss.softmaxCrossEntropyLoss()).addEvaluator(new Accuracy()).optEpochs(3)
                        .optBatchSize(30).optSeed(1).optRunsDir(runs))
                .addAxis("units", 2, 16)
                .setModel(c -> new SequentialBlock().add(Linear.builder().setUnits(c.getInt("units")).build())
                        .add(Activation::relu).add(Linear.builder().setUnits(2).build()))
                .optTest(test).optCompare("train_loss").optProgress(false).build().run();
        Table ranked = results.ranked("test_loss");
        assertTrue(ranked.columnNames().containsAll(List.of("test_loss", "test_accuracy")), ranked.columnNames().toString());
        assertTrue(ranked.doubleColumn("test_loss").get(0) <= ranked.doubleColumn("test_loss").get(1));
        double accuracy = ranked.doubleColumn("test_accuracy").get(0);
        assertTrue(accuracy > 0.6 && accuracy <= 1, "a trained model scores above chance on held-out data: " + accuracy);
        assertThrows(IllegalArgumentException.class, () -> results.ranked("test_f1"));
    }

    @Test
    void aPrunedGridStopsTheWorstAtEachRungAndScoresTheRest() {
        Examples test = new Examples(x.get("180:"), y.get("180:"), "toy test");
        AtomicInteger fits = new AtomicInteger();
        java.util.function.Supplier<Grid> grid = () -> Grid.builder().setName("toy-pruned")
                .setFit(() -> Fit.builder().setTrainData(x.get("0:120"), y.get("0:120"))
                        .optValidation(x.get("120:180"), y.get("120:180")).setLoss(Loss.softmaxCrossEntropyLoss())
                        .addEvaluator(new Accuracy()).optEpochs(4).optBatchSize(30).optSeed(1).optRunsDir(runs)
                        .addListener(new FitListener() {
                            @Override
                            public void onStart(Start start) {
                                fits.incrementAndGet();
                            }
                        }))
                .addAxis("units", 2, 16)
                .addAxis("lr", 0.001f, 0.01f, 0.1f)
                .setModel(c -> new SequentialBlock().add(Linear.builder().setUnits(c.getInt("units")).build())
                        .add(Activation::relu).add(Linear.builder().setUnits(2).build()))
                .optChange((c, f) -> f.optLearningRate(c.getFloat("lr")))
                .optPruning(Halving.of(1, 3))
                .optTest(test).optProgress(false).build();
        GridResults results = grid.get().run();
        Table t = results.table();
        // 6 configurations compared by val_loss after epoch 1 (2 go on), then after epoch 3 (1 goes on to 4)
        assertEquals(5, t.booleanColumn("pruned").countTrue());
        assertEquals(List.of(1, 1, 1, 1, 3, 4), t.intColumn("epochs").asList().stream().sorted().toList());
        int finished = t.booleanColumn("pruned").isFalse().get(0);
        assertEquals(results.best(), grid.get().configurations().get(finished));
        assertTrue(Double.isFinite(t.doubleColumn("test_loss").get(finished)), "the finished one is scored on test data");
        assertTrue(t.doubleColumn("test_loss").isMissing().size() == 5, "pruned ones are not");
        // after epoch 1, every configuration that went on had a validation loss no higher than any stopped there
        double worstKept = results.histories().values().stream().filter(h -> h.rowCount() > 1)
                .mapToDouble(h -> h.numberColumn("val_loss").getDouble(0)).max().orElseThrow();
        double bestStopped = results.histories().values().stream().filter(h -> h.rowCount() == 1)
                .mapToDouble(h -> h.numberColumn("val_loss").getDouble(0)).min().orElseThrow();
        assertTrue(worstKept <= bestStopped, worstKept + " > " + bestStopped);
        assertTrue(results.curves("loss").image(1).getWidth() > 0);

        int before = fits.get();
        GridResults again = grid.get().run();
        assertEquals(before, fits.get(), "a rerun trains nothing");
        assertEquals(t.doubleColumn("final_val_loss").asList(), again.table().doubleColumn("final_val_loss").asList());
    }

    @Test
    void aSampledGridTrainsTheDrawnCombinationsInGridOrder() {
        java.util.function.LongFunction<Grid> sampled = seed -> Grid.builder().setName("toy-sample")
                .setFit(() -> Fit.builder().setTrainData(x.get("0:180"), y.get("0:180"))
                        .optValidation(x.get("180:"), y.get("180:")).setLoss(Loss.softmaxCrossEntropyLoss())
                        .addEvaluator(new Accuracy()).optEpochs(2).optBatchSize(30).optSeed(1).optRunsDir(runs))
                .addAxis("units", 2, 4, 8, 16)
                .addAxis("lr", 0.01f, 0.03f, 0.1f)
                .setModel(c -> new SequentialBlock().add(Linear.builder().setUnits(c.getInt("units")).build())
                        .add(Activation::relu).add(Linear.builder().setUnits(2).build()))
                .optChange((c, f) -> f.optLearningRate(c.getFloat("lr")))
                .optCompare("val_accuracy").optSample(5, seed).optProgress(false).build();
        List<String> all = Grid.builder().setFit(Fit::builder).setModel(c -> new SequentialBlock())
                .addAxis("units", 2, 4, 8, 16).addAxis("lr", 0.01f, 0.03f, 0.1f).build().configurations()
                .stream().map(Object::toString).toList();
        List<String> drawn = sampled.apply(7).configurations().stream().map(Object::toString).toList();
        assertEquals(5, drawn.size());
        assertEquals(5, drawn.stream().distinct().count(), "no combination twice");
        List<Integer> positions = drawn.stream().map(all::indexOf).toList();
        assertTrue(positions.stream().allMatch(i -> i >= 0), "every drawn one is in the grid: " + drawn);
        assertEquals(positions.stream().sorted().toList(), positions, "in grid order");
        assertEquals(drawn, sampled.apply(7).configurations().stream().map(Object::toString).toList(), "same seed, same draw");
        assertTrue(!drawn.equals(sampled.apply(8).configurations().stream().map(Object::toString).toList()),
                "another seed draws others");
        Table t = sampled.apply(7).run().table();
        assertEquals(5, t.rowCount());
        assertTrue(sampled.apply(7).toString().contains("sample=5 seed=7"), sampled.apply(7).toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Grid.builder()
                .setFit(Fit::builder).setModel(c -> new SequentialBlock()).addAxis("units", 2, 4).optSample(2, 1).build());
        assertTrue(e.getMessage().contains("only 2 combinations"), e.getMessage());
        Grid huge = Grid.builder().setFit(Fit::builder).setModel(c -> new SequentialBlock())
                .addAxis("a", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10).addAxis("b", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
                .addAxis("c", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10).addAxis("d", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
                .addAxis("e", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10).addAxis("f", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
                .optSample(3, 1).build();
        assertEquals(3, huge.configurations().size(), "a million combinations, three drawn");
        e = assertThrows(IllegalArgumentException.class, () -> Grid.builder().setFit(Fit::builder)
                .setModel(c -> new SequentialBlock()).addAxis("a", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
                .addAxis("b", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10).addAxis("c", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
                .addAxis("d", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10).addAxis("e", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
                .addAxis("f", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10).build());
        assertTrue(e.getMessage().contains("optSample(count, seed)"), e.getMessage());
    }

    @Test
    void badGridsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Grid.builder().addAxis("units", 4, 4));
        assertThrows(IllegalArgumentException.class, () -> Grid.builder().addAxis("bad name", 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Grid.builder()
                .setFit(Fit::builder).setModel(c -> new SequentialBlock()).build());
        assertTrue(e.getMessage().contains("no axes"), e.getMessage());
        GridConfig c = grid(new AtomicInteger()).configurations().get(0);
        assertThrows(IllegalArgumentException.class, () -> c.get("depth"));
    }
}
