package dlkit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.tracker.ParameterTracker;
import dlkit.engine.Generator;
import dlkit.engine.NoGradient;
import dlkit.engine.TorchOps;
import dlkit.files.Digests;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The update rules behind {@link Optim}. SGD, heavy-ball momentum, Adam and AdamW call the fused
 * native updates of DJL's PyTorch engine, with exactly DJL's arguments (so results equal DJL's
 * {@code Sgd} and {@code Adam}); Nesterov, Adagrad and RMSprop, which that engine lacks, follow
 * PyTorch's documented rules with NDArray operations.
 */
final class UpdateRules {

    private UpdateRules() {}

    /** DJL's SGD: {@code w -= lr * g}; with momentum {@code s = mu * s + lr * g; w -= s}. */
    static final class Sgd extends StatefulOptimizer {
        private final float momentum;

        Sgd(ParameterTracker lr, float momentum) {
            super(lr, Set.of());
            this.momentum = momentum;
        }

        @Override
        int slots() {
            return momentum == 0 ? 0 : 1;
        }

        @Override
        boolean zeroesGradient() {
            return true;
        }

        @Override
        void apply(NDArray w, NDArray g, NDArray[] s, float lr, int t, boolean decayed) {
            NDList inputs = momentum == 0 ? new NDList(w, g) : new NDList(w, g, s[0]);
            w.getNDArrayInternal().sgdUpdate(inputs, new NDList(w), lr, 0f, 1f, -1f, momentum, true);
        }
    }

    /** PyTorch's SGD with {@code nesterov=True}: {@code b = mu * b + g; w -= lr * (g + mu * b)}. */
    static final class Nesterov extends StatefulOptimizer {
        private final float momentum;

        Nesterov(ParameterTracker lr, float momentum) {
            super(lr, Set.of());
            this.momentum = momentum;
        }

        @Override
        int slots() {
            return 1;
        }

        @Override
        void apply(NDArray w, NDArray g, NDArray[] s, float lr, int t, boolean decayed) {
            s[0].muli(momentum).addi(g);
            try (NDArray step = s[0].mul(momentum)) {
                w.subi(step.addi(g).muli(lr));
            }
        }
    }

    /** PyTorch's Adagrad: {@code G += g^2; w -= lr * g / (sqrt(G) + eps)}. */
    static final class Adagrad extends StatefulOptimizer {
        private final float eps;

        Adagrad(ParameterTracker lr, float eps) {
            super(lr, Set.of());
            this.eps = eps;
        }

        @Override
        int slots() {
            return 1;
        }

        @Override
        void apply(NDArray w, NDArray g, NDArray[] s, float lr, int t, boolean decayed) {
            try (NDArray g2 = g.square()) {
                s[0].addi(g2);
            }
            try (NDArray denominator = s[0].sqrt().addi(eps);
                    NDArray step = g.div(denominator)) {
                w.subi(step.muli(lr));
            }
        }
    }

    /**
     * PyTorch's RMSprop: {@code v = rho * v + (1 - rho) * g^2}; centred: {@code a = rho * a + (1 -
     * rho) * g} and {@code d = sqrt(v - a^2) + eps}, else {@code d = sqrt(v) + eps}; without momentum
     * {@code w -= lr * g / d}, with momentum {@code b = mu * b + g / d; w -= lr * b}.
     */
    static final class RmsProp extends StatefulOptimizer {
        private final float rho;
        private final float eps;
        private final float momentum;
        private final boolean centered;

        RmsProp(ParameterTracker lr, float rho, float eps, float momentum, boolean centered) {
            super(lr, Set.of());
            this.rho = rho;
            this.eps = eps;
            this.momentum = momentum;
            this.centered = centered;
        }

        @Override
        int slots() {
            return 1 + (centered ? 1 : 0) + (momentum > 0 ? 1 : 0);
        }

