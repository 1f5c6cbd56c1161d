package dlkit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import dlkit.engine.Engines;
import dlkit.plot.BandCurves;
import dlkit.plot.Figure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class ComparisonTest {

    @TempDir Path runs;

    @Test
    void comparesConfigurationsOverSeedsAndMarksADivergedRun() {
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] train = Synthetic.blobs(m, 240, 1);
            NDArray[] val = Synthetic.blobs(m, 90, 2);
            Map<String, List<Float>> firstLoss = new java.util.concurrent.ConcurrentHashMap<>();
            Comparison.Result result = Comparison.builder()
                    .setFit(() -> Fit.builder()
                            .setTrainData(train[0], train[1])
                            .optValidation(val[0], val[1])
                            .setLoss(Loss.softmaxCrossEntropyLoss())
                            .addEvaluator(new Accuracy())
                            .optEpochs(4)
                            .optBatchSize(30)
                            .optProgress(false)
                            .optRunsDir(runs))
                    .setModel(Synthetic::mlp)
                    .add("SGD", Optim.sgd(), 0.1f, f -> f.addListener(first(firstLoss, "SGD")))
                    .add("Adam", Optim.adam(), 0.01f, f -> f.addListener(first(firstLoss, "Adam")))
                    .add("SGD too fast", Optim.sgd(), 1e9f)
                    .optSeeds(1, 2)
                    .optName("test")
                    .build()
                    .run();

            Table byRun = result.runs();
            assertEquals(6, byRun.rowCount());
            Table bad = byRun.where(byRun.stringColumn("config").isEqualTo("SGD too fast"));
            assertTrue(bad.booleanColumn("diverged").asList().stream().allMatch(b -> b), bad.print());
            assertTrue(Double.isNaN(bad.doubleColumn("final_train_loss").getDouble(0)));
            assertFalse(bad.stringColumn("divergence").getString(0).isEmpty());
            assertTrue(result.divergedAt().containsKey("SGD too fast"));
            Table good = byRun.where(byRun.booleanColumn("diverged").isFalse());
            assertEquals(4, good.rowCount());
            for (int r = 0; r < good.rowCount(); r++) {
                double acc = good.doubleColumn("best_val_accuracy").getDouble(r);
                assertTrue(acc > 0.5 && acc <= 1, "learns the blobs: " + acc);
                int epoch = good.intColumn("best_epoch").getInt(r);
                assertTrue(epoch >= 1 && epoch <= 4);
            }

            // same seed: same initial weights and first batch, whatever the optimizer (runs may
            // train side by side, so the losses arrive in any order)
            List<Float> sgd = new ArrayList<>(firstLoss.get("SGD"));
            List<Float> adam = new ArrayList<>(firstLoss.get("Adam"));
            sgd.sort(null);
            adam.sort(null);
            assertEquals(sgd, adam);
            assertTrue(!sgd.get(0).equals(sgd.get(1)), "seeds differ");

            Table summary = result.summary();
            assertEquals(List.of("SGD", "Adam", "SGD too fast"), summary.stringColumn("config").asList());
            assertEquals(2, summary.intColumn("diverged").getInt(2));
            assertEquals(0.1, summary.doubleColumn("lr").getDouble(0), 1e-6);
            List<String> ranking = result.ranking();
            assertEquals("SGD too fast", ranking.get(2));
            double first = summary.doubleColumn("best_val_accuracy_mean").getDouble(summary.stringColumn("config").indexOf(ranking.get(0)));
            double second = summary.doubleColumn("best_val_accuracy_mean").getDouble(summary.stringColumn("config").indexOf(ranking.get(1)));
            assertTrue(first >= second);

            Table curves = result.curves();
            assertEquals(4 * 4 + bad.intColumn("epochs").sum(), curves.rowCount());
            assertTrue(curves.containsColumn("val_accuracy") && curves.containsColumn("train_loss"));

            Figure loss = result.bands("train_loss").logScale().figure();
            Figure accuracy = result.bands("val_accuracy").figure();
            assertTrue(loss.image(1).getWidth() > 0 && accuracy.image(1).getHeight() > 0);
            org.knowm.xchart.XYChart chart = (org.knowm.xchart.XYChart) loss.chart();
            String stop = String.format(java.util.Locale.ROOT, "SGD too fast (diverged, epoch %.0f)",
                    result.divergedAt().get("SGD too fast"));
            assertTrue(chart.getSeries(stop) != null || chart.getSeries("SGD too fast stop") != null, "diverged marked");
            assertTrue(chart.getSeries("SGD range") != null, "a band for two seeds");
            assertEquals(4, chart.getSeries("SGD").getXData().length);
        }
    }

    private static FitListener first(Map<String, List<Float>> losses, String name) {
        return new FitListener() {
            @Override
            public void onBatch(int epoch, int batch, int step, float loss) {
                if (step == 1) {
                    losses.computeIfAbsent(name, k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(loss);
                }
            }
        };
    }

    @Test
    void rejectsAnIncompleteDescription() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Comparison.builder().setModel(Synthetic::mlp).add("a", Optim.sgd(), 0.1f).build());
        assertTrue(e.getMessage().contains("setFit"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Comparison.builder().add("a", Optim.sgd(), 0.1f)
                .add("a", Optim.adam(), 0.1f));
        assertThrows(IllegalArgumentException.class, () -> Comparison.builder().optSeeds(1, 1));
    }
}
