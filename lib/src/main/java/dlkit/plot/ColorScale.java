package dlkit.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;

/**
 * Matplotlib's "viridis" colour map (perceptually uniform, readable in grey and by colour-blind
 * readers) and the colour bar that explains it; shared by {@link Surface3D} and {@link ContourMap}.
 */
final class ColorScale {

    // viridis sampled at 0, 1/8, ..., 1 (from matplotlib's table); linear in between.
    private static final int[] VIRIDIS = {
        0x440154, 0x472D7B, 0x3B528B, 0x2C728E, 0x21918C, 0x28AE80, 0x5EC962, 0xADDC30, 0xFDE725,
    };

    private ColorScale() {}

    /**
     * The colour of a value in [0, 1] (clamped; NaN gives grey).
     *
     * @param t position in the scale
     * @return the colour
     */
    static Color viridis(double t) {
        if (Double.isNaN(t)) {
            return Color.GRAY;
        }
        double f = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
        int i = Math.min(VIRIDIS.length - 2, (int) f);
        return mix(new Color(VIRIDIS[i]), new Color(VIRIDIS[i + 1]), f - i);
    }

    static Color mix(Color a, Color b, double t) {
        return new Color(
                (int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
                (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
                (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
    }

    /** Multiplies a colour's channels by a factor (shading), clamped to 255. */
    static Color scale(Color c, double factor) {
        return new Color(
                (int) Math.min(255, Math.round(c.getRed() * factor)),
                (int) Math.min(255, Math.round(c.getGreen() * factor)),
                (int) Math.min(255, Math.round(c.getBlue() * factor)));
    }

    /**
     * Draws a vertical colour bar with ticks on its right and a rotated title beyond them.
     *
     * @param g where to draw
     * @param bar the bar's rectangle
     * @param axis maps values to [0, 1] along the bar (bottom to top)
     * @param ticks values to mark
     * @param labels their texts
     * @param title the title, e.g. "loss"
     */
    static void drawBar(Graphics2D g, Rectangle2D bar, Ticks.Axis axis, double[] ticks, String[] labels, String title) {
        int steps = 64;
        double h = bar.getHeight() / steps;
        for (int k = 0; k < steps; k++) {
            g.setColor(viridis((k + 0.5) / steps));
            // overlap by half a pixel so no seams show between the bands
            g.fill(new Rectangle2D.Double(bar.getX(), bar.getMaxY() - (k + 1) * h - 0.5, bar.getWidth(), h + 1));
        }
        g.setColor(Style.AXIS);
        g.setStroke(new BasicStroke(0.8f));
        g.draw(bar);
        g.setFont(Style.TICK_FONT);
        FontMetrics fm = g.getFontMetrics();
        int widest = 0;
        for (int i = 0; i < ticks.length; i++) {
            double y = bar.getMaxY() - axis.position(ticks[i]) * bar.getHeight();
            g.setColor(Style.AXIS);
            g.draw(new Line2D.Double(bar.getMaxX(), y, bar.getMaxX() + 4, y));
            g.setColor(Style.TEXT);
            Style.drawText(g, labels[i], (float) bar.getMaxX() + 7, (float) (y + fm.getAscent() / 2.0 - 1));
            widest = Math.max(widest, fm.stringWidth(labels[i]));
        }
        g.setFont(Style.AXIS_TITLE_FONT);
        FontMetrics tm = g.getFontMetrics();
        AffineTransform saved = g.getTransform();
        g.translate(bar.getMaxX() + 12 + widest + tm.getAscent(), bar.getCenterY() + tm.stringWidth(title) / 2.0);
        g.rotate(-Math.PI / 2);
        Style.drawText(g, title, 0, 0);
        g.setTransform(saved);
    }
}
