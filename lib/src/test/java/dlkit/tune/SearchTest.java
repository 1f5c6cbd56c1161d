package dlkit.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import dlkit.data.ImageDataset;
import dlkit.data.Normalization;
import dlkit.data.Split;
import dlkit.data.TinyImages;
import dlkit.eval.ModelEvaluator;
import dlkit.models.Mlp;
import dlkit.plot.Figure;
import dlkit.train.Fit;
import dlkit.train.Optim;
import dlkit.train.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class SearchTest {

    @TempDir
    static Path tmp;

    static ImageDataset data;
    static Split split;
    static Path runs;
    static SearchResults first;
    static List<TrialResult> seen = new ArrayList<>();
    static double firstSeconds;

    /** One search shared by the tests (training is the slow part). */
    @BeforeAll
    static void load() {
        data = TinyImages.load(tmp.resolve("data"), 400, 100, Normalization.CENTERED);
        split = data.split(0.2, 541);
        runs = tmp.resolve("runs");
        first = Search.builder().setName("t").setTrials(trials()).setData(split).setFit(() -> Fit.builder().optOptimizer(Optim.adam()).optSeed(541).optRunsDir(runs)).optProgress(false).addListener(seen::add).build().run();
    }

    @AfterAll
    static void close() {
        data.close();
    }

    private static List<Trial> trials() {
        return SearchSpace.builder()
                .setLayers(1, 2)
                .setUnits(16)
                .setLearningRates(0.003f, 0.02f)
                .setBatchSizes(32)
                .setEpochs(4)
                .setWeightDecays(0f, 1e-4f)
                .build()
                .sample(3, 7);
    }

    private static Search search() {
        return Search.builder().setName("t").setTrials(trials()).setData(split).setFit(() -> Fit.builder().optOptimizer(Optim.adam()).optSeed(541).optRunsDir(runs)).optProgress(false).build();
    }

    @Test
    void scoresEveryTrialOnValidationAndSavesThemAsTheyFinish() throws Exception {
        Search search = search();
        SearchResults results = first;
        assertEquals(3, results.trials().size());
        assertEquals(3, seen.size());
        assertEquals(0, results.reused());
        TrialResult best = results.best();
        for (TrialResult r : results.trials()) {
            assertTrue(r.valAccuracy() <= best.valAccuracy());
            assertTrue(r.parameters() > 784 * 16, "parameters " + r.parameters());
            assertTrue(r.seconds() > 0);
        }
        // the synthetic classes are easy: the best trial must have learnt them
        assertTrue(best.valAccuracy() > 0.8, "best validation accuracy " + best.valAccuracy());
        Table table = results.table();
        assertEquals(3, table.rowCount());
        assertEquals(best.valAccuracy(), table.sortDescendingOn("val_accuracy").doubleColumn("val_accuracy").get(0));
        assertEquals("16", table.stringColumn("hidden").get(trialIndex(results, 1)).split("-")[0]);
        JsonArray saved = JsonParser.parseString(Files.readString(search.resultsFile())).getAsJsonArray();
        assertEquals(3, saved.size());
        try (Stream<Path> files = Files.list(search.resultsFile().getParent())) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "temp files left behind");
        }
    }

    private static int trialIndex(SearchResults results, int layers) {
        for (int i = 0; i < results.trials().size(); i++) {
            if (results.trials().get(i).trial().layers() == layers) {
                return i;
            }
        }
        return 0;
    }

    @Test
    void rerunningSkipsFinishedTrialsAndResumesAnInterruptedSearch() throws Exception {
        SearchResults again = search().run();
        assertEquals(3, again.reused());
        assertEquals(first.table().doubleColumn("val_accuracy").asList(), again.table().doubleColumn("val_accuracy").asList());

        // an interruption after the second trial: the results file holds two trials
        Path file = search().resultsFile();
        JsonArray saved = JsonParser.parseString(Files.readString(file)).getAsJsonArray();
        saved.remove(2);
        Files.writeString(file, saved.toString());
        long runDirs = countRuns();
        SearchResults resumed = search().run();
        assertEquals(3, resumed.reused(), "two from the results file, the third from Fit's run cache");
        assertEquals(runDirs, countRuns(), "the third trial comes back from Fit's run cache, not retrained");
        assertEquals(first.table().doubleColumn("val_accuracy").asList(), resumed.table().doubleColumn("val_accuracy").asList());
        assertEquals(first.trials().get(2).runKey(), resumed.trials().get(2).runKey());
        assertEquals(3, JsonParser.parseString(Files.readString(file)).getAsJsonArray().size());

        SearchResults renamed = Search.builder().setName("t-renamed").setTrials(trials()).setData(split).optProgress(false)
                .setFit(() -> Fit.builder().optOptimizer(Optim.adam()).optSeed(541).optRunsDir(runs)).build().run();
        assertEquals(3, renamed.reused(), "the same trials under another search's name are read from the run cache");
        assertEquals(first.table().doubleColumn("val_accuracy").asList(), renamed.table().doubleColumn("val_accuracy").asList());
    }

    private static long countRuns() throws java.io.IOException {
        try (Stream<Path> dirs = Files.list(runs)) {
            return dirs.count();
        }
    }

    @Test
    void changedDataUsesAnotherResultsFileAndAnotherSeedRetrains() {
        Path file = search().resultsFile();
        Split otherSplit = data.split(0.25, 541);
        Search otherData = Search.builder().setName("t").setTrials(trials()).setData(otherSplit)
                .setFit(() -> Fit.builder().optOptimizer(Optim.adam()).optSeed(541).optRunsDir(runs)).build();
        assertFalse(file.equals(otherData.resultsFile()));
        Search otherSeed = Search.builder().setName("t").setTrials(trials()).setData(split).optProgress(false)
                .setFit(() -> Fit.builder().optOptimizer(Optim.adam()).optSeed(542).optRunsDir(runs)).build();
        SearchResults retrained = otherSeed.run();
        assertEquals(0, retrained.reused(), "stored trials have other run keys: each trains again");
        assertFalse(first.table().doubleColumn("val_loss").asList().equals(retrained.table().doubleColumn("val_loss").asList()));
    }

    @Test
    void chartsRetrainAndTest() {
        Search search = search();
        SearchResults results = first;
        Figure charts = results.charts();
        assertTrue(charts.image(1).getWidth() > 0);
        for (String column : SearchResults.HYPER_PARAMETERS) {
            assertTrue(results.chart(column).image(1).getHeight() > 0, column);
        }
        assertThrows(IllegalArgumentException.class, () -> results.chart("momentum"));
        assertTrue(results.toString().contains("best val_accuracy"));
        assertTrue(results.toMimeBundle().get("text/html").contains("<table"));

        try (Run run = search.retrain(results.best().trial().withEpochs(4), data.train())) {
            assertEquals(4, run.history().epochs());
            assertTrue(run.history().batches().rowCount() >= 20);
            double test = run.evaluate(data.test()).accuracy();
            assertTrue(test > 0.8, "test accuracy " + test);
        }
    }

    @Test
    void badSearchesFailBeforeTraining() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Search.builder().setData(split).build());
        assertTrue(e.getMessage().contains("no trials"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Search.builder().setTrials(trials()).build());
        assertTrue(e.getMessage().contains("no data"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Search.builder().setName("a b").setTrials(trials()).setData(split).build());
        assertTrue(e.getMessage().contains("name"), e.getMessage());
        assertEquals(Mlp.Act.RELU, trials().get(0).activation());
    }
}
