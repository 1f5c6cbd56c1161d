package dlkit.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * A scope in which PyTorch records the autograd graph on the current thread, and the backward
 * pass through it: what DJL's {@code GradientCollector} does, without its process-wide flag that
 * lets only one thread collect at a time (grad mode is per thread in PyTorch, so several fits can
 * train at once). Closing it restores the thread's previous mode.
 *
 * <pre>{@code
 * try (Gradients recording = Gradients.open()) {
 *     NDArray loss = ...;           // forward pass and loss
 *     recording.backward(loss);     // adds d loss / d w to every trained parameter's gradient
 * }
 * }</pre>
 */
public final class Gradients implements AutoCloseable {

    private final boolean previous;

    private Gradients() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
    }

    /** Switches gradient recording on for this thread until {@link #close()}. */
    public static Gradients open() {
        return new Gradients();
    }

    /**
     * Back-propagates a scalar (or, as DJL does, a sum of all elements of) {@code loss}.
     *
     * @param loss the loss computed inside this scope
     */
    public void backward(NDArray loss) {
        try (NDArray ones = loss.onesLike()) {
            JniUtils.backward((PtNDArray) loss, (PtNDArray) ones, false, false);
        }
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
