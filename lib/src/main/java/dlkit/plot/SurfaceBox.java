package dlkit.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * The box around a {@link Surface3D}: the grey back panes with grid lines, drawn first, and the
 * three ticked axes with their titles, drawn last. The box spans -1..1 in x and y and
 * {@code -Z_HALF..Z_HALF} in z; it remembers where its text went so that labels drawn later can
 * keep clear of it.
 */
final class SurfaceBox {

    /** Box height relative to its width: a squat box reads best. */
    static final double Z_HALF = 0.72;
    private static final Color PANE = new Color(0xF3F3F5);
    private static final Color PANE_GRID = new Color(0xDCDCE0);

    private final Camera3D cam;
    private final Ticks.Axis xAxis;
    private final Ticks.Axis yAxis;
    private final Ticks.Axis zAxis;
    private final double[] xTicks;
    private final double[] yTicks;
    private final double[] zTicks;
    // Which walls are at the back, seen from the eye.
    private final double backX;
    private final double backY;
    private final double floor;
    private final List<Rectangle2D> text = new ArrayList<>();

    SurfaceBox(Camera3D cam, Ticks.Axis xAxis, Ticks.Axis yAxis, Ticks.Axis zAxis) {
        this.cam = cam;
        this.xAxis = xAxis;
        this.yAxis = yAxis;
        this.zAxis = zAxis;
        xTicks = xAxis.ticks(5);
        yTicks = yAxis.ticks(5);
        zTicks = zAxis.ticks(5);
        backX = cam.eye[0] < 0 ? 1 : -1;
        backY = cam.eye[1] < 0 ? 1 : -1;
        floor = cam.eye[2] >= 0 ? -Z_HALF : Z_HALF;
    }

    /** A data point's place in the box; values above the z axis's top are drawn at the top. */
    double[] point(double x, double y, double z) {
        double zz = Double.isFinite(z) ? Math.min(z, zAxis.max) : zAxis.max;
        return new double[] {
            2 * xAxis.position(x) - 1, 2 * yAxis.position(y) - 1, Z_HALF * (2 * zAxis.position(zz) - 1)
        };
    }

    double[] zTicks() {
        return zTicks;
    }

    /** Where the axes' tick labels and titles were drawn, on screen. */
    List<Rectangle2D> text() {
        return text;
    }

    /** The floor (or ceiling when seen from below) and the two back walls, with grid lines. */
    void drawPanes(Graphics2D g) {
        double zLow = -Z_HALF;
        double zHigh = Z_HALF;
        fillPane(g, new double[][] {{-1, -1, floor}, {1, -1, floor}, {1, 1, floor}, {-1, 1, floor}});
        fillPane(g, new double[][] {{backX, -1, zLow}, {backX, 1, zLow}, {backX, 1, zHigh}, {backX, -1, zHigh}});
        fillPane(g, new double[][] {{-1, backY, zLow}, {1, backY, zLow}, {1, backY, zHigh}, {-1, backY, zHigh}});
        g.setColor(PANE_GRID);
        g.setStroke(new BasicStroke(0.8f));
        for (double t : xTicks) {
            double x = 2 * xAxis.position(t) - 1;
            cam.line(g, new double[] {x, -1, floor}, new double[] {x, 1, floor});
            cam.line(g, new double[] {x, backY, zLow}, new double[] {x, backY, zHigh});
        }
        for (double t : yTicks) {
            double y = 2 * yAxis.position(t) - 1;
            cam.line(g, new double[] {-1, y, floor}, new double[] {1, y, floor});
            cam.line(g, new double[] {backX, y, zLow}, new double[] {backX, y, zHigh});
        }
        for (double t : zTicks) {
            double z = Z_HALF * (2 * zAxis.position(t) - 1);
            cam.line(g, new double[] {backX, -1, z}, new double[] {backX, 1, z});
            cam.line(g, new double[] {-1, backY, z}, new double[] {1, backY, z});
        }
    }

