package dlkit.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A shaded 3-D surface {@code z = f(x, y)} from values on a grid, with an optional path drawn on
 * it (XChart has no 3-D charts). Drawn with Java2D: quads sorted back to front (painter's
 * algorithm), coloured by height with viridis and lit by a light from the upper left, grey back
 * panes with grid lines, ticked axes and a colour bar.
 *
 * <pre>{@code
 * Surface3D.of(xs, ys, loss)                 // loss[j][i] at (xs[i], ys[j])
 *         .path(px, py, pathLoss)
 *         .labels("PC1", "PC2", "loss")
 *         .view(-60, 30)                     // azimuth, elevation in degrees (matplotlib's default)
 *         .figure();
 * }</pre>
 */
public final class Surface3D {

    private static final double Z_HALF = 0.72; // box height relative to its width: a squat box reads best
    private static final Color PANE = new Color(0xF3F3F5);
    private static final Color PANE_GRID = new Color(0xDCDCE0);
    private static final Color PATH = new Color(0xE8412C);

    private final GridValues grid;
    private double[] pathX;
    private double[] pathY;
    private double[] pathZ;
    private String xLabel = "x";
    private String yLabel = "y";
    private String zLabel = "z";
    private String title = "";
    private double azimuth = -60;
    // 45 rather than matplotlib's 30: a loss surface is a bowl, and from 30 degrees its near corner,
    // high above the minimum, rises in front of the valley and hides the end of the training path.
    private double elevation = 45;
    private int width = Style.WIDTH;
    private int height = 520;
    private boolean logZ;
    private double zLimit = Double.NaN;

    private Surface3D(GridValues grid) {
        this.grid = grid;
    }

    /**
     * A surface from grid values.
     *
     * @param xs increasing x coordinates, at least 2
     * @param ys increasing y coordinates, at least 2
     * @param z {@code z[j][i]} at {@code (xs[i], ys[j])}; non-finite values are drawn at the top
     * @return the renderer
     */
    public static Surface3D of(double[] xs, double[] ys, double[][] z) {
        return new Surface3D(new GridValues(xs, ys, z));
    }

    /**
     * Draws a path on the surface, e.g. the training trajectory: a line through the points with a
     * dot at each, the first marked "start" and the last "end".
     *
     * @param x x coordinates
     * @param y y coordinates
     * @param z heights (for a point on the surface, the surface's value there)
     * @return this renderer
     */
    public Surface3D path(double[] x, double[] y, double[] z) {
        GridValues.checkPath(x, y, z);
        pathX = x.clone();
        pathY = y.clone();
        pathZ = z.clone();
        return this;
    }

    /**
     * Sets the axis titles.
     *
     * @param x first axis
     * @param y second axis
     * @param z height (also the colour bar's title)
     * @return this renderer
     */
    public Surface3D labels(String x, String y, String z) {
        xLabel = x;
        yLabel = y;
        zLabel = z;
        return this;
    }

    /**
     * Sets the title.
     *
     * @param title shown above the plot
     * @return this renderer
     */
    public Surface3D title(String title) {
        this.title = title == null ? "" : title;
        return this;
    }

    /**
     * Sets the viewing angle, as in matplotlib's {@code view_init(elev, azim)}.
     *
     * @param azimuth degrees around the vertical axis (default -60)
     * @param elevation degrees above the x-y plane, -90 to 90 (default 45, where a bowl's near rim
     *     does not hide its valley)
     * @return this renderer
     */
    public Surface3D view(double azimuth, double elevation) {
        if (!(elevation >= -90 && elevation <= 90) || !Double.isFinite(azimuth)) {
            throw new IllegalArgumentException("elevation must be between -90 and 90 degrees and azimuth finite, got"
                    + " azimuth " + azimuth + ", elevation " + elevation);
        }
        this.azimuth = azimuth;
        this.elevation = elevation;
        return this;
    }

    /**
     * Sets the figure size.
     *
     * @param width logical pixels (default 640)
     * @param height logical pixels (default 520)
     * @return this renderer
     */
    public Surface3D size(int width, int height) {
        this.width = width;
        this.height = height;
        return this;
    }

    /**
     * Scales heights and colours logarithmically: useful when a few far points have a loss many
     * times that of the basin. Needs positive values.
     *
     * @return this renderer
     */
    public Surface3D logScale() {
        this.logZ = true;
        return this;
    }

