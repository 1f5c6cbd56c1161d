package dlkit.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dlkit.data.ImageDataset;
import dlkit.data.Normalization;
import dlkit.data.Split;
import dlkit.data.TinyImages;
import dlkit.train.Fit;
import dlkit.train.Optim;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrunedSearchTest {

    @TempDir
    static Path tmp;

    static ImageDataset data;
    static Split split;
    static Path runs;
    static SearchResults pruned;

    /** Six trials of 4 epochs, halving from 1 epoch by 2: rungs at 1, 2 and 4 epochs, keeping 3, then 2. */
    @BeforeAll
    static void load() {
        data = TinyImages.load(tmp.resolve("data"), 400, 100, Normalization.CENTERED);
        split = data.split(0.2, 541);
        runs = tmp.resolve("runs");
        pruned = search(runs, 541, Halving.of(1, 2), trials()).run();
    }

    @AfterAll
    static void close() {
        data.close();
    }

    private static List<Trial> trials() {
        return SearchSpace.builder()
                .setLayers(1, 2)
                .setUnits(8, 16)
                .setLearningRates(0.0005f, 0.003f, 0.03f)
                .setBatchSizes(32)
                .setEpochs(4)
                .setWeightDecays(0f)
                .build()
                .sample(6, 11);
    }

    private static Search search(Path folder, long seed, Halving halving, List<Trial> trials) {
        Supplier<Fit.Builder> fit = () -> Fit.builder().optOptimizer(Optim.adam()).optSeed(seed).optRunsDir(folder);
        Search.Builder b = Search.builder().setName("p").setTrials(trials).setData(split).setFit(fit).optProgress(false);
        if (halving != null) {
            b.optPruning(halving);
        }
        return b.build();
    }

    @Test
    void halvingHasRungsUpToTheBudgetAndKeepsOneInReduction() {
        assertEquals(List.of(2, 6, 18, 30), Halving.of(2, 3).rungs(30));
        assertEquals(List.of(1, 2, 4), Halving.of(1, 2).rungs(4));
        assertEquals(List.of(5), Halving.of(5, 3).rungs(5));
        assertEquals(10, Halving.of(2, 3).survivors(30));
        assertEquals(4, Halving.of(2, 3).survivors(10));
        assertEquals(1, Halving.of(2, 3).survivors(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Halving.of(0, 3));
        assertTrue(e.getMessage().contains("minEpochs must be at least 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Halving.of(2, 1));
        assertTrue(e.getMessage().contains("reduction must be at least 2"), e.getMessage());
    }

    @Test
    void keepsTheBestAtEachRungAndStopsTheRest() {
        List<TrialResult> trials = pruned.trials();
        assertEquals(6, trials.size());
        // 6 compared after epoch 1, 3 go on; 3 compared after epoch 2, 2 go on to the budget
        assertEquals(3, trials.stream().filter(t -> t.prunedAt() == 1).count());
        assertEquals(1, trials.stream().filter(t -> t.prunedAt() == 2).count());
        assertEquals(2, trials.stream().filter(t -> !t.pruned()).count());
        for (TrialResult t : trials) {
            assertEquals(t.pruned() ? t.prunedAt() : 4, t.epochsTrained(), t.trial().id());
            assertEquals(t.curve().get(t.epochsTrained() - 1), t.valAccuracy(), 0.0);
        }
        for (int rung : List.of(1, 2)) {
            // every trial that went past a rung scored at least as well there as every trial stopped at it
            double worstKept = trials.stream().filter(t -> t.epochsTrained() > rung)
                    .mapToDouble(t -> t.curve().get(rung - 1)).min().orElseThrow();
            double bestStopped = trials.stream().filter(t -> t.prunedAt() == rung)
                    .mapToDouble(t -> t.curve().get(rung - 1)).max().orElseThrow();
            assertTrue(worstKept >= bestStopped, "rung " + rung + ": kept " + worstKept + " < stopped " + bestStopped);
        }
        assertFalse(pruned.best().pruned());
        assertEquals(13, pruned.epochs()[0]); // 3 trials x 1 epoch + 1 x 2 + 2 x 4
        assertEquals(24, pruned.epochs()[1]);
        assertTrue(pruned.table().booleanColumn("pruned").countTrue() == 4);
        assertTrue(pruned.summary().contains("4 pruned by Halving(minEpochs=1, reduction=2) (13 of 24 epochs trained)"),
                pruned.summary());
        // into the figure gallery (GalleryTest) for review
        List<Path> files = pruned.curves().saveTo(Path.of("target", "gallery"), "pruned-search-curves", "png", "svg");
        assertTrue(files.stream().allMatch(Files::exists));
    }

    @Test
    void aTrialTrainedToItsBudgetScoresWhatAnUnprunedSearchGives() {
        // paused at epochs 1 and 2 and continued from checkpoints, against one uninterrupted fit
        TrialResult best = pruned.best();
        SearchResults plain = search(tmp.resolve("plain-runs"), 541, null, List.of(best.trial())).run();
        TrialResult same = plain.trials().get(0);
        assertEquals(best.runKey(), same.runKey());
        for (int e = 0; e < 4; e++) {
            assertEquals(same.curve().get(e), best.curve().get(e), 1e-6, "epoch " + (e + 1));
        }
        assertEquals(same.valLoss(), best.valLoss(), 1e-5);
    }

    @Test
    void rerunningDecidesTheSameWithoutTrainingAndAnotherSeedTrainsAgain() throws Exception {
        SearchResults again = search(runs, 541, Halving.of(1, 2), trials()).run();
        assertEquals(6, again.reused());
        assertEquals(pruned.trials(), again.trials());
        // without the rungs file the decisions are made again from the checkpoints and the cache
        Path rungs = search(runs, 541, Halving.of(1, 2), trials()).resultsFile().resolveSibling("rungs.json");
        assertTrue(Files.exists(rungs));
        Files.delete(rungs);
        SearchResults redone = search(runs, 541, Halving.of(1, 2), trials()).run();
        for (int i = 0; i < 6; i++) {
            assertEquals(pruned.trials().get(i).curve(), redone.trials().get(i).curve());
            assertEquals(pruned.trials().get(i).prunedAt(), redone.trials().get(i).prunedAt());
        }
        // another seed is another computation: stored rungs do not answer for it
        SearchResults reseeded = search(runs, 542, Halving.of(1, 2), trials().subList(0, 2)).run();
        assertEquals(0, reseeded.reused());
    }

    @Test
    void pruningWithoutTheRunCacheFailsBeforeTraining() {
        Search search = Search.builder().setName("nocache").setTrials(trials()).setData(split)
                .setFit(() -> Fit.builder().optCache(false).optRunsDir(tmp.resolve("none")))
                .optPruning(Halving.of(1, 2)).optProgress(false).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, search::run);
        assertTrue(e.getMessage().contains("optCache(false)"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("none")), "nothing is written");
    }
}
