package dlkit.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dlkit.engine.Engines;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageRowsTest {

    @Test
    void drawsFlatAndShapedRowsWithLabelsAndCaptions() {
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray grey = m.full(new Shape(3, 1, 28, 28), 0.5f);
            NDArray black = m.zeros(new Shape(3, 784));
            Figure f = ImageRows.of("original", grey)
                    .row("reconstruction", black)
                    .captions(List.of("a", "b", "c"))
                    .title("t")
                    .figure();
            BufferedImage image = f.image(1);
            assertEquals(f.width(), image.getWidth());
            // down the middle of the last column: white, then the grey image, then the black one
            int x = f.width() - 8 - 84 / 2;
            int greyY = -1;
            int blackY = -1;
            for (int y = 0; y < image.getHeight(); y++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                if (rgb == 0x808080 && greyY < 0) {
                    greyY = y;
                }
                if (rgb == 0 && blackY < 0) {
                    blackY = y;
                }
            }
            assertTrue(greyY > 0, "grey row drawn");
            assertTrue(blackY >= greyY + 84, "the black row is below the grey one: " + greyY + ", " + blackY);
            assertTrue(f.height() >= 2 * 84);
        }
    }

    @Test
    void rejectsRowsThatDoNotMatch() {
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            ImageRows rows = ImageRows.of("a", m.zeros(new Shape(2, 784)));
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> rows.row("b", m.zeros(new Shape(3, 784))));
            assertTrue(e.getMessage().contains("one image per column"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ImageRows.of("c", m.zeros(new Shape(2, 785))));
            assertThrows(IllegalArgumentException.class, () -> rows.captions(List.of("x")));
        }
    }
}