    /**
     * Cuts the surface off at a height: larger (and non-finite) values are drawn at the limit.
     *
     * @param max the highest value shown
     * @return this renderer
     */
    public Surface3D zLimit(double max) {
        this.zLimit = max;
        return this;
    }

    /**
     * Renders the surface.
     *
     * @return the figure, shown inline and saved like any other
     */
    public Figure figure() {
        // Like an XChart figure, it is painted when rendered: later changes to this renderer show.
        return Figure.of(title.isEmpty() ? "3-D surface" : title, width, height, this::paint);
    }

    // ---- drawing ------------------------------------------------------------------------------

    /** Orthographic camera: screen right, screen up and towards-the-viewer unit vectors. */
    private static final class Camera {
        final double[] right;
        final double[] up;
        final double[] eye;
        double scale = 1;
        double centreX;
        double centreY;
        double midX;
        double midY;

        Camera(double azimuthDegrees, double elevationDegrees) {
            double a = Math.toRadians(azimuthDegrees);
            double e = Math.toRadians(elevationDegrees);
            eye = new double[] {Math.cos(e) * Math.cos(a), Math.cos(e) * Math.sin(a), Math.sin(e)};
            right = new double[] {-Math.sin(a), Math.cos(a), 0};
            up = new double[] {-Math.sin(e) * Math.cos(a), -Math.sin(e) * Math.sin(a), Math.cos(e)};
        }

        double sx(double[] p) {
            return p[0] * right[0] + p[1] * right[1] + p[2] * right[2];
        }

        double sy(double[] p) {
            return p[0] * up[0] + p[1] * up[1] + p[2] * up[2];
        }

        double depth(double[] p) {
            return p[0] * eye[0] + p[1] * eye[1] + p[2] * eye[2];
        }

        Point2D.Double screen(double[] p) {
            return new Point2D.Double(centreX + (sx(p) - midX) * scale, centreY - (sy(p) - midY) * scale);
        }

        /** The screen direction (unit length) of a 3-D direction. */
        double[] screenDirection(double[] d) {
            double x = sx(d);
            double y = -sy(d);
            double n = Math.hypot(x, y);
            return n > 0 ? new double[] {x / n, y / n} : new double[] {0, 1};
        }
    }

    /** Something drawn in depth order: a surface quad or a piece of the path. */
    private record Item(double depth, Runnable draw) {}

    private void paint(Graphics2D g, int w, int h) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        int top = 10;
        if (!title.isEmpty()) {
            g.setFont(Style.TITLE_FONT);
            g.setColor(Style.TEXT);
            FontMetrics fm = g.getFontMetrics();
            Style.drawText(g, title, (w - fm.stringWidth(title)) / 2f, 10 + fm.getAscent());
            top = 14 + fm.getHeight();
        }

        double[] range = grid.range(pathZ);
        double zMax = Double.isNaN(zLimit) ? range[1] : Math.min(range[1], zLimit);
        Ticks.Axis zAxis = new Ticks.Axis(range[0], zMax, logZ);
        Ticks.Axis xAxis = new Ticks.Axis(grid.xs[0], grid.xs[grid.xs.length - 1], false);
        Ticks.Axis yAxis = new Ticks.Axis(grid.ys[0], grid.ys[grid.ys.length - 1], false);

