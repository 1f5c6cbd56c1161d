package dlkit.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.util.Pair;
import dlkit.engine.Generator;
import dlkit.engine.NoGradient;
import dlkit.files.Digests;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The run-cache key of a fit: everything that can change what training computes, described and
 * hashed. A cached run is returned only for the same key, so the key must change whenever the
 * computation could; when in doubt it changes and the fit trains.
 *
 * <p>It covers: the block tree (every block's class and settings, lambdas with their captured
 * values, parameter names, shapes, trained or frozen, initializers) and the initial parameter
 * values; a <em>functional fingerprint</em>, the outputs of the freshly initialised network on the
 * first training examples and on seeded random inputs (in inference and in training mode), its loss,
 * its evaluators' values and the augmentation of those examples, which tells apart what no
 * description can (an activation given as {@code Activation::relu} or {@code Activation::tanh}); the
 * loss and evaluators with all their settings; the optimizer (a custom one's rule as described and
 * as computed on test values), learning rate, schedule, epochs, batch size, weight decay, clipping,
 * shuffling, augmentation; the data (its identity or content hash); seed, profile, the dlkit, DJL
 * and engine versions and the cache format.
 */
final class RunKey {

    /** Examples of the training data the fingerprint runs the network on. */
    private static final int PROBE_EXAMPLES = 8;

    private final Map<String, Object> items;
    private final String hash;

    private RunKey(Map<String, Object> items) {
        this.items = Collections.unmodifiableMap(items);
        this.hash = Digests.sha256(RunStore.GSON.toJson(items).getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    /**
     * Computes the key of a fit whose block was just initialised from the fit's seed. The training-mode
     * probe updates batch-norm statistics: initialise the block again before training.
     *
     * @return the key
     */
    static RunKey of(Fit fit, Block block, NDManager manager, boolean labelRows) {
        Map<String, Object> items = new LinkedHashMap<>();
        items.put("format", Fit.CACHE_FORMAT);
        items.put("versions", "dlkit " + dlkit.Version.get() + ", DJL " + Engine.getDjlVersion() + ", "
                + Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        items.put("model", Description.ofBlock(block));
        items.put("parameters.sha256", parameterHash(block));
        items.put("fingerprint.sha256", fingerprint(fit, block, manager, labelRows));
        items.put("data", fit.dataKey());
        items.put("loss", Description.of(fit.loss));
        List<String> evaluators = new ArrayList<>();
        fit.evaluators.forEach(e -> evaluators.add(Description.of(e)));
        items.put("evaluators", evaluators);
        Map<String, Object> optimizer = new LinkedHashMap<>();
        optimizer.put("name", fit.optim.rule() != null ? "custom" : fit.optim.name()); // a custom one's name is a label
        fit.optim.settings().forEach((k, v) -> optimizer.put(k, String.valueOf(v)));
        if (fit.optim.rule() != null) { // the rule's code and captured values, and what it computes
            optimizer.put("stateArrays", String.valueOf(fit.optim.stateArrays()));
            optimizer.put("rule", Description.of(fit.optim.rule()));
            optimizer.put("rule.sha256", UpdateRules.Custom.fingerprint(fit.optim, manager));
        }
        items.put("optimizer", optimizer);
        fit.settings().forEach((k, v) -> items.put(k, String.valueOf(v)));
        if (fit.schedule.rule() != null) { // a custom schedule: its code and every epoch's rate, not its name
            items.put("schedule", "custom");
            items.put("schedule.rule", Description.of(fit.schedule.rule()));
            items.put("schedule.rates", java.util.Arrays.toString(fit.schedule.checkedRates(fit.learningRate, fit.epochs)));
        }
        if (fit.augmentation != null) {
            items.put("augmentation.fields", Description.of(fit.augmentation));
        }
        return new RunKey(items);
    }

    /**
     * The key: the first 16 hexadecimal digits of the SHA-256 of the described items.
     *
     * @return e.g. {@code 3fa1c0d2e4b59a01}
     */
    String hash() {
        return hash;
    }

    /** The described items, for provenance: strings, lists of lines and maps. */
    Map<String, Object> items() {
        return items;
    }

    /** The items as text, one {@code name=value} per line (lists: one line per element). */
    String config() {
        StringBuilder sb = new StringBuilder();
        items.forEach((k, v) -> {
            if (v instanceof List<?> list) {
                sb.append(k).append("=\n");
                list.forEach(line -> sb.append("  ").append(line).append('\n'));
            } else if (v instanceof Map<?, ?> map) {
                map.forEach((mk, mv) -> sb.append(k).append('.').append(mk).append('=').append(mv).append('\n'));
            } else {
                sb.append(k).append('=').append(v).append('\n');
            }
        });
        return sb.toString();
    }

    private static String parameterHash(Block block) {
        MessageDigest sha = Digests.newDigest("SHA-256");
        for (Pair<String, Parameter> p : block.getParameters()) {
            sha.update(p.getKey().getBytes(StandardCharsets.UTF_8));
            update(sha, p.getValue().getArray());
        }
        return Digests.hex(sha.digest());
    }

    /** What the fresh network computes, on data and on seeded noise; see the class comment. */
    private static String fingerprint(Fit fit, Block block, NDManager manager, boolean labelRows) {
        MessageDigest sha = Digests.newDigest("SHA-256");
        try (NDManager m = manager.newSubManager();
                NoGradient scope = NoGradient.open(block)) {
            int n = Math.min(PROBE_EXAMPLES, fit.train.size());
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            NDList[] xy = fit.train.batch(m, order, 0, n);
            ParameterStore parameters = new ParameterStore(m, false);
            NDList out = block.forward(parameters, xy[0], false);
            out.forEach(a -> update(sha, a));
            update(sha, BatchLoss.of(fit.loss, xy[1], out));
            for (Evaluator e : fit.evaluators) {
                outcome(sha, () -> e.evaluate(LabelCheck.labelsFor(e, xy[1], labelRows), out));
            }
            NDArray x = xy[0].head();
            if (x.getDataType().isFloating()) {
                // Inputs far from the data tell apart layers that agree on it (a clip, say).
                outcome(sha, () -> block.forward(parameters, new NDList(noise(m, x)), false).head());
            }
            if (fit.augmentation != null) {
                outcome(sha, () -> fit.augmentation.apply(x, new Random(fit.seed)));
            }
            try (Generator.Scope held = Generator.hold();
                    Generator.Scope draws = Generator.stream(fit.seed)) {
                Seeds.seedEngine(fit.seed);
                outcome(sha, () -> block.forward(parameters, xy[0], true).head()); // dropout, batch statistics
            }
        }
        return Digests.hex(sha.digest());
    }

    private static NDArray noise(NDManager m, NDArray like) {
        Random random = new Random(like.getShape().hashCode());
        float[] values = new float[Math.toIntExact(like.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * 10);
        }
        return m.create(values, like.getShape()).toType(like.getDataType(), false);
    }

    /** Hashes a computed array, or the kind of error it failed with: that too is behaviour. */
    private static void outcome(MessageDigest sha, java.util.function.Supplier<NDArray> computation) {
        try {
            update(sha, computation.get());
        } catch (RuntimeException e) {
            sha.update(("failed:" + e.getClass().getName()).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void update(MessageDigest sha, NDArray array) {
        Digests.update(sha, array);
    }
}
