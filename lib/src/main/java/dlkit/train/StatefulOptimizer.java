package dlkit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import dlkit.engine.NoGradient;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Base of dlkit's optimizers: a DJL {@link Optimizer} whose state (per-parameter update counts and
 * moment arrays) is explicit, so that checkpoints save and restore it without reflection.
 *
 * <p>A subclass says how many state arrays a parameter needs ({@link #slots()}) and applies one
 * update ({@link #apply}); this class counts steps like DJL (step {@code t} starts at 1), creates
 * zero-filled state on first use, zeroes the gradient after the update (PyTorch accumulates into
 * it otherwise), and frees the state on {@link #close()}.
 */
abstract class StatefulOptimizer extends Optimizer implements AutoCloseable {

    private final ParameterTracker learningRate;
    private final Set<String> decayedIds;
    private final Map<String, NDArray[]> state = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();

    /**
     * @param learningRate where the learning rate of each step comes from
     * @param decayedIds ids of the parameters that decoupled weight decay applies to (weights, not
     *     biases); empty for optimizers without decoupled decay
     */
    StatefulOptimizer(ParameterTracker learningRate, Set<String> decayedIds) {
        super(new NoOptions());
        this.learningRate = learningRate;
        this.decayedIds = Set.copyOf(decayedIds);
    }

    /** Number of state arrays per parameter, each shaped like the parameter. */
    abstract int slots();

    /**
     * Updates {@code weight} in place.
     *
     * @param weight the parameter's values
     * @param grad its gradient (read only)
     * @param state {@link #slots()} arrays, zero-filled before the first step
     * @param lr the learning rate of this step
     * @param t the step, from 1
     * @param decayed whether decoupled weight decay applies to this parameter
     */
    abstract void apply(NDArray weight, NDArray grad, NDArray[] state, float lr, int t, boolean decayed);

    /** Whether {@link #apply} already zeroes the gradient (DJL's fused native updates do). */
    boolean zeroesGradient() {
        return false;
    }

    /** One step on one parameter (DJL's {@code Trainer.step()} calls this); see {@link #updateAll}. */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        updateAll(List.of(parameterId), List.of(weight), List.of(grad));
    }

    /**
     * One step on several parameters, the gradient of {@code weights.get(i)} being {@code
     * grads.get(i)}. Optimizers with a multi-tensor kernel ({@link #applyAll}) update them all in a
     * few native calls; the others, one by one as {@link #update} does.
     */
    void updateAll(List<String> ids, List<NDArray> weights, List<NDArray> grads) {
        int n = ids.size();
        int[] steps = new int[n];
        float[] lrs = new float[n];
        NDArray[][] states = new NDArray[n][];
        boolean[] decayed = new boolean[n];
        for (int i = 0; i < n; i++) {
            String id = ids.get(i);
            steps[i] = counts.merge(id, 1, Integer::sum);
            lrs[i] = learningRate.getNewValue(id, steps[i]);
            if (!Float.isFinite(lrs[i])) {
                throw new IllegalArgumentException("learning rate is " + lrs[i] + " at step " + steps[i]);
            }
            NDArray weight = weights.get(i);
            states[i] = state.computeIfAbsent(id, k -> zeros(weight));
            decayed[i] = decayedIds.contains(id);
        }
        // PyTorch's grad mode is per thread and on in a fresh one (a notebook kernel's cell thread):
        // in-place updates of a leaf that requires gradients then fail, so switch it off here.
        try (NoGradient scope = NoGradient.open()) {
            if (applyAll(weights, grads, states, lrs, steps, decayed)) {
                return;
            }
            for (int i = 0; i < n; i++) {
                apply(weights.get(i), grads.get(i), states[i], lrs[i], steps[i], decayed[i]);
                if (!zeroesGradient()) {
                    JniUtils.zeroGrad((PtNDArray) weights.get(i));
                }
            }
        }
    }

    /**
     * Applies one step to all the given parameters and zeroes their gradients in as few native
     * calls as the engine allows; returns false, having changed nothing, where it cannot (then
     * {@link #apply} runs per parameter). Arguments as for {@link #apply}, one entry per parameter.
     */
    boolean applyAll(List<NDArray> weights, List<NDArray> grads, NDArray[][] states, float[] lrs, int[] steps,
            boolean[] decayed) {
        return false;
    }

    private NDArray[] zeros(NDArray weight) {
        NDArray[] s = new NDArray[slots()];
        for (int i = 0; i < s.length; i++) {
            s[i] = weight.zerosLike();
            s[i].detach(); // owned here, freed by close()
        }
        return s;
    }

    /** Writes counts and state by parameter name ({@code idToName}: DJL ids change per session). */
    void save(Map<String, String> idToName, DataOutputStream out) throws IOException {
        Map<String, String> byName = new TreeMap<>();
        for (String id : counts.keySet()) {
            byName.put(name(idToName, id), id);
        }
        out.writeUTF(getClass().getSimpleName());
        out.writeInt(byName.size());
        for (Map.Entry<String, String> e : byName.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(counts.get(e.getValue()));
            NDArray[] s = state.get(e.getValue());
            out.writeInt(s.length);
            for (NDArray a : s) {
                byte[] bytes = a.encode();
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
    }

    /** Replaces the state with what {@link #save} wrote. */
    void load(Map<String, String> nameToId, NDManager manager, DataInputStream in) throws IOException {
        close();
        String kind = in.readUTF();
        if (!kind.equals(getClass().getSimpleName())) {
            throw new IOException("checkpoint holds " + kind + " state, not " + getClass().getSimpleName());
        }
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            String id = nameToId.get(name);
            if (id == null) {
                throw new IOException("checkpoint holds optimizer state for parameter '" + name
                        + "' that the model does not have");
            }
            counts.put(id, in.readInt());
            NDArray[] s = new NDArray[in.readInt()];
            if (s.length != slots()) {
                throw new IOException("optimizer state of '" + name + "' has " + s.length + " arrays, expected " + slots());
            }
            state.put(id, s); // before decoding, so that close() frees what was read if a later one fails
            for (int k = 0; k < s.length; k++) {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                s[k] = NDArray.decode(manager, bytes);
                s[k].detach();
            }
        }
    }

    /** Frees the state arrays and forgets the step counts. */
    @Override
    public void close() {
        for (NDArray[] s : state.values()) {
            for (NDArray a : s) {
                if (a != null) {
                    a.close();
                }
            }
        }
        state.clear();
        counts.clear();
    }

    private static String name(Map<String, String> idToName, String id) {
        String name = idToName.get(id);
        if (name == null) {
            throw new IllegalStateException("optimizer holds state for unknown parameter " + id);
        }
        return name;
    }

    /** DJL's base class wants a builder; dlkit's optimizers take no DJL-level options. */
    private static final class NoOptions extends OptimizerBuilder<NoOptions> {
        @Override
        protected NoOptions self() {
            return this;
        }
    }
}