        @Override
        void apply(NDArray w, NDArray g, NDArray[] s, float lr, int t, boolean decayed) {
            NDArray v = s[0];
            try (NDArray g2 = g.square()) {
                v.muli(rho).addi(g2.muli(1 - rho));
            }
            NDArray denominator;
            if (centered) {
                NDArray avg = s[1];
                try (NDArray part = g.mul(1 - rho)) {
                    avg.muli(rho).addi(part);
                }
                try (NDArray avg2 = avg.square();
                        NDArray variance = v.sub(avg2)) {
                    denominator = variance.sqrt().addi(eps);
                }
            } else {
                denominator = v.sqrt().addi(eps);
            }
            try (denominator;
                    NDArray scaled = g.div(denominator)) {
                if (momentum > 0) {
                    NDArray buffer = s[slots() - 1];
                    buffer.muli(momentum).addi(scaled);
                    try (NDArray step = buffer.mul(lr)) {
                        w.subi(step);
                    }
                } else {
                    w.subi(scaled.muli(lr));
                }
            }
        }
    }

    /**
     * DJL's Adam: {@code m = b1 * m + (1 - b1) * g; v = b2 * v + (1 - b2) * g^2; w -= lr * sqrt(1 -
     * b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)}. With decoupled weight decay {@code wd} (AdamW), the
     * weights first shrink: {@code w -= lr * wd * w}.
     */
    static final class Adam extends StatefulOptimizer {
        private final float beta1;
        private final float beta2;
        private final float eps;
        private final float weightDecay;

        Adam(ParameterTracker lr, float beta1, float beta2, float eps, float weightDecay, Set<String> decayedIds) {
            super(lr, weightDecay > 0 ? decayedIds : Set.of());
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
            this.weightDecay = weightDecay;
        }

        @Override
        int slots() {
            return 2;
        }

        @Override
        boolean zeroesGradient() {
            return true;
        }

        @Override
        void apply(NDArray w, NDArray g, NDArray[] s, float lr, int t, boolean decayed) {
            double coef1 = 1.0 - Math.pow(beta1, t);
            double coef2 = 1.0 - Math.pow(beta2, t);
            float corrected = (float) (lr * Math.sqrt(coef2) / coef1);
            w.getNDArrayInternal().adamUpdate(
                    new NDList(w, g, s[0], s[1]), new NDList(w), lr, corrected,
                    decayed ? weightDecay : 0f, 1f, -1f, beta1, beta2, eps, true, weightDecay > 0);
        }

        /**
         * libtorch's fused Adam on all parameters at once (one call per weight-decay group). Its rule
         * adds eps after dividing by {@code sqrt(1 - b2^t)}; passing {@code eps / sqrt(1 - b2^t)}
         * makes it DJL's rule above, equal up to float rounding ({@code OptimTest}).
         */
        @Override
        boolean applyAll(List<NDArray> weights, List<NDArray> grads, NDArray[][] states, float[] lrs, int[] steps,
                boolean[] decayed) {
            if (!TorchOps.available() || !allEqual(lrs, steps)) {
                return false;
            }
            int t = steps[0];
            double scaledEps = eps / Math.sqrt(1.0 - Math.pow(beta2, t));
            for (boolean group : new boolean[] {false, true}) {
                List<NDArray> w = new ArrayList<>();
                List<NDArray> g = new ArrayList<>();
                List<NDArray> m = new ArrayList<>();
                List<NDArray> v = new ArrayList<>();
                for (int i = 0; i < weights.size(); i++) {
                    if (decayed[i] == group) {
                        w.add(weights.get(i));
                        g.add(grads.get(i));
                        m.add(states[i][0]);
                        v.add(states[i][1]);
                    }
                }
                if (!w.isEmpty()) {
                    TorchOps.adam(w, g, m, v, t, lrs[0], beta1, beta2, group ? weightDecay : 0f, scaledEps,
                            weightDecay > 0);
                }
            }
            return true;
        }

