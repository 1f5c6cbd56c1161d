package dlkit.engine;

import ai.djl.nn.Block;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.pytorch.jni.JniUtils;

/**
 * A scope in which PyTorch records no autograd graph on the current thread, like Python's {@code
 * with torch.no_grad():}; closing it restores the thread's previous mode.
 *
 * <pre>{@code
 * try (NoGradient scope = NoGradient.open()) {
 *     NDArray scores = block.forward(parameters, inputs, false).singletonOrThrow();
 * }
 * }</pre>
 *
 * <p>Evaluation needs it: without it a forward pass keeps every activation for a backward pass that
 * never comes. Optimizer updates need it too, because PyTorch's grad mode is per thread and on in a
 * fresh thread (a notebook cell's), where in-place updates of trained weights would fail.
 *
 * <p>Evaluate a network with {@link #open(Block)}: it keeps recording on for an LSTM, whose
 * inference kernel can compute wrong outputs (see there).
 */
public final class NoGradient implements AutoCloseable {

    private final boolean previous;

    private NoGradient(boolean recording) {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(recording);
    }

    /** Switches gradient recording off on this thread until {@link #close()}. */
    public static NoGradient open() {
        return new NoGradient(false);
    }

    /**
     * Opens a scope for evaluating {@code block}: {@link #open()}, except that a block with an LSTM
     * records. PyTorch 2.7 runs an LSTM on oneDNN, which has a separate inference kernel, chosen when
     * recording is off; on AVX-512 CPUs it computes wrong outputs for some state sizes (measured on
     * an AMD EPYC: 1, 8, 16, 33, 48, 65 and 100 off by up to 1.4; 24, 32, 56 and 64 right; GRU and
     * RNN right), so a trained LSTM would validate and predict as a different network. Recording
     * keeps the kernel it trains with. Outputs that outlive the scope should be detached ({@code
     * stopGradient()}), or they hold the recorded graph.
     *
     * @param block the network about to be evaluated
     * @return the scope; close it to restore the thread's mode
     */
    public static NoGradient open(Block block) {
        return new NoGradient(TorchOps.contains(block, LSTM.class));
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
