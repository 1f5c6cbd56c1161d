package dlkit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import dlkit.engine.Engines;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScheduleProfileTest {

    private static float[] rates(Schedule schedule, int epochs) {
        Schedule.Plan plan = schedule.start(0.1f, epochs);
        float[] r = new float[epochs];
        for (int e = 1; e <= epochs; e++) {
            r[e - 1] = plan.lr(e);
        }
        return r;
    }

    @Test
    void stepMultiStepAndCosineRatesPerEpoch() {
        float[] step = rates(Schedule.step(2, 0.5f), 5);
        float[] expectedStep = {0.1f, 0.1f, 0.05f, 0.05f, 0.025f};
        for (int i = 0; i < 5; i++) {
            assertEquals(expectedStep[i], step[i], 1e-7, "step epoch " + (i + 1));
        }
        float[] multi = rates(Schedule.multiStep(0.1f, 3, 5), 6);
        float[] expectedMulti = {0.1f, 0.1f, 0.01f, 0.01f, 0.001f, 0.001f};
        for (int i = 0; i < 6; i++) {
            assertEquals(expectedMulti[i], multi[i], 1e-8, "multi-step epoch " + (i + 1));
        }
        float[] cosine = rates(Schedule.cosine(0f), 4);
        for (int i = 0; i < 4; i++) {
            double expected = 0.05 * (1 + Math.cos(Math.PI * i / 4));
            assertEquals(expected, cosine[i], 1e-6, "cosine epoch " + (i + 1));
        }
        assertEquals(0.1f, rates(Schedule.constant(), 3)[2]);
    }

    @Test
    void plateauReducesAfterPatienceAndRestoresState() {
        Schedule.Plan plan = Schedule.onPlateau(0.5f, 1).start(0.1f, 10);
        double[] losses = {1.0, 0.9, 0.95, 0.95, 0.8, 0.8, 0.8};
        float[] expected = {0.1f, 0.1f, 0.1f, 0.1f, 0.05f, 0.05f, 0.05f, 0.025f};
        for (int e = 1; e <= losses.length; e++) {
            assertEquals(expected[e - 1], plan.lr(e), 1e-8, "epoch " + e);
            plan.epochEnded(e, losses[e - 1]);
        }
        assertEquals(expected[7], plan.lr(8), 1e-8);
        Schedule.Plan copy = Schedule.onPlateau(0.5f, 1).start(0.1f, 10);
        copy.restore(plan.state());
        assertEquals(plan.state(), copy.state());
    }

    @Test
    void historyLrColumnFollowsTheSchedule() {
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            var data = Synthetic.blobs(m, 64, 3);
            try (Run run = Fit.builder().setBlock(Synthetic.mlp()).setTrainData(data[0], data[1])
                    .setLoss(Loss.softmaxCrossEntropyLoss()).optLearningRate(0.1f)
                    .optSchedule(Schedule.step(1, 0.5f)).optEpochs(3).optBatchSize(16)
                    .optProgress(false).optCache(false).build().run()) {
                assertEquals(List.of(0.1, 0.05, 0.025), run.history().table().doubleColumn("lr").asList());
            }
        }
    }

    @Test
    void piecewiseGivesTheRatesThemselvesFromEachEpoch() {
        Schedule seed = Schedule.piecewise(0.005f).then(31, 0.003f).then(61, 0.001f).then(81, 0.0005f);
        float[] r = seed.rates(123f, 100); // the base rate plays no part
        assertEquals(0.005f, r[0]);
        assertEquals(0.005f, r[29]);
        assertEquals(0.003f, r[30]);
        assertEquals(0.001f, r[79]);
        assertEquals(0.0005f, r[80]);
        assertEquals(0.0005f, r[99]);
        assertEquals("piecewise(from 1: 0.005, from 31: 0.003, from 61: 0.001, from 81: 5.0E-4)", seed.toString());
        assertEquals(0.05f, Schedule.step(2, 0.5f).rates(0.1f, 3)[2], 1e-7);
        IllegalStateException plateau = assertThrows(IllegalStateException.class,
                () -> Schedule.onPlateau(0.5f, 2).rates(0.1f, 5));
        assertTrue(plateau.getMessage().contains("validation loss"), plateau.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Schedule.piecewise(0.1f).then(1, 0.01f));
        assertThrows(IllegalArgumentException.class, () -> Schedule.piecewise(0.1f).then(5, -1f));
    }

    @Test
    void aFitWithAPiecewiseScheduleTakesItsRatesAndRefusesAnotherBaseRate() {
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            var data = Synthetic.blobs(m, 64, 3);
            Schedule schedule = Schedule.piecewise(0.2f).then(2, 0.02f);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fit.builder()
                    .setBlock(Synthetic.mlp()).setTrainData(data[0], data[1]).setLoss(Loss.softmaxCrossEntropyLoss())
                    .optSchedule(schedule).optLearningRate(0.1f).build());
            assertTrue(e.getMessage().contains("remove optLearningRate"), e.getMessage());
            try (Run run = Fit.builder().setBlock(Synthetic.mlp()).setTrainData(data[0], data[1])
                    .setLoss(Loss.softmaxCrossEntropyLoss()).optSchedule(schedule).optEpochs(3).optBatchSize(16)
                    .optProgress(false).optCache(false).build().run()) {
                assertEquals(List.of(0.2, 0.02, 0.02), run.history().table().doubleColumn("lr").asList());
            }
        }
    }

    @Test
    void aCustomScheduleGivesItsRatesIsCheckedBeforeTrainingAndKeysTheCache(@TempDir Path runs) {
        Engines.startQuietly();
        Schedule warmUp = Schedule.custom("warm-up", (epoch, epochs, base) -> base * Math.min(1f, epoch / 2f));
        assertEquals("warm-up", warmUp.toString());
        try (NDManager m = NDManager.newBaseManager()) {
            var data = Synthetic.blobs(m, 64, 3);
            java.util.function.Function<Schedule, Fit.Builder> fit = schedule -> Fit.builder().setBlock(Synthetic.mlp())
                    .setTrainData(data[0], data[1]).setLoss(Loss.softmaxCrossEntropyLoss()).optLearningRate(0.1f)
                    .optSchedule(schedule).optEpochs(3).optBatchSize(16).optProgress(false).optRunsDir(runs);
            try (Run run = fit.apply(warmUp).build().run();
                    Run again = fit.apply(Schedule.custom("ramp", (epoch, epochs, base) -> base * Math.min(1f, epoch / 2f)))
                            .build().run();
                    Run longer = fit.apply(Schedule.custom("warm-up", (epoch, epochs, base) -> base * Math.min(1f, epoch / 3f)))
                            .build().run()) {
                assertEquals(List.of(0.05, 0.1, 0.1), run.history().table().doubleColumn("lr").asList());
                assertTrue(again.fromCache(), "the same rates under another name: the same run");
                assertFalse(longer.fromCache(), "other rates train again");
            }
            Schedule broken = Schedule.custom("decay", (epoch, epochs, base) -> base * (2 - epoch));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> fit.apply(broken).optCache(false).build());
            assertTrue(e.getMessage().contains("decay gives epoch 3 of 3 the rate -0.1"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Schedule.custom(" ", (epoch, epochs, base) -> base));
    }

    @Test
    void badSchedulesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Schedule.step(0, 0.5f));
        assertThrows(IllegalArgumentException.class, () -> Schedule.step(1, 1.5f));
        assertThrows(IllegalArgumentException.class, () -> Schedule.multiStep(0.1f, 5, 3));
        assertThrows(IllegalArgumentException.class, () -> Schedule.onPlateau(1f, 1));
    }

    @Test
    void profileFromPropertyWithClearErrors() {
        String old = System.getProperty(Profile.PROPERTY);
        try {
            System.setProperty(Profile.PROPERTY, "Quick");
            assertEquals(Profile.QUICK, Profile.current());
            assertEquals(1, Profile.pick(1, 5, 15));
            System.setProperty(Profile.PROPERTY, "full");
            assertEquals(15, Profile.pick(1, 5, 15));
            System.setProperty(Profile.PROPERTY, "huge");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Profile::current);
            assertTrue(e.getMessage().contains("'huge'") && e.getMessage().contains("quick, standard, full"),
                    e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(Profile.PROPERTY);
            } else {
                System.setProperty(Profile.PROPERTY, old);
            }
        }
        assertEquals(Profile.STANDARD, Profile.parse("standard"));
    }

    @Test
    void historyCsvRoundTripIsExact() throws Exception {
        History h = new History(List.of("accuracy"), true);
        h.addBatch(1, 1, 0.123456789f);
        h.addBatch(2, 1, Float.NaN);
        h.addEpoch(Map.of("epoch", 1.0, "step", 2.0, "train_loss", 1 / 3.0, "train_accuracy", 0.5,
                "val_loss", Math.PI, "val_accuracy", 0.25, "lr", 1e-3, "seconds", 0.1));
        History back = History.fromCsv(h.epochsCsv(), h.batchesCsv());
        assertTrue(h.sameResults(back));
        assertEquals(h.columns(), back.columns());
        assertEquals(Math.PI, back.value("val_loss", 1));
        assertTrue(Float.isNaN((float) back.batches().doubleColumn("loss").getDouble(1)));
    }

    @Test
    void seedsPermutationDependsOnSeedAndEpochOnly() {
        assertTrue(java.util.Arrays.equals(Seeds.permutation(1, 2, 50), Seeds.permutation(1, 2, 50)));
        assertTrue(!java.util.Arrays.equals(Seeds.permutation(1, 2, 50), Seeds.permutation(1, 3, 50)));
        int[] p = Seeds.permutation(9, 1, 50).clone();
        java.util.Arrays.sort(p);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, p[i]);
        }
    }
}
