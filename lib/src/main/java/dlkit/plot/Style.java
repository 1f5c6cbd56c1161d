package dlkit.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/**
 * The one look shared by every dlkit chart: fonts, colours, grid and legend.
 *
 * <p>Sizes are in logical pixels; a figure is designed at {@link #WIDTH} x {@link #HEIGHT} (6.4 x
 * 4 inches at 100 px per inch, matplotlib's default figure size) and exported at {@link
 * #EXPORT_SCALE} times that. Placed in the text column of an A4 page (about 6.3 inches wide), its
 * smallest text ({@link #MIN_TEXT_PX} pixels) is at least 9 points.
 */
public final class Style {

    /** Default figure width in logical pixels. */
    public static final int WIDTH = 640;
    /** Default figure height in logical pixels. */
    public static final int HEIGHT = 400;
    /** Pixels per logical pixel in exported PNGs. */
    public static final int EXPORT_SCALE = 2;
    /** Resolution written into exported PNGs, so a word processor places them at 6.4 inches. */
    public static final int EXPORT_DPI = 100 * EXPORT_SCALE;

    /** Font family: the JDK's logical sans-serif font, present on every system. */
    public static final String FONT = Font.SANS_SERIF;
    /** The smallest text size in logical pixels: 9 points on a 6.4-inch figure shrunk to 6.3 inches. */
    public static final int MIN_TEXT_PX = 13;
    static final Font TITLE_FONT = new Font(FONT, Font.BOLD, 16);
    static final Font AXIS_TITLE_FONT = new Font(FONT, Font.PLAIN, 14);
    static final Font TICK_FONT = new Font(FONT, Font.PLAIN, MIN_TEXT_PX);
    static final Font LEGEND_FONT = new Font(FONT, Font.PLAIN, MIN_TEXT_PX);
    static final Font SMALL_FONT = new Font(FONT, Font.PLAIN, MIN_TEXT_PX);

    static final Color TEXT = new Color(0x222222);
    static final Color GRID = new Color(0xE6E6E6);
    static final Color AXIS = new Color(0x888888);
    static final Color WRONG = new Color(0xD62728);
    static final Color RIGHT = new Color(0x2CA02C);

    /** Series colours: matplotlib's "tab10", familiar from Python write-ups. */
    static final Color[] PALETTE = {
        new Color(0x1F77B4), new Color(0xFF7F0E), new Color(0x2CA02C), new Color(0xD62728),
        new Color(0x9467BD), new Color(0x8C564B), new Color(0xE377C2), new Color(0x7F7F7F),
        new Color(0xBCBD22), new Color(0x17BECF),
    };

    private Style() {}

    /**
     * The series colour for an index; colours repeat after ten.
     *
     * @param index series index, from 0
     * @return a palette colour
     */
    public static Color color(int index) {
        return PALETTE[Math.floorMod(index, PALETTE.length)];
    }

    /**
     * A column name as words for an axis or a title: {@code val_accuracy} becomes "validation
     * accuracy", {@code train_loss} "training loss", {@code test_mse} "test MSE", {@code lr}
     * "learning rate"; other names lose their underscores.
     *
     * @param column a history or results column
     * @return the words
     */
    public static String label(String column) {
        String words = column.replaceFirst("^val_", "validation ").replaceFirst("^train_", "training ")
                .replaceFirst("^best_", "best ").replaceFirst("^final_", "final ").replace('_', ' ');
        words = (" " + words + " ").replace(" mse ", " MSE ").replace(" mae ", " MAE ").replace(" rmse ", " RMSE ")
                .replace(" r2 ", " R² ").replace(" lr ", " learning rate ").trim();
        return words;
    }

    /**
     * Draws text as filled glyph outlines, as XChart does, so vector files look the same on
     * machines without the font.
     *
     * @param g where to draw, with the font and colour already set
     * @param text the text; empty text draws nothing
     * @param x left end of the baseline
     * @param y baseline
     */
    public static void drawText(Graphics2D g, String text, float x, float y) {
        if (!text.isEmpty()) {
            TextLayout layout = new TextLayout(text, g.getFont(), g.getFontRenderContext());
            g.fill(layout.getOutline(AffineTransform.getTranslateInstance(x, y)));
        }
    }

