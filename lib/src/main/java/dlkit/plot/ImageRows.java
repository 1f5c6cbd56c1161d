package dlkit.plot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows of images with a label in front of each row, so that images can be compared column by
 * column: originals over their reconstructions, noisy inputs over the denoised outputs, or the
 * steps of an interpolation.
 *
 * <pre>{@code
 * ImageRows.of("original", originals)             // [N, C, H, W], [N, H, W] or flat [N, D]
 *         .row("reconstruction", reconstructions)  // same N; flat rows of 784 are drawn 28x28
 *         .captions(List.of("Ankle boot", "Pullover"))
 *         .title("Test images and their reconstructions")
 *         .figure();
 * }</pre>
 */
public final class ImageRows {

    private static final int PAD = 8;
    private static final int LINE = 14;
    private static final Font LABEL_FONT = new Font(Style.FONT, Font.PLAIN, Style.MIN_TEXT_PX);
    private static final Font CAPTION_FONT = new Font(Style.FONT, Font.PLAIN, Style.MIN_TEXT_PX);

    private record Row(String label, float[] pixels, int channels, int height, int width) {}

    private final List<Row> rows = new ArrayList<>();
    private final int count;
    private List<String> captions;
    private String title = "";
    private int cellSize = 84;

    private ImageRows(String label, NDArray images) {
        Row first = toRow(label, images);
        this.count = (int) images.getShape().get(0);
        rows.add(first);
    }

    /**
     * Starts with a first row.
     *
     * @param label the text in front of the row, e.g. "original"
     * @param images N images: {@code [N, C, H, W]} (C = 1 or 3), {@code [N, H, W]}, or flat {@code
     *     [N, D]} with D a square (grey) or three times a square (RGB)
     * @return a builder
     */
    public static ImageRows of(String label, NDArray images) {
        return new ImageRows(label, images);
    }

    /**
     * Adds a row below the others.
     *
     * @param label the text in front of the row
     * @param images as many images as the first row, in the same column order
     * @return this builder
     */
    public ImageRows row(String label, NDArray images) {
        long n = images.getShape().get(0);
        if (n != count) {
            throw new IllegalArgumentException("row '" + label + "' has " + n + " images but the first row has "
                    + count + ": every row needs one image per column");
        }
        rows.add(toRow(label, images));
        return this;
    }

    /**
     * Sets a caption above each column, e.g. the class names or interpolation weights.
     *
     * @param captions one per column
     * @return this builder
     */
    public ImageRows captions(List<String> captions) {
        if (captions.size() != count) {
            throw new IllegalArgumentException(
                    "got " + captions.size() + " captions for " + count + " columns: give one per column");
        }
        this.captions = List.copyOf(captions);
        return this;
    }

    /**
     * Sets a title above the figure.
     *
     * @param title the title
     * @return this builder
     */
    public ImageRows title(String title) {
        this.title = title == null ? "" : title;
        return this;
    }

    /**
     * Sets the drawn size of each image in logical pixels (default 84).
     *
     * @param pixels the side of each image
     * @return this builder
     */
    public ImageRows cellSize(int pixels) {
        if (pixels < 8) {
            throw new IllegalArgumentException("cellSize must be at least 8 pixels, got " + pixels);
        }
        this.cellSize = pixels;
        return this;
    }

    /**
     * Draws the rows.
     *
     * @return the figure
     */
    public Figure figure() {
        int rasterSide = cellSize * Style.EXPORT_SCALE;
        BufferedImage[][] tiles = new BufferedImage[rows.size()][count];
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            for (int c = 0; c < count; c++) {
                tiles[r][c] = ImageGrid.tile(row.pixels(), c, row.channels(), row.height(), row.width(), rasterSide);
            }
        }
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        FontMetrics labelMetrics = probe.createGraphics().getFontMetrics(LABEL_FONT);
        int labelWidth = 0;
        for (Row row : rows) {
            labelWidth = Math.max(labelWidth, labelMetrics.stringWidth(row.label()));
        }
        int left = PAD + labelWidth + PAD;
        int titleH = title.isEmpty() ? 0 : 30;
        int captionH = captions == null ? 0 : LINE + 4;
        int titleWidth = title.isEmpty() ? 0 : probe.createGraphics().getFontMetrics(Style.TITLE_FONT).stringWidth(title);
        int width = Math.max(left + count * (cellSize + PAD), titleWidth + 2 * PAD);
        int height = titleH + captionH + rows.size() * (cellSize + PAD) + PAD;
        Figure.Painter painter = (g, w, h) -> {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setColor(Style.TEXT);
            if (!title.isEmpty()) {
                g.setFont(Style.TITLE_FONT);
                FontMetrics fm = g.getFontMetrics();
                Style.drawText(g, title, (w - fm.stringWidth(title)) / 2f, 8 + fm.getAscent());
            }
            int top = titleH + captionH + PAD;
            if (captions != null) {
                g.setFont(CAPTION_FONT);
                FontMetrics fm = g.getFontMetrics();
                for (int c = 0; c < count; c++) {
                    String text = ImageGrid.shorten(fm, captions.get(c), cellSize + PAD - 2);
                    Style.drawText(g, text, left + c * (cellSize + PAD) + (cellSize - fm.stringWidth(text)) / 2f,
                            top - 6);
                }
            }
            g.setFont(LABEL_FONT);
            FontMetrics fm = g.getFontMetrics();
            for (int r = 0; r < rows.size(); r++) {
                int y = top + r * (cellSize + PAD);
                String label = rows.get(r).label();
                Style.drawText(g, label, left - PAD - fm.stringWidth(label), y + (cellSize + fm.getAscent()) / 2f);
                for (int c = 0; c < count; c++) {
                    g.drawImage(tiles[r][c], left + c * (cellSize + PAD), y, cellSize, cellSize, null);
                }
            }
        };
        return Figure.of(title.isEmpty() ? "image rows" : title, width, height, painter);
    }

    private static Row toRow(String label, NDArray images) {
        if (label == null) {
            throw new IllegalArgumentException("a row needs a label (it may be empty)");
        }
        long[] s = images.getShape().getShape();
        int n = s.length > 0 ? (int) s[0] : 0;
        if (n == 0) {
            throw new IllegalArgumentException("row '" + label + "' has no images");
        }
        float[] values = images.toType(DataType.FLOAT32, false).toFloatArray();
        if (s.length == 4 && (s[1] == 1 || s[1] == 3)) {
            return new Row(label, values, (int) s[1], (int) s[2], (int) s[3]);
        }
        if (s.length == 3) {
            return new Row(label, values, 1, (int) s[1], (int) s[2]);
        }
        if (s.length == 2) {
            int grey = side(s[1]);
            if (grey > 0) {
                return new Row(label, values, 1, grey, grey);
            }
            int rgb = s[1] % 3 == 0 ? side(s[1] / 3) : 0;
            if (rgb > 0) {
                return new Row(label, values, 3, rgb, rgb);
            }
        }
        throw new IllegalArgumentException("row '" + label + "': cannot draw images of shape " + new Shape(s)
                + "; give [N, C, H, W] with C = 1 or 3, [N, H, W], or flat [N, D] of square images");
    }

    /** The side of a square image of {@code pixels} pixels, or 0 if it is not a square. */
    private static int side(long pixels) {
        int side = (int) Math.round(Math.sqrt(pixels));
        return (long) side * side == pixels ? side : 0;
    }

    @Override
    public String toString() {
        return "ImageRows{" + rows.size() + " rows of " + count + " images}";
    }
}
