package io.github.spencerpark.jupyter.kernel.display;

/**
 * How a registered type is rendered: put data into the context's output for the requested types.
 *
 * @param <T> the type rendered
 */
@FunctionalInterface
public interface RenderFunction<T> {
    /** Renders {@code data} into {@code context}'s output for the types it asks for. */
    void render(T data, RenderContext context);
}
