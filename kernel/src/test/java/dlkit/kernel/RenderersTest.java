package dlkit.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Map;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

class RenderersTest {

    private final Renderer renderer = new Renderer();

    RenderersTest() {
        Renderers.registerAll(renderer);
    }

    @Test
    void chartIsCrispPngShownAtItsOwnSize() throws Exception {
        XYChart chart = new XYChartBuilder().width(300).height(200).title("loss").build();
        chart.addSeries("train", new double[] {1, 2, 3}, new double[] {3, 2, 1});
        DisplayData data = renderer.render(chart);
        byte[] png = Base64.getDecoder().decode((String) data.getData(MIMEType.IMAGE_PNG));
        var image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        assertEquals(600, image.getWidth());
        assertEquals(400, image.getHeight());
        assertTrue(((String) data.getData(MIMEType.TEXT_PLAIN)).contains("\"loss\""));
    }

    @Test
    void longTableIsCutWithRowCount() {
        int[] values = new int[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        Table table = Table.create("big", IntColumn.create("v", values));
        DisplayData data = renderer.render(table);
        String html = (String) data.getData(MIMEType.TEXT_HTML);
        assertTrue(html.contains("1000 rows x 1 column"));
        assertTrue(html.contains(">999</td>"));
        assertFalse(html.contains(">500</td>"));
        assertTrue(html.contains("&hellip;"));
        String text = (String) data.getData(MIMEType.TEXT_PLAIN);
        assertTrue(text.startsWith("big\n"), text);
        assertTrue(text.endsWith("1000 rows x 1 column"), text);
    }

    @Test
    void aRowShowsAsAOneRowTableRounded() {
        Table table = Table.create("history", IntColumn.create("epoch", 1, 2),
                tech.tablesaw.api.DoubleColumn.create("train_loss", 0.5, 4.970949679613113));
        tech.tablesaw.api.Row row = new tech.tablesaw.api.Row(table);
        row.at(1);
        DisplayData data = renderer.render(row);
        String text = (String) data.getData(MIMEType.TEXT_PLAIN);
        assertTrue(text.contains("4.971") && !text.contains("4.9709"), text);
        assertTrue(text.contains("2") && !text.contains("0.5"), "only the row: " + text);
        assertTrue(((String) data.getData(MIMEType.TEXT_HTML)).contains("<table"));
    }

    @Test
    void htmlIsEscaped() {
        Table table = Table.create("t", IntColumn.create("<b>", 1));
        assertTrue(((String) renderer.render(table).getData(MIMEType.TEXT_HTML)).contains("&lt;b&gt;"));
    }

    @Test
    void mimeBundleObjectsRenderThemselves() {
        dlkit.display.MimeBundle bundle = () -> Map.of("text/html", "<i>x</i>", "text/plain", "x");
        DisplayData data = renderer.render(bundle);
        assertEquals("<i>x</i>", data.getData(MIMEType.TEXT_HTML));
        assertEquals("x", data.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void setterChainResultsAreNoise() {
        XYChart chart = new XYChartBuilder().build();
        XYSeries series = chart.addSeries("s", new double[] {1}, new double[] {1});
        assertTrue(JavaKernel.isNoise(series));
        assertTrue(JavaKernel.isNoise(chart.getStyler()));
        assertFalse(JavaKernel.isNoise(chart));
        assertFalse(JavaKernel.isNoise("text"));
        assertFalse(JavaKernel.isNoise(42));
    }

    @Test
    void arraysAreShownAsJShellShowsThem() {
        assertFalse(JavaKernel.isNoise(new int[0]));
        assertEquals("int[3] { 1, 2, 3 }", Renderers.arrayText(new int[] {1, 2, 3}));
        assertEquals("double[2][] { double[1] { 0.5 }, null }", Renderers.arrayText(new double[][] {{0.5}, null}));
        assertEquals("String[1] { \"a\" }", Renderers.arrayText(new String[] {"a"}));
        String longArray = Renderers.arrayText(new long[Renderers.ARRAY_ELEMENTS + 5]);
        assertTrue(longArray.startsWith("long[105] { 0, 0,") && longArray.endsWith(", ... (5 more) }"), longArray);
    }

    @Test
    void hugeTextIsTruncated() {
        String big = "x".repeat(Renderers.MAX_TEXT + 1000);
        String cut = Renderers.truncate(big);
        assertTrue(cut.length() < big.length());
        assertTrue(cut.endsWith("(1000 more characters)"));
    }
}
