package dlkit.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dlkit.eval.Evaluation;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

class PlotsTest {

    @TempDir Path temp;

    @Test
    void everyChartRendersAtItsSizeWithContent() {
        Evaluation eval = SampleFigures.evaluation(200);
        List<Figure> figures = List.of(
                LearningCurves.of(SampleFigures.runs()).figure(),
                LearningCurves.of(SampleFigures.history(0.3, 10)).metric("accuracy").figure(),
                LearningCurves.of(SampleFigures.batches(300)).smoothing(0.9).logScale().figure(),
                Plots.bar("accuracy", List.of("a", "b"), new double[] {0.5, 0.75}),
                Plots.groupedBar("per class", eval.perClass(), "class", "precision", "recall"),
                Plots.scatter("xy", "epoch", "loss", new double[] {1, 2, 3}, new double[] {3, 1, 2}),
                eval.confusion().heatMap(),
                eval.confusion().heatMap(true),
                ImageGrid.of(SampleFigures.images(5), 5, 1, 28, 28).labels(0, 1, 2, 3, 4).predicted(0, 1, 2, 3, 0).figure(),
                Figure.grid(2, Plots.scatter("a", "x", "y", new double[] {1, 2}, new double[] {1, 2}),
                        Plots.bar("b", List.of("x"), new double[] {1})));
        for (Figure figure : figures) {
            BufferedImage image = figure.image(2);
            assertEquals(figure.width() * 2, image.getWidth(), figure::toString);
            assertEquals(figure.height() * 2, image.getHeight(), figure::toString);
            double inked = inkedFraction(image);
            assertTrue(inked > 0.01 && inked < 0.9, figure + " has " + inked + " non-white pixels");
            assertTrue(hasColour(image), figure + " should contain coloured pixels");
        }
    }

