package dlkit.plot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dlkit.data.ImageSet;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A grid of small images with optional true and predicted labels underneath, wrong predictions in
 * red.
 *
 * <pre>{@code
 * ImageGrid.of(images)                       // NDArray [N, 1, H, W], [N, 3, H, W] or [N, H, W]
 *         .labels(trueLabels).predicted(pred).classNames(names)
 *         .columns(8).figure();
 * }</pre>
 *
 * <p>Pixel values in [0, 1] are drawn as they are, values up to 255 are read as bytes, and any
 * other range (for example normalised inputs) is stretched per image. Images are enlarged with
 * nearest-neighbour sampling so pixels stay crisp, in the PNG and in the vector file.
 */
public final class ImageGrid {

    private static final int PAD = 8;
    private static final int LINE = 14;
    private static final Font LABEL_FONT = new Font(Style.FONT, Font.PLAIN, Style.MIN_TEXT_PX);

    private final float[] pixels;
    private final int count;
    private final int channels;
    private final int imageHeight;
    private final int imageWidth;
    private int[] indices;
    private int[] labels;
    private int[] predicted;
    private List<String> classNames;
    private int columns = 8;
    private int cellSize = 84;
    private String title = "";

    private ImageGrid(float[] pixels, int count, int channels, int height, int width) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException(
                    "images need 1 (grey) or 3 (RGB) channels, got " + channels);
        }
        if ((long) count * channels * height * width != pixels.length) {
            throw new IllegalArgumentException(
                    "pixels hold "
                            + pixels.length
                            + " values, but "
                            + count
                            + " x "
                            + channels
                            + " x "
                            + height
                            + " x "
                            + width
                            + " images need "
                            + (long) count * channels * height * width);
        }
        if (count == 0) {
            throw new IllegalArgumentException("no images to show");
        }
        this.pixels = pixels;
        this.count = count;
        this.channels = channels;
        this.imageHeight = height;
        this.imageWidth = width;
    }

    /**
     * A grid of images from an NDArray.
     *
     * @param images shape {@code [N, C, H, W]} with C = 1 or 3, or {@code [N, H, W]} for grey
     * @return a builder
     */
    public static ImageGrid of(NDArray images) {
        long[] s = images.getShape().getShape();
        float[] values = images.toType(DataType.FLOAT32, false).toFloatArray();
        if (s.length == 3) {
            return new ImageGrid(values, (int) s[0], 1, (int) s[1], (int) s[2]);
        }
        if (s.length == 4) {
            return new ImageGrid(values, (int) s[0], (int) s[1], (int) s[2], (int) s[3]);
        }
        throw new IllegalArgumentException(
                "images must have shape [N, C, H, W] or [N, H, W], got " + images.getShape());
    }

    /**
     * A grid of the first images of a loaded set, labelled with their true classes.
     *
     * @param images a loaded set, e.g. {@code mnist.train()}
     * @param count how many images to show (at most the set's size)
     * @return a builder
     */
    public static ImageGrid of(ImageSet images, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        int n = Math.min(count, images.size());
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = images.label(i);
        }
        try (NDArray first = images.images().get(new NDIndex("0:" + n))) {
            return of(first).labels(labels).classNames(images.classNames());
        }
    }

    /**
     * A grid of images from a flat array in {@code [N, C, H, W]} order.
     *
     * @param pixels the pixel values
     * @param count N
     * @param channels C, 1 or 3
     * @param height H
     * @param width W
     * @return a builder
     */
    public static ImageGrid of(float[] pixels, int count, int channels, int height, int width) {
        return new ImageGrid(pixels, count, channels, height, width);
    }

    /**
     * Shows only some images, in the given order (for example {@code eval.misclassified(32)}).
     *
     * @param indices image indices
     * @return this builder
     */
    public ImageGrid select(int... indices) {
        for (int i : indices) {
            if (i < 0 || i >= count) {
                throw new IllegalArgumentException("image index " + i + " is outside [0, " + count + ")");
            }
        }
        this.indices = indices.clone();
        return this;
    }

    /**
     * Sets the true class of every image (indexed like the images, not like {@link #select}).
     *
     * @param labels N class indices
     * @return this builder
     */
    public ImageGrid labels(int... labels) {
        requireLength("labels", labels);
        this.labels = labels.clone();
        return this;
    }

    /**
     * Sets the predicted class of every image; wrong ones are written in red.
     *
     * @param predicted N class indices
     * @return this builder
     */
    public ImageGrid predicted(int... predicted) {
        requireLength("predicted", predicted);
        this.predicted = predicted.clone();
        return this;
    }

    /**
     * Sets the names printed for class indices (default: the index).
     *
     * @param classNames one name per class
     * @return this builder
     */
    public ImageGrid classNames(List<String> classNames) {
        this.classNames = List.copyOf(classNames);
        return this;
    }

    /**
     * Sets how many images per row (default 8).
     *
     * @param columns images per row
     * @return this builder
     */
    public ImageGrid columns(int columns) {
        if (columns < 1) {
            throw new IllegalArgumentException("columns must be at least 1, got " + columns);
        }
        this.columns = columns;
        return this;
    }

    /**
     * Sets the drawn size of each image in logical pixels (default 84, three times a 28-pixel
     * image).
     *
     * @param pixels the side of each image cell
     * @return this builder
     */
    public ImageGrid cellSize(int pixels) {
        if (pixels < 8) {
            throw new IllegalArgumentException("cellSize must be at least 8 pixels, got " + pixels);
        }
        this.cellSize = pixels;
        return this;
    }

    /**
     * Sets a title above the grid.
     *
     * @param title the title
     * @return this builder
     */
    public ImageGrid title(String title) {
        this.title = title == null ? "" : title;
        return this;
    }

    /**
     * Draws the grid.
     *
     * @return the figure
     */
    public Figure figure() {
        int[] shown = indices != null ? indices : java.util.stream.IntStream.range(0, count).toArray();
        if (shown.length == 0) {
            throw new IllegalArgumentException("no images selected");
        }
        int cols = Math.min(columns, shown.length);
        int rows = (shown.length + cols - 1) / cols;
        int lines = (labels != null ? 1 : 0) + (predicted != null ? 1 : 0);
        int cellW = cellSize + PAD;
        int cellH = cellSize + PAD + lines * LINE + (lines > 0 ? 2 : 0);
        int titleH = title.isEmpty() ? 0 : 30;
        int width = cols * cellW + PAD;
        int height = titleH + rows * cellH + PAD;
        // Enlarge once, to the export resolution, so vector output embeds crisp pixels too.
        int rasterSide = cellSize * Style.EXPORT_SCALE;
        BufferedImage[] tiles = new BufferedImage[shown.length];
        for (int i = 0; i < shown.length; i++) {
            tiles[i] = tile(shown[i], rasterSide);
        }
        Figure.Painter painter = (g, w, h) -> {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            if (!title.isEmpty()) {
                g.setFont(Style.TITLE_FONT);
                g.setColor(Style.TEXT);
                FontMetrics fm = g.getFontMetrics();
                Style.drawText(g, title, (w - fm.stringWidth(title)) / 2, 8 + fm.getAscent());
            }
            g.setFont(LABEL_FONT);
            FontMetrics fm = g.getFontMetrics();
            for (int i = 0; i < shown.length; i++) {
                int x = PAD + (i % cols) * cellW;
                int y = titleH + PAD + (i / cols) * cellH;
                g.drawImage(tiles[i], x, y, cellSize, cellSize, null);
                int textY = y + cellSize + LINE;
                int index = shown[i];
                boolean wrong = labels != null && predicted != null && labels[index] != predicted[index];
                if (labels != null) {
                    g.setColor(Style.TEXT);
                    drawCentered(g, fm, fit(fm, "true: " + name(labels[index])), x, textY);
                    textY += LINE;
                }
                if (predicted != null) {
                    g.setColor(wrong ? Style.WRONG : Style.TEXT);
                    drawCentered(g, fm, fit(fm, "pred: " + name(predicted[index])), x, textY);
                }
            }
        };
        return Figure.of(title.isEmpty() ? count + " images" : title, width, height, painter);
    }

    private void drawCentered(Graphics2D g, FontMetrics fm, String text, int x, int baseline) {
        Style.drawText(g, text, x + (cellSize - fm.stringWidth(text)) / 2, baseline);
    }

    private String fit(FontMetrics fm, String text) {
        return shorten(fm, text, cellSize + PAD - 2);
    }

    /** Cuts text with an ellipsis until it is at most {@code width} wide. */
    static String shorten(FontMetrics fm, String text, int width) {
        String fitted = text;
        while (fm.stringWidth(fitted) > width && fitted.length() > 4) {
            fitted = fitted.substring(0, fitted.length() - 2) + "…";
        }
        return fitted;
    }

    private String name(int label) {
        if (classNames != null && label >= 0 && label < classNames.size()) {
            return classNames.get(label);
        }
        return String.valueOf(label);
    }

    private BufferedImage tile(int index, int side) {
        return tile(pixels, index, channels, imageHeight, imageWidth, side);
    }

    /**
     * One image of a flat {@code [N, C, H, W]} array as RGB, enlarged by nearest neighbour to side
     * x side (aspect kept, centred). Values in [0, 1] or [0, 255] are drawn as they are, any other
     * range is stretched.
     */
    static BufferedImage tile(float[] pixels, int index, int channels, int imageHeight, int imageWidth, int side) {
        int plane = imageHeight * imageWidth;
        int offset = index * channels * plane;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < channels * plane; i++) {
            min = Math.min(min, pixels[offset + i]);
            max = Math.max(max, pixels[offset + i]);
        }
        float low;
        float high;
        if (min >= 0 && max <= 1) {
            low = 0;
            high = 1;
        } else if (min >= 0 && max <= 255) {
            low = 0;
            high = 255;
        } else {
            low = min;
            high = max > min ? max : min + 1;
        }
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        double scale = Math.min(side / (double) imageWidth, side / (double) imageHeight);
        int drawnW = (int) Math.round(imageWidth * scale);
        int drawnH = (int) Math.round(imageHeight * scale);
        int x0 = (side - drawnW) / 2;
        int y0 = (side - drawnH) / 2;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int rgb = 0xFFFFFF;
                if (x >= x0 && x < x0 + drawnW && y >= y0 && y < y0 + drawnH) {
                    int sx = Math.min(imageWidth - 1, (int) ((x - x0) / scale));
                    int sy = Math.min(imageHeight - 1, (int) ((y - y0) / scale));
                    int p = sy * imageWidth + sx;
                    int r = level(pixels[offset + p], low, high);
                    int gr = channels == 3 ? level(pixels[offset + plane + p], low, high) : r;
                    int b = channels == 3 ? level(pixels[offset + 2 * plane + p], low, high) : r;
                    rgb = (r << 16) | (gr << 8) | b;
                }
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    private static int level(float value, float low, float high) {
        return Math.max(0, Math.min(255, Math.round((value - low) / (high - low) * 255)));
    }

    private void requireLength(String what, int[] values) {
        if (values.length != count) {
            throw new IllegalArgumentException(
                    what + " has " + values.length + " entries for " + count + " images: give one per image");
        }
    }

    @Override
    public String toString() {
        return "ImageGrid{" + count + " images " + channels + "x" + imageHeight + "x" + imageWidth
                + ", columns=" + columns + ", cellSize=" + cellSize + "}";
    }
}