    /**
     * Writes a small label on a translucent white box next to a marked point (e.g. "start" and
     * "end" of a path), on its right unless that would cross {@code maxX}.
     *
     * @param g where to draw
     * @param text the label
     * @param x the point's x
     * @param y the point's y
     * @param maxX the right edge the label must not cross
     */
    static void pointLabel(Graphics2D g, String text, double x, double y, double maxX) {
        pointLabel(g, text, x, y, maxX, new ArrayList<>());
    }

    /**
     * Writes a point's label on the first side (above right, above left, below right, below left)
     * where it crosses neither {@code maxX} nor any box in {@code taken} (else on the first side
     * within {@code maxX}), and adds its own box to {@code taken}.
     */
    static void pointLabel(Graphics2D g, String text, double x, double y, double maxX, List<Rectangle2D> taken) {
        g.setFont(SMALL_FONT);
        java.awt.FontMetrics fm = g.getFontMetrics();
        int width = fm.stringWidth(text);
        double right = x + 7;
        double left = x - 9 - width;
        double above = y - 6;
        double below = y + 6 + fm.getAscent();
        double[][] places = {{right, above}, {left, above}, {right, below}, {left, below}};
        Rectangle2D chosen = null;
        for (double[] place : places) {
            Rectangle2D box = new Rectangle2D.Double(place[0] - 2, place[1] - fm.getAscent(), width + 4, fm.getHeight());
            if (box.getMaxX() - 2 > maxX) {
                continue;
            }
            if (chosen == null) {
                chosen = box;
            }
            if (taken.stream().noneMatch(box::intersects)) {
                chosen = box;
                break;
            }
        }
        if (chosen == null) {
            chosen = new Rectangle2D.Double(left - 2, above - fm.getAscent(), width + 4, fm.getHeight());
        }
        taken.add(chosen);
        g.setColor(new Color(255, 255, 255, 210));
        g.fill(chosen);
        g.setColor(TEXT);
        drawText(g, text, (float) chosen.getX() + 2, (float) chosen.getY() + fm.getAscent());
    }

    /**
     * Moves a line chart's legend to the first inside corner that no line passes through (top
     * right, bottom right, top left, bottom left), else outside on the right. Call it after adding
     * every series (and after {@link LogAxis#apply} on a log axis).
     *
     * @param chart the chart
     * @return the same chart
     */
    public static XYChart placeLegend(XYChart chart) {
        chart.getStyler().setLegendPosition(LegendPlacement.choose(chart));
        return chart;
    }

    /**
     * Applies the dlkit look to any XChart chart (used by every factory in this package; call it
     * on charts you build yourself so they match).
     *
     * @param chart the chart to style
     * @param <C> the chart type
     * @return the same chart
     */
    public static <C extends Chart<?, ?>> C apply(C chart) {
        Styler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(false);
        styler.setChartFontColor(TEXT);
        styler.setChartTitleFont(TITLE_FONT);
        styler.setChartTitleBoxVisible(false);
        styler.setChartTitlePadding(8);
        styler.setChartPadding(12);
        styler.setLegendFont(LEGEND_FONT);
        styler.setLegendBorderColor(new Color(0, 0, 0, 0));
        styler.setLegendBackgroundColor(new Color(255, 255, 255, 210));
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setLegendPadding(6);
        styler.setSeriesColors(PALETTE);
        styler.setAntiAlias(true);
        if (styler instanceof AxesChartStyler) {
            AxesChartStyler axes = (AxesChartStyler) styler;
            axes.setAxisTitleFont(AXIS_TITLE_FONT);
            axes.setAxisTickLabelsFont(TICK_FONT);
            axes.setAxisTickLabelsColor(TEXT);
            axes.setAxisTickMarksColor(AXIS);
            axes.setAxisTickMarksStroke(new BasicStroke(1f));
            axes.setAxisTitlePadding(6);
            axes.setPlotGridLinesVisible(true);
            axes.setPlotGridLinesColor(GRID);
            axes.setPlotGridLinesStroke(new BasicStroke(1f));
            axes.setPlotMargin(4);
            axes.setYAxisDecimalPattern("0.0##"); // "2.0" and "0.85", not "2" next to "2.2"
            axes.setXAxisTitleVisible(true);
            axes.setYAxisTitleVisible(true);
        }
        return chart;
    }
}
