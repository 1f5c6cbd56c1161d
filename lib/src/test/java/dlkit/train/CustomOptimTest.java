package dlkit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import dlkit.engine.Engines;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Optimizers of the user's own ({@link Optim#custom}): their steps, their checks and their cache keys. */
class CustomOptimTest {

    static NDManager manager;
    static NDArray x;
    static NDArray y;

    @TempDir Path runs;

    @BeforeAll
    static void data() {
        Engines.startQuietly();
        manager = NDManager.newBaseManager();
        NDArray[] train = Synthetic.blobs(manager, 120, 1);
        x = train[0];
        y = train[1];
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** Adam as a student writes it from PyTorch's documentation, with NDArray operations. */
    static Optim handWrittenAdam(float beta1, float beta2) {
        return Optim.custom("my adam", 2, (w, g, s, lr, t) -> {
            s[0].muli(beta1).addi(g.mul(1 - beta1));
            s[1].muli(beta2).addi(g.square().muli(1 - beta2));
            NDArray mHat = s[0].div(1 - Math.pow(beta1, t));
            NDArray vHat = s[1].div(1 - Math.pow(beta2, t));
            w.subi(mHat.muli(lr).divi(vHat.sqrt().addi(1e-8f)));
        });
    }

    private Fit.Builder fit(Optim optim) {
        return Fit.builder().setBlock(Synthetic.mlp()).setTrainData(x, y).setLoss(Loss.softmaxCrossEntropyLoss())
                .addEvaluator(new Accuracy()).optOptimizer(optim).optLearningRate(0.01f).optEpochs(2)
                .optBatchSize(32).optSeed(3).optProgress(false).optRunsDir(runs);
    }

    @Test
    void aHandWrittenAdamStepsAsPyTorchsRule() {
        double[] pyTorch = OptimTest.reference(2, (w, g, s, lr, t) -> {
            for (int i = 0; i < w.length; i++) {
                s[0][i] = 0.9 * s[0][i] + 0.1 * g[i];
                s[1][i] = 0.99 * s[1][i] + 0.01 * g[i] * g[i];
                double mHat = s[0][i] / (1 - Math.pow(0.9, t));
                double vHat = s[1][i] / (1 - Math.pow(0.99, t));
                w[i] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
            }
        });
        OptimTest.assertClose(pyTorch, OptimTest.run(handWrittenAdam(0.9f, 0.99f).build(OptimTest.LR, Set.of()), "p"));
    }

    @Test
    void stateReplacedOrChangedInPlaceGivesTheSameSteps() {
        Optim inPlace = Optim.custom("momentum", 1, (w, g, s, lr, t) -> {
            s[0].muli(0.9f).addi(g);
            w.subi(s[0].mul(lr));
        });
        Optim replaced = Optim.custom("momentum", 1, (w, g, s, lr, t) -> {
            s[0] = s[0].mul(0.9f).add(g);
            w.subi(s[0].mul(lr));
        });
        float[] a = OptimTest.run(inPlace.build(OptimTest.LR, Set.of()), "p");
        float[] b = OptimTest.run(replaced.build(OptimTest.LR, Set.of()), "p");
        float[] pyTorchMomentum = OptimTest.run(Optim.nesterov().build(OptimTest.LR, Set.of()), "p");
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 0f, "element " + i);
        }
        assertFalse(java.util.Arrays.equals(a, pyTorchMomentum), "a different rule steps differently");
    }

    @Test
    void arraysMadeByTheRuleAreFreedAfterEachStep() {
        Optim rule = handWrittenAdam(0.9f, 0.999f);
        try (NDManager m = NDManager.newBaseManager();
                StatefulOptimizer optimizer = rule.build((id, t) -> 0.01f, Set.of())) {
            NDArray w = m.create(new float[] {1, 2, 3});
            NDArray g = m.create(new float[] {0.1f, -0.2f, 0.3f});
            optimizer.update("p", w, g);
            int held = m.getManagedArrays().size();
            for (int step = 0; step < 20; step++) {
                optimizer.update("p", w, g);
            }
            assertEquals(held, m.getManagedArrays().size(), "temporaries of 20 steps are freed");
        }
    }

    @Test
    void aRuleThatReassignsTheWeightIsRefusedBeforeTraining() {
        Optim noOp = Optim.custom("no-op", 0, (w, g, s, lr, t) -> {
            w = w.sub(g.mul(lr)); // a new array: the parameter does not change
        });
        AtomicInteger batches = new AtomicInteger();
        FitListener counter = new FitListener() {
            @Override
            public void onBatch(int epoch, int batch, int step, float loss) {
                batches.incrementAndGet();
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fit(noOp).optCache(false).addListener(counter).build().run());
        assertTrue(e.getMessage().contains("no-op") && e.getMessage().contains("unchanged")
                && e.getMessage().contains("weight.subi"), e.getMessage());
        assertEquals(0, batches.get(), "refused before the first batch");
    }

    @Test
    void aRuleThatFailsOrDivergesIsRefusedWithTheReason() {
        Optim nan = Optim.custom("log", 0, (w, g, s, lr, t) -> w.subi(g.log().muli(lr))); // log of a negative
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fit(nan).optCache(false).build().run());
        assertTrue(e.getMessage().contains("NaN or infinite"), e.getMessage());

        Optim wrongState = Optim.custom("wrong state", 1, (w, g, s, lr, t) -> w.subi(s[1].mul(lr)));
        e = assertThrows(IllegalArgumentException.class, () -> fit(wrongState).optCache(false).build().run());
        assertTrue(e.getMessage().contains("failed on a test step"), e.getMessage());
        assertNotNull(e.getCause());

        Optim reshaped = Optim.custom("reshaped", 1, (w, g, s, lr, t) -> {
            s[0] = g.sum();
            w.subi(g.mul(lr));
        });
        e = assertThrows(IllegalArgumentException.class, () -> fit(reshaped).optCache(false).build().run());
        assertTrue(e.getMessage().contains("state[0]") && e.getMessage().contains("shape"), e.getMessage());
    }

    @Test
    void badDescriptionsAreRefused() {
        UpdateRule sgd = (w, g, s, lr, t) -> w.subi(g.mul(lr));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Optim.custom(" ", 0, sgd))
                .getMessage().contains("needs a name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Optim.custom("sgd", 9, sgd))
                .getMessage().contains("0 to 8"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Optim.custom("sgd", 0, sgd).optMomentum(0.9f))
                .getMessage().contains("custom optimizer"));
        assertEquals("my sgd", Optim.custom("my sgd", 0, sgd).toString());
    }

    @Test
    void theCacheTellsRulesApartByCodeAndCapturedValues() {
        float beta = 0.9f;
        UpdateRule first = (w, g, s, lr, t) -> w.subi(g.mul(lr * beta));
        UpdateRule sameCapturesOtherCode = (w, g, s, lr, t) -> w.subi(g.sign().muli(lr * beta));
        try (Run run = fit(Optim.custom("rule", 0, first)).optCache(true).build().run();
                Run again = fit(Optim.custom("rule", 0, first)).optCache(true).build().run();
                Run other = fit(Optim.custom("rule", 0, sameCapturesOtherCode)).optCache(true).build().run();
                Run scaled = fit(Optim.custom("rule", 0, scaledSgd(0.5f))).optCache(true).build().run();
                Run scaledAgain = fit(Optim.custom("rule", 0, scaledSgd(0.25f))).optCache(true).build().run();
                Run renamed = fit(Optim.custom("another name", 0, first)).optCache(true).build().run()) {
            assertFalse(run.fromCache());
            assertTrue(again.fromCache(), "the same rule answers from the cache");
            assertFalse(other.fromCache(), "another computation with the same captured values trains");
            assertFalse(scaled.fromCache());
            assertFalse(scaledAgain.fromCache(), "another captured value trains");
            assertNotEquals(run.key(), other.key());
            assertTrue(renamed.fromCache(), "a custom optimizer's name is a label, not part of the computation");
        }
    }

    @Test
    void aRuleThatDrawsNoiseRepeatsFromItsSeedAndIsCached() {
        Optim langevin = Optim.custom("noisy sgd", 0, (w, g, s, lr, t) -> w.subi(g.mul(lr))
                .addi(w.getManager().randomNormal(0f, 0.01f, w.getShape(), w.getDataType())));
        try (Run first = fit(langevin).optCache(false).build().run();
                Run second = fit(langevin).optCache(false).build().run();
                Run cached = fit(langevin).optCache(true).build().run();
                Run again = fit(langevin).optCache(true).build().run()) {
            assertTrue(first.history().sameResults(second.history()), first.history() + "\n" + second.history());
            assertTrue(again.fromCache(), "the noise comes from the seed: the run key is the same");
            assertTrue(first.history().sameResults(again.history()));
        }
    }

    private static UpdateRule scaledSgd(float scale) {
        return (w, g, s, lr, t) -> w.subi(g.mul(lr * scale));
    }
}