    /** The three axes with ticks and titles; text stays left of {@code maxX} (the colour bar). */
    void drawAxes(Graphics2D g, String xLabel, String yLabel, String zLabel, double maxX) {
        g.setStroke(new BasicStroke(0.9f));
        double frontX = -backX;
        double frontY = -backY;
        // x along the front floor edge (y = frontY), y along the other front floor edge (x = frontX).
        double[] xOut = {0, frontY, floor < 0 ? -0.5 : 0.5};
        double[] yOut = {frontX, 0, floor < 0 ? -0.5 : 0.5};
        axis(g, xTicks, t -> new double[] {2 * xAxis.position(t) - 1, frontY, floor}, xOut, xLabel,
                new double[] {-1, frontY, floor}, new double[] {1, frontY, floor}, maxX);
        axis(g, yTicks, t -> new double[] {frontX, 2 * yAxis.position(t) - 1, floor}, yOut, yLabel,
                new double[] {frontX, -1, floor}, new double[] {frontX, 1, floor}, maxX);
        // z on the vertical edge that is furthest left on screen, outside the floor's front corner.
        double[] best = null;
        for (double cx : new double[] {-1, 1}) {
            for (double cy : new double[] {-1, 1}) {
                boolean front = cx == frontX && cy == frontY;
                boolean back = cx == backX && cy == backY;
                double[] corner = {cx, cy, 0};
                if (!front && !back && (best == null || cam.sx(corner) < cam.sx(best))) {
                    best = corner;
                }
            }
        }
        double[] c = best;
        double[] zOut = {c[0], c[1], 0};
        axis(g, zTicks, t -> new double[] {c[0], c[1], Z_HALF * (2 * zAxis.position(t) - 1)}, zOut, zLabel,
                new double[] {c[0], c[1], -Z_HALF}, new double[] {c[0], c[1], Z_HALF}, maxX);
    }

    /** One axis: its edge, tick marks and labels pushed outwards, and the title beyond them. */
    private void axis(Graphics2D g, double[] ticks, DoubleFunction<double[]> at, double[] outward, String title,
            double[] from, double[] to, double maxX) {
        g.setColor(Style.AXIS);
        cam.line(g, from, to);
        double[] out = cam.screenDirection(outward);
        String[] labels = Ticks.labels(ticks);
        g.setFont(Style.TICK_FONT);
        FontMetrics fm = g.getFontMetrics();
        double reach = 0;
        for (int i = 0; i < ticks.length; i++) {
            Point2D.Double s = cam.screen(at.apply(ticks[i]));
            g.setColor(Style.AXIS);
            g.draw(new Line2D.Double(s.x, s.y, s.x + out[0] * 4, s.y + out[1] * 4));
            int tw = fm.stringWidth(labels[i]);
            double ax = s.x + out[0] * 9;
            double ay = s.y + out[1] * 9;
            // Place the label's box so that it touches the anchor on the side facing the axis.
            double bx = ax - tw / 2.0 + out[0] * tw / 2.0;
            double by = ay + fm.getAscent() / 2.0 + out[1] * fm.getAscent() / 2.0;
            g.setColor(Style.TEXT);
            Style.drawText(g, labels[i], (float) bx, (float) by);
            text.add(new Rectangle2D.Double(bx, by - fm.getAscent(), tw, fm.getHeight()));
            reach = Math.max(reach, Math.abs(out[0]) * tw + Math.abs(out[1]) * fm.getAscent());
        }
        g.setFont(Style.AXIS_TITLE_FONT);
        FontMetrics tm = g.getFontMetrics();
        Point2D.Double a = cam.screen(from);
        Point2D.Double b = cam.screen(to);
        double angle = Math.atan2(b.y - a.y, b.x - a.x);
        if (angle > Math.PI / 2) {
            angle -= Math.PI;
        } else if (angle < -Math.PI / 2) {
            angle += Math.PI;
        }
        if (Math.abs(Math.abs(angle) - Math.PI / 2) < 0.35) {
            angle = -Math.PI / 2; // near-vertical (the z axis): read bottom to top
        } else if (Math.abs(angle) > 0.6) {
            angle = 0; // steep edges: keep the title level, easier to read
        }
        // Push the title out far enough that its box, as drawn, clears the tick labels.
        double tw = tm.stringWidth(title);
        double th = tm.getAscent();
        double along = Math.abs(out[0] * Math.cos(angle) + out[1] * Math.sin(angle));
        double across = Math.abs(-out[0] * Math.sin(angle) + out[1] * Math.cos(angle));
        double gap = reach + 12 + along * tw / 2 + across * th / 2;
        double cx = (a.x + b.x) / 2 + out[0] * gap;
        double cy = (a.y + b.y) / 2 + out[1] * gap;
        double halfWidth = Math.abs(Math.cos(angle)) * tw / 2 + Math.abs(Math.sin(angle)) * th / 2;
        double halfHeight = Math.abs(Math.sin(angle)) * tw / 2 + Math.abs(Math.cos(angle)) * th / 2;
        cx = Math.min(cx, maxX - halfWidth); // keep clear of the colour bar
        AffineTransform saved = g.getTransform();
        g.translate(cx, cy);
        g.rotate(angle);
        g.setColor(Style.TEXT);
        Style.drawText(g, title, -tm.stringWidth(title) / 2f, tm.getAscent() / 2f - 1);
        g.setTransform(saved);
        text.add(new Rectangle2D.Double(cx - halfWidth, cy - halfHeight, 2 * halfWidth, 2 * halfHeight));
    }

    private void fillPane(Graphics2D g, double[][] corners) {
        g.setColor(PANE);
        g.fill(cam.polygon(corners));
    }
}
