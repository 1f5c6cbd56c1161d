package dlkit.plot;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dlkit.engine.Engines;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Renders every kind of figure into one folder, {@code lib/target/gallery}, as the export writes
 * them: the place to look at all of them together after a change to the style.
 */
class GalleryTest {

    static final Path GALLERY = Paths.get("target/gallery");

    @Test
    void everyKindOfFigureRendersIntoTheGallery() throws Exception {
        SampleFigures.main(new String[] {GALLERY.toString()});
        SurfacePlotsTest.Bowl b = new SurfacePlotsTest.Bowl();
        Surface3D.of(b.xs, b.ys, b.z).path(b.px, b.py, b.pz).labels("PC1 (80%)", "PC2 (12%)", "loss")
                .title("Loss surface").figure().saveTo(GALLERY, "surface", "png", "svg");
        ContourMap.of(b.xs, b.ys, b.z).path(b.px, b.py).labels("PC1", "PC2", "loss").title("Loss contours")
                .figure().saveTo(GALLERY, "contour", "png", "svg");
        Table runs = Table.create("runs", StringColumn.create("optimizer"), IntColumn.create("epoch"),
                DoubleColumn.create("val_loss"));
        for (String name : new String[] {"SGD", "Adam", "AdamW"}) {
            for (int seed = 0; seed < 3; seed++) {
                for (int e = 1; e <= 20; e++) {
                    runs.stringColumn("optimizer").append(name);
                    runs.intColumn("epoch").append(e);
                    runs.doubleColumn("val_loss").append((name.equals("SGD") ? 2.0 : 1.0) / e + 0.05 * seed + 0.1);
                }
            }
        }
        BandCurves.of(runs, "optimizer", "epoch", "val_loss").logScale().figure().saveTo(GALLERY, "bands", "png", "svg");
        Map<String, Table> depth = new LinkedHashMap<>();
        for (double factor : new double[] {1, 0.5, 0.0128, 128}) {
            Table t = Table.create("d", IntColumn.create("depth"), DoubleColumn.create("variance"));
            for (int l = 1; l <= 20; l++) {
                t.intColumn("depth").append(l);
                t.doubleColumn("variance").append(Math.pow(factor, l));
            }
            depth.put("factor " + factor, t);
        }
        LearningCurves.of(depth).x("depth").metric("variance").logScale().title("Variance by depth over 80 decades")
                .figure().saveTo(GALLERY, "log-many-decades", "png", "svg");
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            ImageRows.of("original", m.randomUniform(0, 1, new Shape(8, 784)))
                    .row("reconstructed", m.randomUniform(0, 1, new Shape(8, 784))).figure()
                    .saveTo(GALLERY, "image-rows", "png", "svg");
        }
        int pngs = 0;
        try (Stream<Path> files = Files.list(GALLERY)) {
            for (Path png : files.filter(p -> p.toString().endsWith(".png")).toList()) {
                BufferedImage image = ImageIO.read(png.toFile());
                assertTrue(image.getWidth() >= 2 * 200 && image.getHeight() >= 2 * 100, png + " is exported at 2x");
                pngs++;
            }
        }
        assertTrue(pngs >= 15, pngs + " figures in the gallery");
        assertTrue(Style.TICK_FONT.getSize() >= Style.MIN_TEXT_PX && Style.LEGEND_FONT.getSize() >= Style.MIN_TEXT_PX
                && Style.SMALL_FONT.getSize() >= Style.MIN_TEXT_PX, "no text below 9 pt in an A4 column");
    }
}
