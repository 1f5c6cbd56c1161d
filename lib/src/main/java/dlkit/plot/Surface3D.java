package dlkit.plot;

import static dlkit.plot.Camera3D.add;
import static dlkit.plot.Camera3D.cross;
import static dlkit.plot.Camera3D.dot;
import static dlkit.plot.Camera3D.normalize;
import static dlkit.plot.Camera3D.scale;
import static dlkit.plot.Camera3D.sub;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
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
        Camera3D cam = new Camera3D(azimuth, elevation);
        Rectangle2D area = new Rectangle2D.Double(8, top, w - 8 - 92, h - top - 8);
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < 8; c++) {
            double[] p = {(c & 1) == 0 ? -1 : 1, (c & 2) == 0 ? -1 : 1,
                (c & 4) == 0 ? -SurfaceBox.Z_HALF : SurfaceBox.Z_HALF};
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

        SurfaceBox box = new SurfaceBox(cam, xAxis, yAxis, zAxis);
        box.drawPanes(g);
        List<Item> items = new ArrayList<>();
        addQuads(items, g, cam, box);
        if (pathX != null) {
            addPath(items, g, cam, box);
        }
        items.sort(Comparator.comparingDouble(Item::depth));
        for (Item item : items) {
            item.draw().run();
        }
        box.drawAxes(g, xLabel, yLabel, zLabel, area.getMaxX() - 4);
        if (pathX != null) {
            labelEnds(g, cam, box, area.getMaxX());
        }
        Rectangle2D bar = new Rectangle2D.Double(w - 84, top + 30, 14, Math.max(40, h - top - 90));
        ColorScale.drawBar(g, bar, zAxis, box.zTicks(), Ticks.labels(box.zTicks()), zLabel);
    }

    private void addQuads(List<Item> items, Graphics2D g, Camera3D cam, SurfaceBox box) {
        double[] light = normalize(add(add(scale(cam.eye, 0.75), scale(cam.up, 0.65)), scale(cam.right, -0.45)));
        BasicStroke edge = new BasicStroke(0.45f);
        int nx = grid.xs.length;
        int ny = grid.ys.length;
        for (int j = 0; j + 1 < ny; j++) {
            for (int i = 0; i + 1 < nx; i++) {
                double[][] p = {
                    box.point(grid.xs[i], grid.ys[j], grid.z[j][i]),
                    box.point(grid.xs[i + 1], grid.ys[j], grid.z[j][i + 1]),
                    box.point(grid.xs[i + 1], grid.ys[j + 1], grid.z[j + 1][i + 1]),
                    box.point(grid.xs[i], grid.ys[j + 1], grid.z[j + 1][i]),
                };
                double[] normal = normalize(cross(sub(p[2], p[0]), sub(p[3], p[1])));
                if (dot(normal, cam.eye) < 0) {
                    normal = scale(normal, -1); // the underside faces us: light it as seen
                }
                double shade = 0.5 + 0.62 * Math.max(0, dot(normal, light));
                double height = (p[0][2] + p[1][2] + p[2][2] + p[3][2]) / 4;
                Color fill = ColorScale.scale(ColorScale.viridis((height / SurfaceBox.Z_HALF + 1) / 2), shade);
                Path2D.Double quad = cam.polygon(p);
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

    private void addPath(List<Item> items, Graphics2D g, Camera3D cam, SurfaceBox box) {
        // Lift the path slightly towards the eye so it wins against the quad it lies on, but not
        // against a ridge in front of it.
        double lift = 1.6 * 2.0 / (Math.min(grid.xs.length, grid.ys.length) - 1);
        int n = pathX.length;
        double[][] p = new double[n][];
        for (int k = 0; k < n; k++) {
            p[k] = box.point(pathX[k], pathY[k], pathZ[k]);
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
                double[] next = q == pieces ? p[k + 1] : box.point(
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

    /** "start" and "end" beside the path's ends, clear of the axes' text and of each other. */
    private void labelEnds(Graphics2D g, Camera3D cam, SurfaceBox box, double maxX) {
        int last = pathX.length - 1;
        Point2D.Double start = cam.screen(box.point(pathX[0], pathY[0], pathZ[0]));
        Point2D.Double end = cam.screen(box.point(pathX[last], pathY[last], pathZ[last]));
        List<Rectangle2D> taken = new ArrayList<>(box.text());
        Style.pointLabel(g, "start", start.x, start.y, maxX, taken);
        Style.pointLabel(g, "end", end.x, end.y, maxX, taken);
    }

    @Override
    public String toString() {
        return "Surface3D(" + grid.xs.length + "x" + grid.ys.length + ", azimuth " + azimuth + ", elevation "
                + elevation + (pathX != null ? ", path of " + pathX.length : "") + ")";
    }
}
