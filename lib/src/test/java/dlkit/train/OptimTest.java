package dlkit.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import dlkit.engine.TorchOps;
import ai.djl.training.tracker.Tracker;
import dlkit.engine.Engines;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each optimizer against an independent reference: the documented rule computed element by element
 * in double precision (and DJL's own Sgd/Adam where DJL has them), over several steps with a
 * changing learning rate.
 */
class OptimTest {

    static final int STEPS = 6;
    static final float[] START = {0.5f, -1.2f, 0.03f, 2.0f, -0.7f, 1e-3f};

    @BeforeAll
    static void engine() {
        Engines.startQuietly();
    }

    /** Gradient of step k (1-based): fixed pseudo-random numbers, some tiny, some large. */
    static double[] gradient(int k) {
        Random r = new Random(100 + k);
        double[] g = new double[START.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = r.nextGaussian() * (i == 5 ? 1e-3 : 1);
        }
        return g;
    }

    /** Learning rate of step k: changes, so rules that fold lr into state are caught. */
    static float lr(int k) {
        return 0.1f / k;
    }

    /** Runs the optimizer for STEPS steps on one parameter whose loss is sum(w * g_k). */
    static float[] run(Optimizer optimizer, String id) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(START.clone());
            w.setRequiresGradient(true);
            for (int k = 1; k <= STEPS; k++) {
                NDArray g = m.create(toFloats(gradient(k)));
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    c.backward(w.mul(g).sum());
                }
                optimizer.update(id, w, w.getGradient());
            }
            return w.toFloatArray();
        }
    }

    static final ParameterTracker LR = (id, t) -> lr(t);

    interface Rule {
        /** One step on element values w (in place) with state s. */
        void step(double[] w, double[] g, double[][] s, double lr, int t);
    }

    static double[] reference(int slots, Rule rule) {
        return referenceFrom(START, slots, rule);
    }

    static void assertClose(double[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-5 * Math.max(1, Math.abs(expected[i]));
            assertEquals(expected[i], actual[i], tol, "element " + i);
        }
    }

    @Test
    void sgdMatchesRuleAndDjl() {
        double[] ref = reference(0, (w, g, s, lr, t) -> {
            for (int i = 0; i < w.length; i++) {
                w[i] -= lr * g[i];
            }
        });
        assertClose(ref, run(Optim.sgd().build(LR, Set.of()), "p"));
        assertClose(ref, run(Optimizer.sgd().setLearningRateTracker(tracker()).build(), "p"));
    }

    @Test
    void momentumMatchesDjl() {
        double mu = 0.9;
        double[] ref = reference(1, (w, g, s, lr, t) -> {
            for (int i = 0; i < w.length; i++) {
                s[0][i] = mu * s[0][i] + lr * g[i];
                w[i] -= s[0][i];
            }
        });
        assertClose(ref, run(Optim.sgd().optMomentum(0.9f).build(LR, Set.of()), "p"));
        assertClose(ref, run(Optimizer.sgd().setLearningRateTracker(tracker()).optMomentum(0.9f).build(), "p"));
    }

    @Test
    void nesterovMatchesPyTorchRule() {
        double mu = 0.8;
        assertClose(reference(1, (w, g, s, lr, t) -> {
            for (int i = 0; i < w.length; i++) {
                s[0][i] = mu * s[0][i] + g[i];
                w[i] -= lr * (g[i] + mu * s[0][i]);
            }
        }), run(Optim.nesterov().optMomentum(0.8f).build(LR, Set.of()), "p"));
    }

    @Test
    void adagradMatchesPyTorchRule() {
        double eps = 1e-10;
        assertClose(reference(1, (w, g, s, lr, t) -> {
            for (int i = 0; i < w.length; i++) {
                s[0][i] += g[i] * g[i];
                w[i] -= lr * g[i] / (Math.sqrt(s[0][i]) + eps);
            }
        }), run(Optim.adagrad().build(LR, Set.of()), "p"));
    }

    @Test
    void rmspropVariantsMatchPyTorchRule() {
        for (float momentum : new float[] {0f, 0.9f}) {
            for (boolean centered : new boolean[] {false, true}) {
                double rho = 0.9;
                double eps = 1e-6;
                double[] ref = reference(3, (w, g, s, lr, t) -> {
                    for (int i = 0; i < w.length; i++) {
                        s[0][i] = rho * s[0][i] + (1 - rho) * g[i] * g[i];
                        double d;
                        if (centered) {
                            s[1][i] = rho * s[1][i] + (1 - rho) * g[i];
                            d = Math.sqrt(s[0][i] - s[1][i] * s[1][i]) + eps;
                        } else {
                            d = Math.sqrt(s[0][i]) + eps;
                        }
                        if (momentum > 0) {
                            s[2][i] = momentum * s[2][i] + g[i] / d;
                            w[i] -= lr * s[2][i];
                        } else {
                            w[i] -= lr * g[i] / d;
                        }
                    }
                });
                float[] got = run(Optim.rmsprop().optRho(0.9f).optEps(1e-6f).optMomentum(momentum).optCentered(centered).build(LR, Set.of()), "p");
                assertClose(ref, got);
            }
        }
    }

    static Rule adamRule(double b1, double b2, double eps, double wd) {
        return (w, g, s, lr, t) -> {
            for (int i = 0; i < w.length; i++) {
                w[i] -= lr * wd * w[i];
                s[0][i] = b1 * s[0][i] + (1 - b1) * g[i];
                s[1][i] = b2 * s[1][i] + (1 - b2) * g[i] * g[i];
                double mHat = s[0][i] / (1 - Math.pow(b1, t));
                double vHat = s[1][i] / (1 - Math.pow(b2, t));
                // PyTorch places eps after the bias correction; DJL before: equal up to eps * sqrt(1 - b2^t)
                w[i] -= lr * mHat / (Math.sqrt(vHat) + eps / Math.sqrt(1 - Math.pow(b2, t)));
            }
        };
    }

    @Test
    void adamMatchesRuleAndDjl() {
        double[] ref = reference(2, adamRule(0.9, 0.99, 1e-8, 0));
        assertClose(ref, run(Optim.adam().optBeta1(0.9f).optBeta2(0.99f).optEps(1e-8f).build(LR, Set.of()), "p"));
        float[] djl = run(Optimizer.adam().optLearningRateTracker(tracker()).optBeta1(0.9f).optBeta2(0.99f).build(), "p");
        System.setProperty("dlkit.torchops", "false"); // without libtorch's fused kernel: DJL's own native update
        try {
            float[] ours = run(Optim.adam().optBeta1(0.9f).optBeta2(0.99f).optEps(1e-8f).build(LR, Set.of()), "p");
            for (int i = 0; i < djl.length; i++) {
                assertEquals(djl[i], ours[i], 0f, "same native update as DJL's Adam, bit for bit");
            }
        } finally {
            System.clearProperty("dlkit.torchops");
        }
    }

    @Test
    void adamwDecaysWeightsOnly() {
        double[] decayed = reference(2, adamRule(0.9, 0.999, 1e-8, 0.5));
        double[] plain = reference(2, adamRule(0.9, 0.999, 1e-8, 0));
        assertClose(decayed, run(Optim.adamw().optWeightDecay(0.5f).build(LR, Set.of("weight")), "weight"));
        assertClose(plain, run(Optim.adamw().optWeightDecay(0.5f).build(LR, Set.of("weight")), "bias"));
    }

    /**
     * Runs {@link StatefulOptimizer#updateAll} (the training loop's multi-tensor path) for STEPS steps
     * on two parameters, "weight" = START and "bias" = -START, whose losses are sum(w * g_k).
     */
    static float[][] runAll(StatefulOptimizer optimizer) {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] negated = START.clone();
            for (int i = 0; i < negated.length; i++) {
                negated[i] = -negated[i];
            }
            List<NDArray> weights = List.of(m.create(START.clone()), m.create(negated));
            weights.forEach(w -> w.setRequiresGradient(true));
            for (int k = 1; k <= STEPS; k++) {
                NDArray g = m.create(toFloats(gradient(k)));
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    c.backward(weights.get(0).mul(g).sum().add(weights.get(1).mul(g).sum()));
                }
                List<NDArray> grads = List.of(weights.get(0).getGradient(), weights.get(1).getGradient());
                optimizer.updateAll(List.of("weight", "bias"), weights, grads);
                for (NDArray grad : grads) {
                    assertEquals(0f, grad.abs().sum().getFloat(), "gradient zeroed after the step");
                }
            }
            return new float[][] {weights.get(0).toFloatArray(), weights.get(1).toFloatArray()};
        }
    }

    static double[] negate(double[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = -a[i];
        }
        return out;
    }

    static double[] referenceFrom(float[] start, int slots, Rule rule) {
        double[] w = new double[start.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = start[i];
        }
        double[][] s = new double[slots][start.length];
        for (int k = 1; k <= STEPS; k++) {
            rule.step(w, gradient(k), s, lr(k), k);
        }
        return w;
    }

    @Test
    void fusedAdamMatchesRuleAndDjlOnAllParametersAtOnce() {
        assertTrue(TorchOps.available(), "libtorch's fused Adam loads on this engine, so the fused path is tested");
        float[] negStart = toFloats(negate(toDoubles(START)));
        float[][] fused = runAll((StatefulOptimizer) Optim.adam().optBeta1(0.9f).optBeta2(0.99f).optEps(1e-8f).build(LR, Set.of()));
        assertClose(reference(2, adamRule(0.9, 0.99, 1e-8, 0)), fused[0]);
        assertClose(referenceFrom(negStart, 2, adamRule(0.9, 0.99, 1e-8, 0)), fused[1]);
        float[] djl = run(Optimizer.adam().optLearningRateTracker(tracker()).optBeta1(0.9f).optBeta2(0.99f).build(), "p");
        for (int i = 0; i < djl.length; i++) {
            assertEquals(djl[i], fused[0][i], 1e-6 * Math.max(1, Math.abs(djl[i])), "DJL's Adam up to float rounding, element " + i);
        }
    }

    @Test
    void fusedAdamwDecaysWeightsOnly() {
        float[][] fused = runAll((StatefulOptimizer) Optim.adamw().optWeightDecay(0.5f).build(LR, Set.of("weight")));
        assertClose(reference(2, adamRule(0.9, 0.999, 1e-8, 0.5)), fused[0]);
        assertClose(referenceFrom(toFloats(negate(toDoubles(START))), 2, adamRule(0.9, 0.999, 1e-8, 0)), fused[1]);
    }

    @Test
    void withoutFusedKernelsUpdateAllEqualsDjlsAdam() {
        float[] djl = run(Optimizer.adam().optLearningRateTracker(tracker()).optBeta1(0.9f).optBeta2(0.99f).build(), "p");
        System.setProperty("dlkit.torchops", "false");
        try {
            assertTrue(!TorchOps.available());
            float[][] all = runAll((StatefulOptimizer) Optim.adam().optBeta1(0.9f).optBeta2(0.99f).optEps(1e-8f).build(LR, Set.of()));
            for (int i = 0; i < djl.length; i++) {
                assertEquals(djl[i], all[0][i], 0f, "DJL's per-parameter native update, bit for bit");
            }
        } finally {
            System.clearProperty("dlkit.torchops");
        }
    }

    @Test
    void parametersAtDifferentStepsAreUpdatedOneByOne() {
        // The fused call takes one step number; a parameter that joined later (different t) must
        // not get another's bias correction.
        StatefulOptimizer adam = (StatefulOptimizer) Optim.adam().build(LR, Set.of());
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1f, 2f});
            NDArray b = m.create(new float[] {1f, 2f});
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            adam.updateAll(List.of("a"), List.of(a), List.of(m.create(new float[] {0.5f, -0.5f})));
            adam.updateAll(List.of("a", "b"), List.of(a, b),
                    List.of(m.create(new float[] {0.5f, -0.5f}), m.create(new float[] {0.5f, -0.5f})));
            // b's first step moves each element by lr (Adam's first step is lr * sign(g)); a's second, by lr too
            // but from an already-moved start: both follow their own t.
            assertArrayEquals(new float[] {1f - 0.1f, 2f + 0.1f}, b.toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {1f - 0.1f - 0.05f, 2f + 0.1f + 0.05f}, a.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void stateRoundTripsThroughSaveAndLoad() throws Exception {
        for (Optim optim : new Optim[] {Optim.sgd(), Optim.sgd().optMomentum(0.9f), Optim.nesterov().optMomentum(0.9f), Optim.adagrad(),
                Optim.rmsprop().optRho(0.9f).optEps(1e-6f).optMomentum(0.5f).optCentered(true), Optim.adam(), Optim.adamw().optWeightDecay(0.1f)}) {
            double[] whole = toDoubles(run(optim.build(LR, Set.of("p")), "p"));
            // the same steps, with the optimizer saved after 3 steps and a fresh one loaded
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray w = m.create(START.clone());
                w.setRequiresGradient(true);
                StatefulOptimizer first = optim.build(LR, Set.of("p"));
                StatefulOptimizer second = optim.build(LR, Set.of("q"));
                StatefulOptimizer current = first;
                for (int k = 1; k <= STEPS; k++) {
                    if (k == 4) {
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        try (DataOutputStream out = new DataOutputStream(bytes)) {
                            first.save(Map.of("p", "w"), out);
                        }
                        first.close();
                        second.load(Map.of("w", "q"), m, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
                        current = second;
                    }
                    NDArray g = m.create(toFloats(gradient(k)));
                    try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                        c.backward(w.mul(g).sum());
                    }
                    current.update(current == first ? "p" : "q", w, w.getGradient());
                }
                assertClose(whole, w.toFloatArray());
                second.close();
            }
        }
    }

    @Test
    void loadRejectsAnotherOptimizersState() throws Exception {
        StatefulOptimizer adam = Optim.adam().build(LR, Set.of());
        run(adam, "p");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            adam.save(Map.of("p", "w"), out);
        }
        adam.close();
        try (NDManager m = NDManager.newBaseManager()) {
            StatefulOptimizer sgd = Optim.nesterov().optMomentum(0.9f).build(LR, Set.of());
            Exception e = assertThrows(java.io.IOException.class, () -> sgd.load(Map.of("w", "p"), m,
                    new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
            assertTrue(e.getMessage().contains("Adam"), e.getMessage());
        }
    }

    @Test
    void toStringShowsHyperParameters() {
        assertEquals("nesterov(momentum=0.9)", Optim.nesterov().optMomentum(0.9f).toString());
        assertEquals("rmsprop(rho=0.9, eps=1.0E-6, momentum=0.5, centered)", Optim.rmsprop().optRho(0.9f).optEps(1e-6f).optMomentum(0.5f).optCentered(true).toString());
        assertEquals("adamw(beta1=0.9, beta2=0.999, eps=1.0E-8, weightDecay=0.01)", Optim.adamw().optWeightDecay(0.01f).toString());
        assertEquals("adagrad(eps=1.0E-10)", Optim.adagrad().toString());
        assertThrows(IllegalArgumentException.class, () -> Optim.nesterov().optMomentum(0f));
        assertThrows(IllegalArgumentException.class, () -> Optim.rmsprop().optRho(1f).optEps(1e-8f));
        assertThrows(IllegalArgumentException.class, () -> Optim.adamw().optWeightDecay(-1f));
    }

    private static Tracker tracker() {
        return new Tracker() {
            @Override
            public float getNewValue(int numUpdate) {
                return lr(numUpdate);
            }
        };
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