        private static boolean allEqual(float[] lrs, int[] steps) {
            for (int i = 1; i < lrs.length; i++) {
                if (lrs[i] != lrs[0] || steps[i] != steps[0]) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * An {@link UpdateRule} of the user's. Arrays the rule makes are freed after each call (a DJL
     * {@link NDScope}); state arrays it replaced rather than changed in place are kept instead of
     * the old ones; random numbers it draws come from the fit's stream ({@link Generator#draw}).
     */
    static final class Custom extends StatefulOptimizer {
        /** Steps of the test run before training: enough for a rule's step-dependent terms to show. */
        private static final int TEST_STEPS = 3;

        private static final long TEST_SEED = 42;

        private final int slots;
        private final UpdateRule rule;

        Custom(ParameterTracker lr, int slots, UpdateRule rule) {
            super(lr, Set.of());
            this.slots = slots;
            this.rule = rule;
        }

        @Override
        int slots() {
            return slots;
        }

        @Override
        void apply(NDArray w, NDArray g, NDArray[] s, float lr, int t, boolean decayed) {
            NDArray[] given = s.clone();
            try (NDScope scope = new NDScope()) {
                // Through Generator: a rule that draws random numbers draws from the run's own stream.
                Generator.draw(() -> {
                    rule.update(w, g, s, lr, t);
                    return null;
                });
                for (int k = 0; k < s.length; k++) {
                    if (s[k] != given[k]) {
                        keep(s, k, given[k], w);
                    }
                }
            }
        }

        /** A state array the rule replaced: the new one outlives the scope, the old one is freed. */
        private static void keep(NDArray[] s, int k, NDArray old, NDArray w) {
            if (s[k] == null || !s[k].getShape().equals(w.getShape())) {
                throw new IllegalStateException("the update rule set state[" + k + "] to "
                        + (s[k] == null ? "null" : "an array of shape " + s[k].getShape()) + "; each state array"
                        + " must keep the weight's shape " + w.getShape());
            }
            NDScope.unregister(s[k]);
            s[k].detach();
            if (old != null) {
                old.close();
            }
        }

        /**
         * Runs {@code optim}'s rule for a few steps on seeded test values and returns the SHA-256 of
         * what it computed, for the run key: an edited rule gives another hash. Refuses, before any
         * training, a rule that fails, leaves the weight unchanged or makes it NaN or infinite.
         */
        static String fingerprint(Optim optim, NDManager manager) {
            MessageDigest sha = Digests.newDigest("SHA-256");
            try (NDManager m = manager.newSubManager();
                    NoGradient off = NoGradient.open();
                    Generator.Scope held = Generator.hold()) {
                Generator.seed(TEST_SEED); // a rule that draws random numbers hashes the same every time
                Custom probe = new Custom((id, t) -> 0.01f, optim.stateArrays(), optim.rule());
                Random random = new Random(42);
                NDArray w = m.create(gaussian(random, 12), new Shape(3, 4));
                NDArray[] state = new NDArray[optim.stateArrays()];
                for (int k = 0; k < state.length; k++) {
                    state[k] = w.zerosLike();
                }
                for (int t = 1; t <= TEST_STEPS; t++) {
                    NDArray before = w.duplicate();
                    NDArray g = m.create(gaussian(random, 12), new Shape(3, 4));
                    try {
                        probe.apply(w, g, state, 0.01f, t, false);
                    } catch (RuntimeException e) {
                        throw refused(optim, "failed on a test step (" + e + ")", e);
                    }
                    if (t == 1 && before.contentEquals(w)) {
                        throw refused(optim, "left the weight unchanged on a test step with learning rate 0.01"
                                + " and a random gradient. Change the weight in place (weight.subi(...)): assigning"
                                + " a new array to the variable changes nothing", null);
                    }
                    if (!w.isInfinite().logicalOr(w.isNaN()).none().getBoolean()) {
                        throw refused(optim, "made the weight NaN or infinite on test step " + t, null);
                    }
                    Digests.update(sha, w);
                }
                for (NDArray a : state) {
                    a.close(); // replaced state arrays were detached from m
                }
            }
            return Digests.hex(sha.digest());
        }

        private static float[] gaussian(Random random, int n) {
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                values[i] = (float) random.nextGaussian();
            }
            return values;
        }

        private static IllegalArgumentException refused(Optim optim, String why, Throwable cause) {
            return new IllegalArgumentException("Optim.custom(\"" + optim.name() + "\"): the update rule " + why
                    + ". See UpdateRule's javadoc for what a rule may do.", cause);
        }
    }
}
