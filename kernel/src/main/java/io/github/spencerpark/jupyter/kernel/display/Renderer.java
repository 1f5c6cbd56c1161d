package io.github.spencerpark.jupyter.kernel.display;

import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.util.Arrays;

/**
 * The kernel's renderer as notebooks written for IJava use it, e.g. to show their own types as
 * HTML:
 *
 * <pre>{@code
 * IJava.getKernelInstance().getRenderer()
 *         .createRegistration(Money.class)
 *         .preferring(MIMEType.TEXT_HTML)
 *         .register((money, ctx) -> ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> "<b>" + money + "</b>"));
 * }</pre>
 *
 * Registrations go to the kernel's own (JJava) renderer, so they apply to cell results,
 * {@code display(...)} and {@code render(...)} alike. The MIME types may be IJava's or JJava's
 * ({@code org.dflib.jjava.jupyter.kernel.display.mime.MIMEType}), as notebooks written for either
 * kernel name them.
 */
public final class Renderer {
    private final org.dflib.jjava.jupyter.kernel.display.Renderer renderer;

    /**
     * Wraps the kernel's renderer.
     *
     * @param renderer JJava's renderer
     */
    public Renderer(org.dflib.jjava.jupyter.kernel.display.Renderer renderer) {
        this.renderer = renderer;
    }

    static org.dflib.jjava.jupyter.kernel.display.mime.MIMEType jjava(MIMEType type) {
        return org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.parse(type.toString());
    }

    private static org.dflib.jjava.jupyter.kernel.display.mime.MIMEType[] jjava(MIMEType... types) {
        return Arrays.stream(types).map(Renderer::jjava)
                .toArray(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType[]::new);
    }

    /** Starts registering how values of a type are rendered. */
    public <T> RenderRegistration<T> createRegistration(Class<T> type) {
        return new RenderRegistration<>(renderer.createRegistration(type));
    }

    /** Renders a value as its preferred types. */
    public DisplayData render(Object value) {
        return new DisplayData(renderer.render(value));
    }

    /** Renders a value as the given types. */
    public DisplayData renderAs(Object value, String... types) {
        return new DisplayData(renderer.renderAs(value, types));
    }

    /** Which types a renderer supports and prefers, then {@link #register}. */
    public static final class RenderRegistration<T> {
        private final org.dflib.jjava.jupyter.kernel.display.Renderer.RenderRegistration<T> registration;

        RenderRegistration(org.dflib.jjava.jupyter.kernel.display.Renderer.RenderRegistration<T> registration) {
            this.registration = registration;
        }

        /** Types it can render when asked. */
        public RenderRegistration<T> supporting(MIMEType... types) {
            registration.supporting(jjava(types));
            return this;
        }

        /** As JJava's notebooks name the types ({@code org.dflib.jjava...MIMEType}). */
        public RenderRegistration<T> supporting(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType... types) {
            registration.supporting(types);
            return this;
        }

        public RenderRegistration<T> supporting(String... types) {
            registration.supporting(types);
            return this;
        }

        /** Types it renders by default (and supports). */
        public RenderRegistration<T> preferring(MIMEType... types) {
            registration.preferring(jjava(types));
            return this;
        }

        /** As JJava's notebooks name the types ({@code org.dflib.jjava...MIMEType}). */
        public RenderRegistration<T> preferring(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType... types) {
            registration.preferring(types);
            return this;
        }

        public RenderRegistration<T> preferring(String... types) {
            registration.preferring(types);
            return this;
        }

        /** One more type the same function renders. */
        public RenderRegistration<T> onType(Class<? extends T> type) {
            registration.onType(type);
            return this;
        }

        /** Registers the function with the kernel's renderer. */
        public void register(RenderFunction<T> function) {
            registration.register((value, context) -> function.render(value, new RenderContext(context)));
        }
    }
}
