package dlkit.engine;

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
 */
public final class NoGradient implements AutoCloseable {

    private final boolean previous;

    private NoGradient() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    /** Switches gradient recording off on this thread until {@link #close()}. */
    public static NoGradient open() {
        return new NoGradient();
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
