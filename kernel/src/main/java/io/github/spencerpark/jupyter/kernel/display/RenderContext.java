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

    public Renderer getRenderer() {
        return new Renderer(context.getRenderer());
    }

    public DisplayData getOutputContainer() {
        return new DisplayData(context.getOutputContainer());
    }

    public Map<String, Object> getParams() {
        return context.getParams();
    }

    public Object getParameter(String key) {
        return context.getParameter(key);
    }

    public Object getParameter(String key, Object fallback) {
        return context.getParameter(key, fallback);
    }

    public boolean wantsDataRenderedAs(MIMEType type) {
        return context.wantsDataRenderedAs(Renderer.jjava(type));
    }

    public boolean renderIfRequested(MIMEType type, Supplier<Object> data) {
        return context.renderIfRequested(Renderer.jjava(type), data);
    }

    public boolean renderIfRequested(MIMEType type, Function<MIMEType, Object> data) {
        return context.renderIfRequested(Renderer.jjava(type),
                (org.dflib.jjava.jupyter.kernel.display.mime.MIMEType t) -> data.apply(MIMEType.parse(t.toString())));
    }

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
