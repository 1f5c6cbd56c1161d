package dlkit.kernel;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;

import javax.imageio.ImageIO;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dlkit.display.Html;
import dlkit.display.MimeBundle;
import dlkit.display.Tables;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * How values become notebook outputs: dlkit {@link MimeBundle}s, XChart charts, Tablesaw tables,
 * DJL arrays and shapes, and images. Everything else is {@code text/plain}, cut to a readable length.
 */
final class Renderers {

    /** Longest text/plain output, in characters, before it is cut. */
    static final int MAX_TEXT = 20_000;
    /** Charts are drawn at this scale and shown at their own size, so they stay crisp on HiDPI screens. */
    static final int CHART_SCALE = 2;

    private Renderers() {}

    /** JJava's renderer, which also remembers the types a notebook or a library registered. */
    static final class Registry extends Renderer {
        private final java.util.Set<Class<?>> registered = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public <T> void register(java.util.Set<MIMEType> supported, java.util.Set<MIMEType> preferred,
                java.util.Set<Class<? extends T>> types, org.dflib.jjava.jupyter.kernel.display.RenderFunction<T> function) {
            registered.addAll(types);
            super.register(supported, preferred, types, function);
        }

        /** Whether a renderer was registered for the value's type or one of its supertypes. */
        boolean renders(Object value) {
            return registered.stream().anyMatch(type -> type.isInstance(value));
        }
    }

    /** Registers every dlkit renderer on a JJava renderer (JJava adds images, URLs and text itself). */
    static void registerAll(Renderer renderer) {
        renderer.createRegistration(MimeBundle.class)
                .preferring(MIMEType.ANY)
                .supporting(MIMEType.ANY)
                .register((value, context) -> renderBundle(value, context.getOutputContainer()));
        renderer.createRegistration(Chart.class)
                .preferring(MIMEType.IMAGE_PNG)
                .supporting(MIMEType.IMAGE_PNG)
                .register((chart, context) -> renderChart(chart, context));
        renderer.createRegistration(Table.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_HTML)
                .register((table, context) -> {
                    context.renderIfRequested(MIMEType.TEXT_HTML, () -> Html.table(table));
                    context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> Html.text(table));
                });
        renderer.createRegistration(Row.class) // a history's best epoch, say: shown as a one-row table
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_HTML)
                .register((row, context) -> {
                    Table table = Tables.of(row);
                    context.renderIfRequested(MIMEType.TEXT_HTML, () -> Html.table(table));
                    context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> Html.text(table));
                });
        renderer.createRegistration(NDArray.class)
                .preferring(MIMEType.TEXT_PLAIN)
                .register((array, context) -> context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> ndArrayText(array)));
        renderer.createRegistration(Shape.class)
                .preferring(MIMEType.TEXT_PLAIN)
                .register((shape, context) -> context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> "Shape" + shape));
    }

    /** Copies an object's own bundle; adds text/plain when it forgot it. */
    static void renderBundle(MimeBundle value, DisplayData out) {
        Map<String, String> bundle = value.toMimeBundle();
        if (bundle != null) {
            bundle.forEach(out::putData);
        }
    }

    static void renderChart(Chart<?, ?> chart, RenderContext context) {
        context.renderIfRequested(MIMEType.IMAGE_PNG, () -> {
            context.getOutputContainer().putMetaData(MIMEType.IMAGE_PNG,
                    Map.of("width", chart.getWidth(), "height", chart.getHeight()));
            return chartPng(chart);
        });
        context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> chartText(chart));
    }

    /** Draws a chart at {@link #CHART_SCALE} times its size and returns base64 PNG. */
    static String chartPng(Chart<?, ?> chart) {
        int w = chart.getWidth();
        int h = chart.getHeight();
        if (w <= 0 || h <= 0) {
            throw new IllegalArgumentException("Chart size must be positive, got " + w + "x" + h
                    + "; build it with .width(..).height(..)");
        }
        BufferedImage image = new BufferedImage(w * CHART_SCALE, h * CHART_SCALE, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.scale(CHART_SCALE, CHART_SCALE);
            chart.paint(g, w, h);
        } finally {
            g.dispose();
        }
        return pngBase64(image);
    }

    static String chartText(Chart<?, ?> chart) {
        String title = chart.getTitle() == null || chart.getTitle().isEmpty() ? "untitled" : "\"" + chart.getTitle() + "\"";
        return chart.getClass().getSimpleName() + " " + title + " (" + chart.getWidth() + "x" + chart.getHeight() + ")";
    }

    static String pngBase64(RenderedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    static String ndArrayText(NDArray array) {
        if (array.isReleased()) {
            return "NDArray (closed)";
        }
        String name = array.getName() == null ? "" : " \"" + array.getName() + "\"";
        return "NDArray" + name + " " + array.getDataType() + " " + array.getShape() + " on " + array.getDevice()
                + "\n" + array.toDebugString(1000, 10, 10, 12, true);
    }

    /** Most elements shown per array level; the rest are counted. */
    static final int ARRAY_ELEMENTS = 100;

    /**
     * An array as JShell writes it, {@code int[3] { 1, 2, 3 }}, nested arrays too; arrays only have
     * Object's {@code toString} ({@code [I@1b6d3586}), which says nothing.
     */
    static String arrayText(Object array) {
        StringBuilder out = new StringBuilder();
        appendArray(out, array);
        return out.toString();
    }

    private static void appendArray(StringBuilder out, Object array) {
        int n = java.lang.reflect.Array.getLength(array);
        String type = array.getClass().getComponentType().getSimpleName();
        int bracket = type.indexOf('[');
        out.append(bracket < 0 ? type + "[" + n + "]" : type.substring(0, bracket) + "[" + n + "]" + type.substring(bracket))
                .append(n == 0 ? " {" : " { ");
        for (int i = 0; i < Math.min(n, ARRAY_ELEMENTS) && out.length() <= MAX_TEXT; i++) {
            Object e = java.lang.reflect.Array.get(array, i);
            out.append(i > 0 ? ", " : "");
            if (e != null && e.getClass().isArray()) {
                appendArray(out, e);
            } else {
                out.append(e instanceof String ? "\"" + e + "\"" : String.valueOf(e));
            }
        }
        out.append(n > ARRAY_ELEMENTS ? ", ... (" + (n - ARRAY_ELEMENTS) + " more) }" : n == 0 ? "}" : " }");
    }

    /** Cuts long text so a huge toString cannot flood the notebook. */
    static String truncate(String text) {
        if (text == null || text.length() <= MAX_TEXT) {
            return text;
        }
        return text.substring(0, MAX_TEXT) + "\n... (" + (text.length() - MAX_TEXT) + " more characters)";
    }
}
