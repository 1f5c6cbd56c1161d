package dlkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dlkit.engine.Engines;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AugmentationsTest {

    static NDManager manager;

    @BeforeAll
    static void start() {
        Engines.startQuietly();
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** n images of c channels, h x w, every value distinct and >= 1 (so 0 marks nothing). */
    private static float[] distinct(int n, int c, int h, int w) {
        float[] v = new float[n * c * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = 1 + i;
        }
        return v;
    }

    private static float[] apply(Augmentation a, float[] values, Shape shape, long seed) {
        NDArray x = manager.create(values, shape);
        return a.apply(x, new Random(seed)).toFloatArray();
    }

    private static float[] image(float[] batch, int i, int size) {
        return Arrays.copyOfRange(batch, i * size, (i + 1) * size);
    }

    /** The image moved by (dx, dy) whole pixels, uncovered pixels set to fill. */
    private static float[] shifted(float[] img, int c, int h, int w, int dx, int dy, float[] fill) {
        float[] out = new float[img.length];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int sx = x - dx;
                    int sy = y - dy;
                    boolean inside = sx >= 0 && sx < w && sy >= 0 && sy < h;
                    out[(ch * h + y) * w + x] = inside ? img[(ch * h + sy) * w + sx] : fill[ch];
                }
            }
        }
        return out;
    }

    private static float[] mirrored(float[] img, int c, int h, int w) {
        float[] out = new float[img.length];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[(ch * h + y) * w + x] = img[(ch * h + y) * w + (w - 1 - x)];
                }
            }
        }
        return out;
    }

    @Test
    void horizontalFlipMirrorsAboutHalfTheImagesExactly() {
        int n = 64;
        Shape shape = new Shape(n, 3, 5, 6);
        float[] in = distinct(n, 3, 5, 6);
        float[] out = apply(Augmentations.horizontalFlip(), in, shape, 1);
        int size = 3 * 5 * 6;
        int flipped = 0;
        for (int i = 0; i < n; i++) {
            float[] original = image(in, i, size);
            float[] result = image(out, i, size);
            if (Arrays.equals(result, mirrored(original, 3, 5, 6))) {
                flipped++;
            } else {
                assertArrayEquals(original, result, "image " + i + " is neither itself nor its mirror");
            }
        }
        assertTrue(flipped > 16 && flipped < 48, "flipped " + flipped + " of 64");
    }

    @Test
    void padCropIsAWholePixelShiftWithABlackBorder() {
        int n = 40;
        int c = 3;
        Shape shape = new Shape(n, c, 8, 8);
        float[] in = distinct(n, c, 8, 8);
        float[] fill = Augmentations.channelMinimum(in, n, c, 64);
        float[] out = apply(Augmentations.padCrop(2), in, shape, 3);
        int size = c * 64;
        boolean[][] seen = new boolean[5][5];
        for (int i = 0; i < n; i++) {
            float[] original = image(in, i, size);
            float[] result = image(out, i, size);
            boolean matched = false;
            for (int dx = -2; dx <= 2 && !matched; dx++) {
                for (int dy = -2; dy <= 2 && !matched; dy++) {
                    if (Arrays.equals(result, shifted(original, c, 8, 8, dx, dy, fill))) {
                        matched = true;
                        seen[dx + 2][dy + 2] = true;
                    }
                }
            }
            assertTrue(matched, "image " + i + " is not a shift of at most 2 pixels");
        }
        long kinds = Arrays.stream(seen).mapToLong(row -> { int k = 0; for (boolean b : row) { k += b ? 1 : 0; } return k; }).sum();
        assertTrue(kinds >= 10, "only " + kinds + " of 25 shifts drawn in 40 images");
    }

    @Test
    void translationShiftsByAtMostTheFractionOfTheSize() {
        int n = 30;
        Shape shape = new Shape(n, 1, 10, 10);
        float[] in = distinct(n, 1, 10, 10);
        float[] fill = Augmentations.channelMinimum(in, n, 1, 100);
        float[] out = apply(Augmentations.translation(0.2f), in, shape, 5);
        for (int i = 0; i < n; i++) {
            float[] original = image(in, i, 100);
            float[] result = image(out, i, 100);
            boolean matched = false;
            for (int dx = -2; dx <= 2; dx++) {
                for (int dy = -2; dy <= 2; dy++) {
                    matched |= Arrays.equals(result, shifted(original, 1, 10, 10, dx, dy, fill));
                }
            }
            assertTrue(matched, "image " + i);
        }
    }

    @Test
    void aQuarterTurnMovesPixelsToTheirRotatedPlaces() {
        // 4x4: a map rotating by exactly 90 degrees lands every pixel centre on another
        float[] img = distinct(1, 1, 4, 4);
        Augmentations.Affine quarter = Augmentations.Affine.rotation(Math.PI / 2);
        float[] out = Augmentations.resample(img, 1, 1, 4, 4, new Augmentations.Affine[] {quarter}, new float[] {0});
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                // the rotated image at (x, y) shows the source at (y, 3 - x): counter-clockwise on screen
                assertEquals(img[(3 - x) * 4 + y], out[y * 4 + x], 1e-4f, "(" + x + ", " + y + ")");
            }
        }
    }

    @Test
    void rotationKeepsTheCentreAndStaysWithinTheAngle() {
        // a bright centre pixel on black stays bright under any rotation about the centre
        float[] img = new float[2 * 5 * 5];
        img[12] = 1;
        img[25 + 12] = 1;
        float[] out = apply(Augmentations.rotation(30), img, new Shape(2, 1, 5, 5), 9);
        assertEquals(1f, out[12], 1e-6f);
        assertEquals(1f, out[25 + 12], 1e-6f);
        // zero degrees changes nothing
        float[] in = distinct(3, 2, 6, 6);
        assertArrayEquals(in, apply(Augmentations.rotation(0), in, new Shape(3, 2, 6, 6), 1));
    }

    @Test
    void zoomScalesAboutTheCentre() {
        float[] in = distinct(4, 1, 6, 6);
        assertArrayEquals(in, apply(Augmentations.zoom(0), in, new Shape(4, 1, 6, 6), 2));
        // a map that halves the scale (zoom out by 2) leaves a black border and shrinks the image
        Augmentations.Affine half = Augmentations.Affine.scale(0.5);
        float[] img = distinct(1, 1, 8, 8);
        float[] out = Augmentations.resample(img, 1, 1, 8, 8, new Augmentations.Affine[] {half}, new float[] {-1});
        assertEquals(-1f, out[0], 1e-6f, "corner comes from outside the image");
        // pixel (2.5 +- 0.5) around the centre maps to the source's centre region
        float centre = (img[3 * 8 + 3] + img[3 * 8 + 4] + img[4 * 8 + 3] + img[4 * 8 + 4]) / 4;
        assertEquals(centre, (out[3 * 8 + 3] + out[4 * 8 + 4]) / 2, 1e-4f);
    }

    @Test
    void composedMapsMultiply() {
        Augmentations.Affine a = Augmentations.Affine.shift(2, -1);
        Augmentations.Affine b = Augmentations.Affine.shift(-3, 4);
        assertEquals(Augmentations.Affine.shift(-1, 3), a.then(b));
        Augmentations.Affine flip = Augmentations.Affine.FLIP;
        assertEquals(Augmentations.Affine.IDENTITY, flip.then(flip));
        // one resample for a chain of geometric steps
        Augmentation chain = Augmentations.compose(Augmentations.rotation(10), Augmentations.translation(0.1f));
        assertEquals("compose(rotation(10.0), translation(0.1))", chain.toString());
        assertTrue(chain instanceof Augmentations.Geometric);
    }

    @Test
    void sameRandomSameResultOtherRandomOtherResult() {
        Augmentation a = Augmentations.compose(
                Augmentations.rotation(15), Augmentations.zoom(0.1f), Augmentations.padCrop(2), Augmentations.horizontalFlip());
        Shape shape = new Shape(8, 3, 12, 12);
        float[] in = distinct(8, 3, 12, 12);
        assertArrayEquals(apply(a, in, shape, 42), apply(a, in, shape, 42));
        assertFalse(Arrays.equals(apply(a, in, shape, 42), apply(a, in, shape, 43)));
    }

    @Test
    void otherAugmentationsRunInTurn() {
        Augmentation addOne = new Augmentation() {
            @Override
            public NDArray apply(NDArray images, Random random) {
                return images.add(1);
            }

            @Override
            public String toString() {
                return "addOne";
            }
        };
        Augmentation chain = Augmentations.compose(Augmentations.zoom(0), addOne);
        assertEquals("compose(zoom(0.0), addOne)", chain.toString());
        float[] in = distinct(2, 1, 3, 3);
        float[] out = apply(chain, in, new Shape(2, 1, 3, 3), 0);
        for (int i = 0; i < in.length; i++) {
            assertEquals(in[i] + 1, out[i], 1e-6f);
        }
    }

    @Test
    void badInputIsNamed() {
        assertThrows(IllegalArgumentException.class, () -> Augmentations.rotation(-1));
        assertThrows(IllegalArgumentException.class, () -> Augmentations.translation(1));
        assertThrows(IllegalArgumentException.class, () -> Augmentations.padCrop(-2));
        assertThrows(IllegalArgumentException.class, () -> Augmentations.zoom(1.5f));
        assertThrows(IllegalArgumentException.class, Augmentations::compose);
        NDArray flat = manager.zeros(new Shape(2, 784));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Augmentations.rotation(10).apply(flat, new Random(1)));
        assertTrue(e.getMessage().contains("[N, C, H, W]") && e.getMessage().contains("(2, 784)"), e.getMessage());
    }
}
