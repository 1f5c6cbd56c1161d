package dlkit.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.util.List;

/**
 * Draws a confusion matrix as a heat map with Java2D: class names on both axes, the count (or
 * fraction) written in every cell. Cells are coloured by the fraction of their true class, so
 * rare classes stand out as much as common ones. (XChart's HeatMapChart has no cell text and a
 * colour bar we do not need, hence this painter.)
 */
public final class ConfusionHeatMap implements Figure.Painter {

    // Sequential "Blues" from ColorBrewer, light to dark.
    private static final Color LOW = new Color(0xF7FBFF);
    private static final Color MID = new Color(0x6BAED6);
    private static final Color HIGH = new Color(0x08306B);

    private final String title;
    private final int[][] counts;
    private final double[][] fractions;
    private final List<String> names;
    private final boolean showFractions;

    private ConfusionHeatMap(String title, int[][] counts, List<String> names, boolean showFractions) {
        this.title = title;
        this.counts = counts;
        this.fractions = new double[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            long total = 0;
            for (int c : counts[i]) {
                total += c;
            }
            fractions[i] = new double[counts[i].length];
            for (int j = 0; j < counts[i].length; j++) {
                fractions[i][j] = total == 0 ? 0 : counts[i][j] / (double) total;
            }
        }
        this.names = names;
        this.showFractions = showFractions;
    }

    /**
     * A confusion-matrix heat map: rows are true classes, columns predicted ones.
     *
     * @param title the title
     * @param counts {@code counts[true][predicted]}
     * @param names one name per class
     * @param showFractions true to write each cell's fraction of its true class instead of its count
     * @return the figure
     */
    public static Figure of(String title, int[][] counts, List<String> names, boolean showFractions) {
        int[] size = preferredSize(counts.length, names);
        return Figure.of(title, size[0], size[1], new ConfusionHeatMap(title, counts, names, showFractions));
    }

    /** A size that leaves square cells of about 44 px and room for the labels. */
    private static int[] preferredSize(int n, List<String> names) {
        int cell = Math.max(18, Math.min(48, 440 / n));
        int longest = names.stream().mapToInt(String::length).max().orElse(1);
        int labelRoom = Math.min(140, 14 + 7 * longest);
        return new int[] {labelRoom + 40 + n * cell + 24, 50 + n * cell + labelRoom + 36};
    }

    @Override
    public void paint(Graphics2D g, int width, int height) {
        int n = counts.length;
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);

        g.setFont(Style.TICK_FONT);
        FontMetrics tick = g.getFontMetrics();
        int labelRoom = 0;
        for (String name : names) {
            labelRoom = Math.max(labelRoom, tick.stringWidth(name));
        }
        labelRoom = Math.min(labelRoom + 8, 150);
        int top = 44;
        int left = labelRoom + 34; // y labels plus the rotated axis title
        int bottomRoom = labelRoom * 3 / 4 + 36; // x labels at 45 degrees plus axis title
        int cell = Math.max(4, Math.min((width - left - 16) / n, (height - top - bottomRoom) / n));
        int side = cell * n;
        left += Math.max(0, (width - left - 16 - side) / 2); // centre the matrix horizontally

        // Title.
        g.setColor(Style.TEXT);
        g.setFont(Style.TITLE_FONT);
        FontMetrics titleMetrics = g.getFontMetrics();
        Style.drawText(g, title, (width - titleMetrics.stringWidth(title)) / 2, 10 + titleMetrics.getAscent());

        // Cells and their numbers.
        Font cellFont = new Font(Style.FONT, Font.PLAIN, Math.max(7, Math.min(13, cell * 3 / 10)));
        g.setFont(cellFont);
        FontMetrics cellMetrics = g.getFontMetrics();
        for (int t = 0; t < n; t++) {
            for (int p = 0; p < n; p++) {
                double fraction = fractions[t][p];
                int x = left + p * cell;
                int y = top + t * cell;
                g.setColor(color(fraction));
                g.fillRect(x, y, cell, cell);
                String text = showFractions ? fractionText(fraction) : String.valueOf(counts[t][p]);
                if (counts[t][p] == 0) {
                    g.setColor(new Color(0xBBBBBB));
                    text = showFractions ? "" : "0";
                } else {
                    g.setColor(fraction > 0.45 ? Color.WHITE : Style.TEXT);
                }
                if (cellMetrics.stringWidth(text) < cell - 2) {
                    Style.drawText(g, text, x + (cell - cellMetrics.stringWidth(text)) / 2,
                            y + (cell + cellMetrics.getAscent() - cellMetrics.getDescent()) / 2);
                }
            }
        }
        g.setColor(new Color(0xDDDDDD));
        g.setStroke(new BasicStroke(1f));
        g.drawRect(left, top, side, side);

        // Class names: rows (true) on the left, columns (predicted) below at 45 degrees.
        g.setFont(Style.TICK_FONT);
        g.setColor(Style.TEXT);
        for (int i = 0; i < n; i++) {
            String name = names.get(i);
            int y = top + i * cell + (cell + tick.getAscent() - tick.getDescent()) / 2;
            Style.drawText(g, name, left - 6 - tick.stringWidth(name), y);
            AffineTransform saved = g.getTransform();
            g.translate(left + i * cell + cell / 2.0 + 3, top + side + 6);
            g.rotate(-Math.PI / 4);
            Style.drawText(g, name, -tick.stringWidth(name), tick.getAscent() / 2);
            g.setTransform(saved);
        }

        // Axis titles.
        g.setFont(Style.AXIS_TITLE_FONT);
        FontMetrics axis = g.getFontMetrics();
        String predicted = "predicted";
        int maxLabel = 0;
        for (String name : names) {
            maxLabel = Math.max(maxLabel, tick.stringWidth(name));
        }
        int xTitleY = Math.min(height - 8, top + side + 10 + (int) (maxLabel * 0.72) + axis.getAscent());
        Style.drawText(g, predicted, left + (side - axis.stringWidth(predicted)) / 2, xTitleY);
        AffineTransform saved = g.getTransform();
        String truth = "true";
        int yTitleX = Math.max(axis.getAscent(), left - 12 - maxLabel);
        g.translate(yTitleX, top + (side + axis.stringWidth(truth)) / 2.0);
        g.rotate(-Math.PI / 2);
        Style.drawText(g, truth, 0, 0);
        g.setTransform(saved);
    }

    private static String fractionText(double fraction) {
        return fraction >= 0.995 ? "1" : String.format("%.2f", fraction).substring(1);
    }

    /** White through mid blue to dark blue. */
    static Color color(double fraction) {
        double f = Math.max(0, Math.min(1, fraction));
        return f < 0.5 ? mix(LOW, MID, f / 0.5) : mix(MID, HIGH, (f - 0.5) / 0.5);
    }

    private static Color mix(Color a, Color b, double t) {
        return new Color(
                (int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
                (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
                (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
    }
}
