package dlkit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dlkit.engine.NoGradient;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The parameter values a fit keeps instead of starting them afresh ({@link Fit.Builder#addPretrained}):
 * layers trained in another run, for fine-tuning or transfer learning.
 *
 * <p>A fit otherwise starts every parameter from its seed. A model built around layers trained as
 * part of another model (a trained CNN's {@code features()} with a new head) would lose their
 * training without a word, and frozen, they would stay random. So such parameters are refused
 * unless kept: each parameter remembers the model whose fit last initialised it.
 */
final class Pretrained {

    /** The model each parameter was last initialised in by a fit; weak on both sides. */
    private static final Map<Parameter, WeakReference<Block>> OWNERS = Collections.synchronizedMap(new WeakHashMap<>());

    private final Map<Parameter, NDArray> kept;

    private Pretrained(Map<Parameter, NDArray> kept) {
        this.kept = kept;
    }

    /**
     * Copies the kept parts' values, after checking that nothing trained elsewhere would be lost.
     *
     * @throws IllegalArgumentException for a part that is not in the model or holds no values, and for
     *     parameters trained in another model that no part keeps
     */
    static Pretrained capture(Fit fit, NDManager manager) {
        List<Parameter> all = new ArrayList<>();
        fit.block.getParameters().forEach(p -> all.add(p.getValue()));
        Set<Parameter> inModel = Collections.newSetFromMap(new IdentityHashMap<>());
        inModel.addAll(all);
        Map<Parameter, NDArray> kept = new IdentityHashMap<>();
        for (Block part : fit.pretrained) {
            for (Pair<String, Parameter> p : part.getParameters()) {
                if (!inModel.contains(p.getValue())) {
                    throw new IllegalArgumentException("Fit: addPretrained was given a part that is not in the model ("
                            + p.getKey() + " is not among its parameters): pass the layer object the model holds");
                }
                if (!p.getValue().isInitialized()) {
                    throw new IllegalArgumentException("Fit: addPretrained was given a part without values (" + p.getKey()
                            + " has none yet): train it first, or leave addPretrained out to start it afresh");
                }
                if (p.getValue().getArray().isReleased()) {
                    throw new IllegalArgumentException("Fit: addPretrained was given a part whose values were freed ("
                            + p.getKey() + "): closing a run frees its model's values; keep the run that trained the"
                            + " part open while the part is used");
                }
                try (NoGradient scope = NoGradient.open()) {
                    NDArray copy = p.getValue().getArray().duplicate();
                    copy.attach(manager);
                    kept.put(p.getValue(), copy);
                }
            }
        }
        boolean mixed = all.stream().anyMatch(p -> !p.isInitialized());
        List<String> carried = new ArrayList<>();
        for (Pair<String, Parameter> p : fit.block.getParameters()) {
            Parameter parameter = p.getValue();
            if (!parameter.isInitialized() || kept.containsKey(parameter)) {
                continue;
            }
            WeakReference<Block> owner = OWNERS.get(parameter);
            if (owner != null ? owner.get() != fit.block : mixed) { // another model's (even one now gone), or set by hand
                carried.add(p.getKey());
            }
        }
        if (!carried.isEmpty()) {
            throw new IllegalArgumentException("Fit: " + carried.size() + " of the model's parameters (" + names(carried)
                    + ") already hold values, trained in another model or set by hand, and a fit starts every parameter"
                    + " afresh from its seed. To fine-tune those layers, keep them with .addPretrained(layer) (and"
                    + " layer.freezeParameters(true) to train only the new ones); to train them from scratch, build new"
                    + " layers instead of reusing these objects.");
        }
        return new Pretrained(kept);
    }

    private static String names(List<String> names) {
        return names.size() <= 4 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 3)) + " and " + (names.size() - 3) + " more";
    }

    /** Puts the kept values back after the fresh initialisation. */
    void restore() {
        try (NoGradient scope = NoGradient.open()) {
            kept.forEach((parameter, values) -> values.copyTo(parameter.getArray()));
        }
    }

    /** Records that a fit of this model initialised its parameters (those that got values). */
    static void owned(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().isInitialized()) {
                OWNERS.put(p.getValue(), new WeakReference<>(block));
            }
        }
    }
}