        // Fit the projected box into the area left of the colour bar, with room for labels.
        Camera cam = new Camera(azimuth, elevation);
        Rectangle2D area = new Rectangle2D.Double(8, top, w - 8 - 92, h - top - 8);
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < 8; c++) {
            double[] p = {(c & 1) == 0 ? -1 : 1, (c & 2) == 0 ? -1 : 1, (c & 4) == 0 ? -Z_HALF : Z_HALF};
            minX = Math.min(minX, cam.sx(p));
            maxX = Math.max(maxX, cam.sx(p));
            minY = Math.min(minY, cam.sy(p));
            maxY = Math.max(maxY, cam.sy(p));
        }
        double pad = 62; // tick labels and axis titles
        cam.scale = Math.min((area.getWidth() - 2 * pad) / (maxX - minX), (area.getHeight() - 2 * pad + 20) / (maxY - minY));
        cam.midX = (minX + maxX) / 2;
        cam.midY = (minY + maxY) / 2;
        cam.centreX = area.getCenterX();
        cam.centreY = area.getCenterY();

        // Which walls are at the back, seen from the eye.
        double backX = cam.eye[0] < 0 ? 1 : -1;
        double backY = cam.eye[1] < 0 ? 1 : -1;
        double floor = cam.eye[2] >= 0 ? -Z_HALF : Z_HALF;
        double[] xTicks = xAxis.ticks(5);
        double[] yTicks = yAxis.ticks(5);
        double[] zTicks = zAxis.ticks(5);
        drawPanes(g, cam, backX, backY, floor, xAxis, yAxis, zAxis, xTicks, yTicks, zTicks);

        List<Item> items = new ArrayList<>();
        addQuads(items, g, cam, xAxis, yAxis, zAxis);
        if (pathX != null) {
            addPath(items, g, cam, xAxis, yAxis, zAxis);
        }
        items.sort(Comparator.comparingDouble(Item::depth));
        for (Item item : items) {
            item.draw().run();
        }
        if (pathX != null) {
            labelEnds(g, cam, xAxis, yAxis, zAxis, area.getMaxX());
        }

        drawAxes(g, cam, backX, backY, floor, xAxis, yAxis, zAxis, xTicks, yTicks, zTicks, area.getMaxX() - 4);
        Rectangle2D bar = new Rectangle2D.Double(w - 84, top + 30, 14, Math.max(40, h - top - 90));
        ColorScale.drawBar(g, bar, zAxis, zTicks, Ticks.labels(zTicks), zLabel);
    }

    private double[] point(Ticks.Axis xAxis, Ticks.Axis yAxis, Ticks.Axis zAxis, double x, double y, double z) {
        double zz = Double.isFinite(z) ? Math.min(z, zAxis.max) : zAxis.max;
        return new double[] {
            2 * xAxis.position(x) - 1, 2 * yAxis.position(y) - 1, Z_HALF * (2 * zAxis.position(zz) - 1)
        };
    }

    private void addQuads(List<Item> items, Graphics2D g, Camera cam, Ticks.Axis xAxis, Ticks.Axis yAxis,
            Ticks.Axis zAxis) {
        double[] light = normalize(add(add(scale(cam.eye, 0.75), scale(cam.up, 0.65)), scale(cam.right, -0.45)));
        BasicStroke edge = new BasicStroke(0.45f);
        int nx = grid.xs.length;
        int ny = grid.ys.length;
        for (int j = 0; j + 1 < ny; j++) {
            for (int i = 0; i + 1 < nx; i++) {
                double[][] p = {
                    point(xAxis, yAxis, zAxis, grid.xs[i], grid.ys[j], grid.z[j][i]),
                    point(xAxis, yAxis, zAxis, grid.xs[i + 1], grid.ys[j], grid.z[j][i + 1]),
                    point(xAxis, yAxis, zAxis, grid.xs[i + 1], grid.ys[j + 1], grid.z[j + 1][i + 1]),
                    point(xAxis, yAxis, zAxis, grid.xs[i], grid.ys[j + 1], grid.z[j + 1][i]),
                };
                double[] normal = normalize(cross(sub(p[2], p[0]), sub(p[3], p[1])));
                if (dot(normal, cam.eye) < 0) {
                    normal = scale(normal, -1); // the underside faces us: light it as seen
                }
                double shade = 0.5 + 0.62 * Math.max(0, dot(normal, light));
                double height = (p[0][2] + p[1][2] + p[2][2] + p[3][2]) / 4;
                Color fill = ColorScale.scale(ColorScale.viridis((height / Z_HALF + 1) / 2), shade);
                Path2D.Double quad = new Path2D.Double();
                for (int k = 0; k < 4; k++) {
                    Point2D.Double s = cam.screen(p[k]);
                    if (k == 0) {
                        quad.moveTo(s.x, s.y);
                    } else {
                        quad.lineTo(s.x, s.y);
                    }
                }
                quad.closePath();
                double depth = (cam.depth(p[0]) + cam.depth(p[1]) + cam.depth(p[2]) + cam.depth(p[3])) / 4;
                items.add(new Item(depth, () -> {
                    g.setColor(fill);
                    g.fill(quad);
                    g.setColor(ColorScale.scale(fill, 0.8));
                    g.setStroke(edge);
                    g.draw(quad);
                }));
            }
        }
    }

    private void addPath(List<Item> items, Graphics2D g, Camera cam, Ticks.Axis xAxis, Ticks.Axis yAxis,
            Ticks.Axis zAxis) {
        // Lift the path slightly towards the eye so it wins against the quad it lies on, but not
        // against a ridge in front of it.
        double lift = 1.6 * 2.0 / (Math.min(grid.xs.length, grid.ys.length) - 1);
        int n = pathX.length;
        double[][] p = new double[n][];
        for (int k = 0; k < n; k++) {
            p[k] = point(xAxis, yAxis, zAxis, pathX[k], pathY[k], pathZ[k]);
            p[k][2] += 0.006;
        }
        // Butt caps: the pieces below meet end to end, and a round cap's halo would show at each joint.
        BasicStroke halo = new BasicStroke(3.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND);
        BasicStroke line = new BasicStroke(1.7f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND);
        // A long segment crosses many quads, and one depth for all of it would hide it behind quads
        // it lies on: cut it into pieces about a grid cell long. Between snapshots the pieces follow
        // the surface, offset by the snapshots' own distance from it.
        double cell = 2.0 / (Math.min(grid.xs.length, grid.ys.length) - 1);
        for (int k = 0; k + 1 < n; k++) {
            double length = Math.hypot(p[k + 1][0] - p[k][0], p[k + 1][1] - p[k][1]);
            int pieces = Math.max(1, (int) Math.ceil(length / cell));
            double offA = pathZ[k] - grid.at(pathX[k], pathY[k]);
            double offB = pathZ[k + 1] - grid.at(pathX[k + 1], pathY[k + 1]);
            double[] previous = p[k];
            for (int q = 1; q <= pieces; q++) {
                double t = (double) q / pieces;
                double[] next = q == pieces ? p[k + 1] : point(xAxis, yAxis, zAxis,
                        pathX[k] + t * (pathX[k + 1] - pathX[k]), pathY[k] + t * (pathY[k + 1] - pathY[k]),
                        grid.at(pathX[k] + t * (pathX[k + 1] - pathX[k]), pathY[k] + t * (pathY[k + 1] - pathY[k]))
                                + offA + t * (offB - offA));
                if (q < pieces) {
                    next[2] += 0.006;
                }
                Point2D.Double a = cam.screen(previous);
                Point2D.Double b = cam.screen(next);
                double depth = (cam.depth(previous) + cam.depth(next)) / 2 + lift;
                items.add(new Item(depth, () -> {
                    g.setColor(new Color(255, 255, 255, 170));
                    g.setStroke(halo);
                    g.draw(new Line2D.Double(a, b));
                    g.setColor(PATH);
                    g.setStroke(line);
                    g.draw(new Line2D.Double(a, b));
                }));
                previous = next;
            }
        }
        double r = n > 80 ? 1.8 : 2.6;
        for (int k = 0; k < n; k++) {
            Point2D.Double s = cam.screen(p[k]);
            boolean end = k == 0 || k == n - 1;
            double radius = end ? 4.5 : r;
            Color fill = k == 0 ? Color.WHITE : PATH;
            items.add(new Item(cam.depth(p[k]) + lift + 1e-6, () -> {
                Ellipse2D.Double dot = new Ellipse2D.Double(s.x - radius, s.y - radius, 2 * radius, 2 * radius);
                g.setColor(fill);
                g.fill(dot);
                g.setColor(end ? Style.TEXT : Color.WHITE);
                g.setStroke(new BasicStroke(end ? 1.3f : 0.6f));
                g.draw(dot);
            }));
        }
    }

    private void labelEnds(Graphics2D g, Camera cam, Ticks.Axis xAxis, Ticks.Axis yAxis, Ticks.Axis zAxis,
            double maxX) {
        int last = pathX.length - 1;
        Point2D.Double start = cam.screen(point(xAxis, yAxis, zAxis, pathX[0], pathY[0], pathZ[0]));
        Point2D.Double end = cam.screen(point(xAxis, yAxis, zAxis, pathX[last], pathY[last], pathZ[last]));
        Style.pointLabel(g, "start", start.x, start.y, maxX);
        Style.pointLabel(g, "end", end.x, end.y, maxX);
    }

    private void drawPanes(Graphics2D g, Camera cam, double backX, double backY, double floor,
            Ticks.Axis xAxis, Ticks.Axis yAxis, Ticks.Axis zAxis, double[] xTicks, double[] yTicks, double[] zTicks) {
        double zLow = -Z_HALF;
        double zHigh = Z_HALF;
        // Floor (or ceiling when seen from below) and the two back walls.
        fillPane(g, cam, new double[][] {{-1, -1, floor}, {1, -1, floor}, {1, 1, floor}, {-1, 1, floor}});
        fillPane(g, cam, new double[][] {{backX, -1, zLow}, {backX, 1, zLow}, {backX, 1, zHigh}, {backX, -1, zHigh}});
        fillPane(g, cam, new double[][] {{-1, backY, zLow}, {1, backY, zLow}, {1, backY, zHigh}, {-1, backY, zHigh}});
        g.setColor(PANE_GRID);
        g.setStroke(new BasicStroke(0.8f));
        for (double t : xTicks) {
            double x = 2 * xAxis.position(t) - 1;
            line(g, cam, new double[] {x, -1, floor}, new double[] {x, 1, floor});
            line(g, cam, new double[] {x, backY, zLow}, new double[] {x, backY, zHigh});
        }
        for (double t : yTicks) {
            double y = 2 * yAxis.position(t) - 1;
            line(g, cam, new double[] {-1, y, floor}, new double[] {1, y, floor});
            line(g, cam, new double[] {backX, y, zLow}, new double[] {backX, y, zHigh});
        }
        for (double t : zTicks) {
            double z = Z_HALF * (2 * zAxis.position(t) - 1);
            line(g, cam, new double[] {backX, -1, z}, new double[] {backX, 1, z});
            line(g, cam, new double[] {-1, backY, z}, new double[] {1, backY, z});
        }
    }

    private void drawAxes(Graphics2D g, Camera cam, double backX, double backY, double floor,
            Ticks.Axis xAxis, Ticks.Axis yAxis, Ticks.Axis zAxis, double[] xTicks, double[] yTicks, double[] zTicks,
            double maxX) {
        g.setStroke(new BasicStroke(0.9f));
        double frontX = -backX;
        double frontY = -backY;
        // x along the front floor edge (y = frontY), y along the other front floor edge (x = frontX).
        double[] xOut = {0, frontY, floor < 0 ? -0.5 : 0.5};
        double[] yOut = {frontX, 0, floor < 0 ? -0.5 : 0.5};
        axis(g, cam, xTicks, t -> new double[] {2 * xAxis.position(t) - 1, frontY, floor}, xOut, xLabel,
                new double[] {-1, frontY, floor}, new double[] {1, frontY, floor}, maxX);
        axis(g, cam, yTicks, t -> new double[] {frontX, 2 * yAxis.position(t) - 1, floor}, yOut, yLabel,
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
        axis(g, cam, zTicks, t -> new double[] {c[0], c[1], Z_HALF * (2 * zAxis.position(t) - 1)}, zOut, zLabel,
                new double[] {c[0], c[1], -Z_HALF}, new double[] {c[0], c[1], Z_HALF}, maxX);
    }

    /** One axis: its edge, tick marks and labels pushed outwards, and the title beyond them. */
    private void axis(Graphics2D g, Camera cam, double[] ticks, java.util.function.DoubleFunction<double[]> at,
            double[] outward, String title, double[] from, double[] to, double maxX) {
        g.setColor(Style.AXIS);
        line(g, cam, from, to);
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
        cx = Math.min(cx, maxX - halfWidth); // keep clear of the colour bar
        AffineTransform saved = g.getTransform();
        g.translate(cx, cy);
        g.rotate(angle);
        g.setColor(Style.TEXT);
        Style.drawText(g, title, -tm.stringWidth(title) / 2f, tm.getAscent() / 2f - 1);
        g.setTransform(saved);
    }

    private static void fillPane(Graphics2D g, Camera cam, double[][] corners) {
        Path2D.Double pane = new Path2D.Double();
        for (int k = 0; k < corners.length; k++) {
            Point2D.Double s = cam.screen(corners[k]);
            if (k == 0) {
                pane.moveTo(s.x, s.y);
            } else {
                pane.lineTo(s.x, s.y);
            }
        }
        pane.closePath();
        g.setColor(PANE);
        g.fill(pane);
    }

    private static void line(Graphics2D g, Camera cam, double[] a, double[] b) {
        g.draw(new Line2D.Double(cam.screen(a), cam.screen(b)));
    }

    private static double[] sub(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    private static double[] add(double[] a, double[] b) {
        return new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
    }

    private static double[] scale(double[] a, double s) {
        return new double[] {a[0] * s, a[1] * s, a[2] * s};
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    private static double[] normalize(double[] a) {
        double n = Math.sqrt(dot(a, a));
        return n > 0 ? scale(a, 1 / n) : new double[] {0, 0, 1};
    }

    @Override
    public String toString() {
        return "Surface3D(" + grid.xs.length + "x" + grid.ys.length + ", azimuth " + azimuth + ", elevation "
                + elevation + (pathX != null ? ", path of " + pathX.length : "") + ")";
    }
}
