package dlkit.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SurfacePlotsTest {

    /** A tilted bowl with a path spiralling into its minimum at (0.3, -0.2). */
    static final class Bowl {
        final double[] xs = new double[25];
        final double[] ys = new double[25];
        final double[][] z = new double[25][25];
        final double[] px = new double[30];
        final double[] py = new double[30];
        final double[] pz = new double[30];

        Bowl() {
            for (int i = 0; i < 25; i++) {
                xs[i] = -2 + 4.0 * i / 24;
                ys[i] = -1.5 + 3.0 * i / 24;
            }
            for (int j = 0; j < 25; j++) {
                for (int i = 0; i < 25; i++) {
                    z[j][i] = f(xs[i], ys[j]);
                }
            }
            for (int k = 0; k < 30; k++) {
                double r = 1.6 * Math.exp(-k / 8.0);
                double a = k / 5.0;
                px[k] = 0.3 + r * Math.cos(a);
                py[k] = -0.2 + 0.8 * r * Math.sin(a);
                pz[k] = f(px[k], py[k]);
            }
        }

        static double f(double x, double y) {
            double dx = x - 0.3;
            double dy = y + 0.2;
            return 0.25 + 0.6 * dx * dx + 1.4 * dy * dy + 0.3 * Math.sin(2 * x) * Math.cos(3 * y) + 0.3;
        }
    }

    @Test
    void surfaceRendersShadedPixelsAndSavesPngAndSvg(@TempDir Path dir) throws Exception {
        Bowl b = new Bowl();
        Figure fig = Surface3D.of(b.xs, b.ys, b.z).path(b.px, b.py, b.pz).labels("PC1 (80%)", "PC2 (12%)", "loss")
                .title("Bowl").figure();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(fig.png(1)));
        assertEquals(640, image.getWidth());
        assertEquals(520, image.getHeight());
        assertTrue(distinctColours(image) > 200, "a shaded surface has many distinct colours");
        List<Path> files = fig.saveTo(dir, "bowl", "png", "svg");
        assertEquals(2, files.size());
        String svg = Files.readString(files.get(1), StandardCharsets.UTF_8);
        assertTrue(svg.contains("<path"), "vector output holds paths");
    }

    @Test
    void pointLabelsKeepClearOfTextDrawnBefore() {
        BufferedImage image = new BufferedImage(240, 120, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        List<Rectangle2D> taken = new ArrayList<>();
        taken.add(new Rectangle2D.Double(100, 30, 60, 25)); // a tick label where "start" would go: above right
        Style.pointLabel(g, "start", 100, 50, 240, taken);
        Style.pointLabel(g, "end", 100, 50, 240, taken); // the same point: a third place
        g.dispose();
        assertEquals(3, taken.size());
        assertTrue(taken.get(1).getMaxX() <= 100, "start moved left of the point: " + taken.get(1));
        for (int a = 0; a < 3; a++) {
            for (int b = a + 1; b < 3; b++) {
                assertFalse(taken.get(a).intersects(taken.get(b)), taken.get(a) + " and " + taken.get(b));
            }
        }
        List<Rectangle2D> none = new ArrayList<>();
        Style.pointLabel(image.createGraphics(), "start", 100, 50, 240, none);
        assertTrue(none.get(0).getMinX() > 100 && none.get(0).getMaxY() < 50, "nothing in the way: above right");
    }

    @Test
    void viewAngleChangesTheDrawing() {
        Bowl b = new Bowl();
        BufferedImage a = Surface3D.of(b.xs, b.ys, b.z).view(-60, 30).figure().image(1);
        BufferedImage same = Surface3D.of(b.xs, b.ys, b.z).view(-60, 30).figure().image(1);
        BufferedImage c = Surface3D.of(b.xs, b.ys, b.z).view(30, 60).figure().image(1);
        assertEquals(0, differingPixels(a, same), "the same view draws the same picture");
        assertTrue(differingPixels(a, c) > a.getWidth() * a.getHeight() / 20,
                "another view moves much of the surface: " + differingPixels(a, c) + " pixels differ");
        assertThrows(IllegalArgumentException.class, () -> Surface3D.of(b.xs, b.ys, b.z).view(0, 120));
    }

    @Test
    void contourMapDrawsHeatAndPath() throws Exception {
        Bowl b = new Bowl();
        Figure fig = ContourMap.of(b.xs, b.ys, b.z).path(b.px, b.py).labels("PC1", "PC2", "loss").title("Bowl")
                .figure();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(fig.png(1)));
        assertTrue(distinctColours(image) > 200);
        // The path's red is drawn somewhere.
        boolean red = false;
        for (int y = 0; y < image.getHeight() && !red; y++) {
            for (int x = 0; x < image.getWidth() && !red; x++) {
                int rgb = image.getRGB(x, y);
                red = ((rgb >> 16) & 0xFF) > 200 && ((rgb >> 8) & 0xFF) < 100 && (rgb & 0xFF) < 80;
            }
        }
        assertTrue(red, "the path is drawn in red");
    }

    @Test
    void badGridsAreRejectedWithClearMessages() {
        double[][] z = {{1, 2}, {3, 4}};
        IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
                () -> Surface3D.of(new double[] {0}, new double[] {0, 1}, new double[][] {{1}, {2}}));
        assertTrue(tooSmall.getMessage().contains("at least 2"), tooSmall.getMessage());
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> ContourMap.of(new double[] {0, 1}, new double[] {0, 1, 2}, z));
        assertTrue(rows.getMessage().contains("one row per y value"), rows.getMessage());
        IllegalArgumentException order = assertThrows(IllegalArgumentException.class,
                () -> Surface3D.of(new double[] {1, 0}, new double[] {0, 1}, z));
        assertTrue(order.getMessage().contains("increase"), order.getMessage());
        IllegalArgumentException path = assertThrows(IllegalArgumentException.class,
                () -> Surface3D.of(new double[] {0, 1}, new double[] {0, 1}, z).path(new double[2], new double[3], new double[2]));
        assertTrue(path.getMessage().contains("same length"), path.getMessage());
    }

    @Test
    void ticksAreRoundAndLabelledConsistently() {
        assertArrayEquals(new double[] {0, 0.5, 1, 1.5, 2}, Ticks.nice(0, 2, 5), 1e-12);
        assertArrayEquals(new String[] {"0.0", "0.5", "1.0"}, Ticks.labels(new double[] {0, 0.5, 1}));
        double[] log = new Ticks.Axis(0.3, 40, true).ticks(5);
        assertArrayEquals(new double[] {0.5, 1, 2, 5, 10, 20}, log, 1e-12);
        assertArrayEquals(new String[] {"0.5", "1", "2", "5", "10", "20"}, Ticks.labels(log));
        assertEquals(0.5, new Ticks.Axis(1, 100, true).position(10), 1e-12);
    }

    @Test
    void viridisRunsFromPurpleToYellow() {
        assertEquals(0x440154, ColorScale.viridis(0).getRGB() & 0xFFFFFF);
        assertEquals(0xFDE725, ColorScale.viridis(1).getRGB() & 0xFFFFFF);
        assertEquals(ColorScale.viridis(1), ColorScale.viridis(7));
    }

    private static int distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    /** Saves sample figures for a visual check: {@code SurfacePlotsTest <folder>}. */
    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/sample-surfaces");
        Bowl b = new Bowl();
        Surface3D.of(b.xs, b.ys, b.z).path(b.px, b.py, b.pz).labels("PC1 (80.1%)", "PC2 (12.3%)", "loss")
                .title("Training loss (2,500 examples)").figure().saveTo(dir, "surface", "png", "svg");
        Surface3D.of(b.xs, b.ys, b.z).path(b.px, b.py, b.pz).labels("PC1", "PC2", "loss").view(30, 55)
                .figure().saveTo(dir, "surface-30-55", "png");
        ContourMap.of(b.xs, b.ys, b.z).path(b.px, b.py).labels("PC1 (80.1%)", "PC2 (12.3%)", "loss")
                .title("Training loss (2,500 examples)").figure().saveTo(dir, "contour", "png", "svg");
        System.out.println("saved in " + dir.toAbsolutePath());
    }

    private static int differingPixels(BufferedImage a, BufferedImage b) {
        int count = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    count++;
                }
            }
        }
        return count;
    }
}