    @Test
    void figureShowsInlineAsPng() throws IOException {
        Figure figure = Plots.bar("Test accuracy", List.of("SGD", "Adam"), new double[] {0.8, 0.9});
        Map<String, String> bundle = figure.toMimeBundle();
        assertEquals("Figure[Test accuracy, 640x400]", bundle.get("text/plain"));
        BufferedImage inline = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(bundle.get("image/png"))));
        assertEquals(Style.WIDTH, inline.getWidth());
        assertEquals(Style.HEIGHT, inline.getHeight());
    }

    @Test
    void saveWritesPngAndSvgAtomically() throws IOException {
        Figure figure = LearningCurves.of(SampleFigures.history(0.3, 10)).figure();
        List<Path> paths = figure.saveTo(temp.resolve("figs"), "loss", "png", "svg", "pdf");
        assertEquals(List.of("loss.png", "loss.svg", "loss.pdf"),
                paths.stream().map(p -> p.getFileName().toString()).toList());
        BufferedImage png = ImageIO.read(paths.get(0).toFile());
        assertEquals(Style.WIDTH * Style.EXPORT_SCALE, png.getWidth());
        assertEquals(Style.HEIGHT * Style.EXPORT_SCALE, png.getHeight());
        String svg = Files.readString(paths.get(1), StandardCharsets.UTF_8);
        assertTrue(svg.contains("<svg") && svg.contains("viewBox=\"0 0 640 400\"") && svg.contains("<path"), "an SVG at the logical size");
        assertTrue(new String(Files.readAllBytes(paths.get(2)), StandardCharsets.ISO_8859_1).startsWith("%PDF"));
        // Saving again replaces the files and leaves no temporary files behind.
        figure.saveTo(temp.resolve("figs"), "loss", "png");
        try (Stream<Path> files = Files.list(temp.resolve("figs"))) {
            assertEquals(3, files.count());
        }
    }

    @Test
    void savesIntoTheFiguresFolderSetByTheProperty() {
        String old = System.getProperty("dlkit.figures");
        try {
            System.setProperty("dlkit.figures", temp.toString());
            assertEquals(temp, Figure.folder());
            List<Path> saved = Plots.bar("b", List.of("x"), new double[] {1}).save("bar");
            assertEquals(List.of(temp.resolve("bar.png"), temp.resolve("bar.svg")), saved);
        } finally {
            if (old == null) {
                System.clearProperty("dlkit.figures");
            } else {
                System.setProperty("dlkit.figures", old);
            }
        }
    }

    @Test
    void learningCurvesOverlayRunsAndSkipMissingValidation() {
        Table sparse = SampleFigures.history(0.3, 6);
        DoubleColumn val = sparse.doubleColumn("val_loss");
        val.setMissing(1);
        val.setMissing(3);
        Figure figure = LearningCurves.of(Map.of("only", sparse)).figure();
        XYChart chart = (XYChart) figure.chart();
        assertNotNull(chart.getSeries("only (train)"));
        assertEquals(4, chart.getSeries("only (validation)").getXData().length);
        assertEquals("epoch", chart.getXAxisTitle());

        XYChart batches = (XYChart) LearningCurves.of(SampleFigures.batches(50)).figure().chart();
        assertEquals("step", batches.getXAxisTitle(), "per-batch tables plot against step");
    }

    @Test
    void onlyOnePartOfEachRunForManyRuns() {
        XYChart chart = (XYChart) LearningCurves.of(SampleFigures.runs()).metric("accuracy").only("validation")
                .figure().chart();
        assertEquals(3, chart.getSeriesCollection().size());
        assertNotNull(chart.getSeries("Adam"));
        assertEquals("Validation accuracy", chart.getTitle());
        assertMessage("only(\"train\") or only(\"validation\")", () -> LearningCurves.of(SampleFigures.runs()).only("val"));
    }

    @Test
    void smoothingIsABiasCorrectedMovingAverage() {
        // weight 0.5: a1 = 0.5*4 = 2 -> 2/(1-0.5) = 4; a2 = 0.5*2 + 0.5*8 = 5 -> 5/(1-0.25) = 6.667
        assertArrayEquals(new double[] {4, 20.0 / 3}, LearningCurves.smooth(new double[] {4, 8}, 0.5), 1e-12);
        assertArrayEquals(new double[] {3, 3, 3}, LearningCurves.smooth(new double[] {3, 3, 3}, 0.9), 1e-12);
    }

    @Test
    void confusionColoursRunFromLightToDark() {
        int light = brightness(ConfusionHeatMap.color(0));
        int mid = brightness(ConfusionHeatMap.color(0.5));
        int dark = brightness(ConfusionHeatMap.color(1));
        assertTrue(light > mid && mid > dark, light + " > " + mid + " > " + dark);
    }

    @Test
    void badInputIsExplained() {
        Table history = SampleFigures.history(0.3, 5);
        assertMessage("no column for metric 'f1'", () -> LearningCurves.of(history).metric("f1").figure());
        assertMessage("no x column 'time'", () -> LearningCurves.of(history).x("time").figure());
        assertMessage("no runs", () -> LearningCurves.of(Map.of()));
        assertMessage("[0, 1)", () -> LearningCurves.of(history).smoothing(1));
        Table negative = Table.create("h", IntColumn.create("epoch", 1, 2), DoubleColumn.create("train_loss", 1, -1));
        XYChart partly = (XYChart) LearningCurves.of(negative).logScale().figure().chart();
        assertNotNull(partly.getSeries("train (1 off scale)"), "values a log scale cannot show are left out and counted");
        Table none = Table.create("h", IntColumn.create("epoch", 1, 2), DoubleColumn.create("train_loss", 0, -1));
        assertMessage("all 2 are zero, negative or infinite", () -> LearningCurves.of(none).logScale().figure());
        assertMessage("2 categories but 1 values", () -> Plots.bar("b", List.of("a", "b"), new double[] {1}));
        assertMessage("no column 'nope'", () -> Plots.groupedBar("g", history, "nope", "train_loss"));
        assertMessage("x has 2 values but y has 1", () -> Plots.scatter("s", "x", "y", new double[] {1, 2}, new double[] {1}));
        assertMessage("labels has 2 entries for 3 images",
                () -> ImageGrid.of(new float[3 * 4], 3, 1, 2, 2).labels(1, 2));
        assertMessage("need 48", () -> ImageGrid.of(new float[10], 3, 1, 4, 4));
        assertMessage("1 (grey) or 3 (RGB)", () -> ImageGrid.of(new float[2 * 4], 1, 2, 2, 2));
        assertMessage("plain file name", () -> Plots.bar("b", List.of("x"), new double[] {1}).saveTo(temp, "a/b", "png"));
        assertMessage("unknown figure format 'jpg'", () -> Plots.bar("b", List.of("x"), new double[] {1}).saveTo(temp, "a", "jpg"));
    }

    static void assertMessage(String expected, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), () -> "message was: " + e.getMessage());
    }

    private static double inkedFraction(BufferedImage image) {
        long inked = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
                    inked++;
                }
            }
        }
        return inked / (double) (image.getWidth() * image.getHeight());
    }

    private static boolean hasColour(BufferedImage image) {
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int brightness(java.awt.Color c) {
        return c.getRed() + c.getGreen() + c.getBlue();
    }
}
