package io.github.spencerpark.jupyter.kernel.display;

import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a {@link RenderFunction} is asked for, and where its output goes: JJava's render context,
 * seen as IJava's, taking IJava's or JJava's MIME types.
 */
public final class RenderContext {
    private final org.dflib.jjava.jupyter.kernel.display.RenderContext context;

    RenderContext(org.dflib.jjava.jupyter.kernel.display.RenderContext context) {
        this.context = context;
    }

    /** The renderer, to render parts of the value. */
    public Renderer getRenderer() {
        return new Renderer(context.getRenderer());
    }

    /** Where the rendered data goes: what is put here is shown. */
    public DisplayData getOutputContainer() {
        return new DisplayData(context.getOutputContainer());
    }

    /** The render parameters. */
    public Map<String, Object> getParams() {
        return context.getParams();
    }

    /** One render parameter, or null. */
    public Object getParameter(String key) {
        return context.getParameter(key);
    }

    /** One render parameter, or {@code fallback}. */
    public Object getParameter(String key, Object fallback) {
        return context.getParameter(key, fallback);
    }

    /** Whether the caller asked for this type. */
    public boolean wantsDataRenderedAs(MIMEType type) {
        return context.wantsDataRenderedAs(Renderer.jjava(type));
    }

    /** Puts the supplied data as this type when it was asked for; returns whether it was. */
    public boolean renderIfRequested(MIMEType type, Supplier<Object> data) {
        return context.renderIfRequested(Renderer.jjava(type), data);
    }

    /** As above, the function given the exact type asked for (a wildcard resolved). */
    public boolean renderIfRequested(MIMEType type, Function<MIMEType, Object> data) {
        return context.renderIfRequested(Renderer.jjava(type),
                (org.dflib.jjava.jupyter.kernel.display.mime.MIMEType t) -> data.apply(MIMEType.parse(t.toString())));
    }

    /** As above, the consumer putting the data into the output itself. */
    public boolean renderIfRequested(MIMEType type, BiConsumer<MIMEType, DisplayData> render) {
        return context.renderIfRequested(Renderer.jjava(type),
                (org.dflib.jjava.jupyter.kernel.display.mime.MIMEType t, org.dflib.jjava.jupyter.kernel.display.DisplayData out)
                        -> render.accept(MIMEType.parse(t.toString()), new DisplayData(out)));
    }

    // The same, with JJava's MIME types (notebooks written for JJava).

    public boolean wantsDataRenderedAs(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType type) {
        return context.wantsDataRenderedAs(type);
    }

    public boolean renderIfRequested(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType type, Supplier<Object> data) {
        return context.renderIfRequested(type, data);
    }

    public boolean renderIfRequested(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType type,
            Function<org.dflib.jjava.jupyter.kernel.display.mime.MIMEType, Object> data) {
        return context.renderIfRequested(type, data);
    }

    public boolean renderIfRequested(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType type,
            BiConsumer<org.dflib.jjava.jupyter.kernel.display.mime.MIMEType, org.dflib.jjava.jupyter.kernel.display.DisplayData> render) {
        return context.renderIfRequested(type, render);
    }
}
