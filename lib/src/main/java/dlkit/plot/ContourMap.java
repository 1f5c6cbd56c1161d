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
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

/**
 * A heat map of values on a grid with contour lines (marching squares) and an optional path drawn
 * on top: the top view of a {@link Surface3D}.
 *
 * <pre>{@code
 * ContourMap.of(xs, ys, loss).path(px, py).labels("PC1", "PC2", "loss").figure();
 * }</pre>
 */
public final class ContourMap {

    private static final int TEXELS = 360; // resolution of the smoothly interpolated colour image
    private static final Color PATH = new Color(0xE8412C);

    private final GridValues grid;
    private double[] pathX;
    private double[] pathY;
    private String xLabel = "x";
    private String yLabel = "y";
    private String zLabel = "z";
    private String title = "";
    private int levels = 12;
    private boolean logScale;
    private int width = Style.WIDTH;
    private int height = 500;

    private ContourMap(GridValues grid) {
        this.grid = grid;
    }

    /**
     * A map from grid values.
     *
     * @param xs increasing x coordinates, at least 2
     * @param ys increasing y coordinates, at least 2
     * @param z {@code z[j][i]} at {@code (xs[i], ys[j])}
     * @return the renderer
     */
    public static ContourMap of(double[] xs, double[] ys, double[][] z) {
        return new ContourMap(new GridValues(xs, ys, z));
    }

    /**
     * Draws a path, e.g. the training trajectory, with its start and end marked.
     *
     * @param x x coordinates
     * @param y y coordinates
     * @return this renderer
     */
    public ContourMap path(double[] x, double[] y) {
        GridValues.checkPath(x, y, null);
        pathX = x.clone();
        pathY = y.clone();
        return this;
    }

    /**
     * Sets the axis titles.
     *
     * @param x horizontal axis
     * @param y vertical axis
     * @param z the colour bar's title
     * @return this renderer
     */
    public ContourMap labels(String x, String y, String z) {
        xLabel = x;
        yLabel = y;
        zLabel = z;
        return this;
    }

    /**
     * Sets the title.
     *
     * @param title shown above the map
     * @return this renderer
     */
    public ContourMap title(String title) {
        this.title = title == null ? "" : title;
        return this;
    }

    /**
     * Sets about how many contour levels to draw (round values; default 12).
     *
     * @param levels at least 1
     * @return this renderer
     */
    public ContourMap levels(int levels) {
        if (levels < 1) {
            throw new IllegalArgumentException("levels must be at least 1, got " + levels);
        }
        this.levels = levels;
        return this;
    }

    /**
     * Colours and contour levels on a log scale, so the basin around a minimum shows detail even
     * when far points have a much larger loss. Needs positive values.
     *
     * @return this renderer
     */
    public ContourMap logScale() {
        this.logScale = true;
        return this;
    }

    /**
     * Sets the figure size.
     *
     * @param width logical pixels (default 640)
     * @param height logical pixels (default 500)
     * @return this renderer
     */
    public ContourMap size(int width, int height) {
        this.width = width;
        this.height = height;
        return this;
    }

    /**
     * Renders the map.
     *
     * @return the figure
     */
    public Figure figure() {
        // Like an XChart figure, it is painted when rendered: later changes to this renderer show.
        return Figure.of(title.isEmpty() ? "contour map" : title, width, height, this::paint);
    }

    private void paint(Graphics2D g, int w, int h) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        int top = 14;
        if (!title.isEmpty()) {
            g.setFont(Style.TITLE_FONT);
            g.setColor(Style.TEXT);
            FontMetrics fm = g.getFontMetrics();
            Style.drawText(g, title, (w - fm.stringWidth(title)) / 2f, 10 + fm.getAscent());
            top = 20 + fm.getHeight();
        }
        double[] range = grid.range(null);
        Ticks.Axis zAxis = new Ticks.Axis(range[0], range[1], logScale);
        Ticks.Axis xAxis = new Ticks.Axis(grid.xs[0], grid.xs[grid.xs.length - 1], false);
        Ticks.Axis yAxis = new Ticks.Axis(grid.ys[0], grid.ys[grid.ys.length - 1], false);
        double left = 70;
        double right = w - 100;
        double bottom = h - 52;
        Rectangle2D plot = new Rectangle2D.Double(left, top, right - left, bottom - top);

        drawHeat(g, plot, zAxis);
        drawContours(g, plot, zAxis, xAxis, yAxis);
        if (pathX != null) {
            drawPath(g, plot, xAxis, yAxis);
        }
        g.setColor(Style.AXIS);
        g.setStroke(new BasicStroke(0.8f));
        g.draw(plot);
        drawTicks(g, plot, xAxis, yAxis);
        double[] zTicks = zAxis.ticks(6);
        ColorScale.drawBar(g, new Rectangle2D.Double(right + 16, top, 14, plot.getHeight()), zAxis, zTicks,
                Ticks.labels(zTicks), zLabel);
    }

    /** Colours by bilinear interpolation of the grid, drawn as one smoothly scaled image. */
    private void drawHeat(Graphics2D g, Rectangle2D plot, Ticks.Axis zAxis) {
        int nx = grid.xs.length;
        int ny = grid.ys.length;
        BufferedImage image = new BufferedImage(TEXELS, TEXELS, BufferedImage.TYPE_INT_RGB);
        for (int py = 0; py < TEXELS; py++) {
            double fy = (TEXELS - 1 - py) / (TEXELS - 1.0) * (ny - 1);
            int j = Math.min(ny - 2, (int) fy);
            double ty = fy - j;
            for (int px = 0; px < TEXELS; px++) {
                double fx = px / (TEXELS - 1.0) * (nx - 1);
                int i = Math.min(nx - 2, (int) fx);
                double tx = fx - i;
                double v = (1 - ty) * ((1 - tx) * value(j, i, zAxis) + tx * value(j, i + 1, zAxis))
                        + ty * ((1 - tx) * value(j + 1, i, zAxis) + tx * value(j + 1, i + 1, zAxis));
                image.setRGB(px, py, ColorScale.viridis(v).getRGB());
            }
        }
        Object hint = g.getRenderingHint(RenderingHints.KEY_INTERPOLATION);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, (int) plot.getX(), (int) plot.getY(), (int) Math.ceil(plot.getWidth()),
                (int) Math.ceil(plot.getHeight()), null);
        if (hint != null) {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, hint);
        }
    }

    /** A grid value as a position on the colour scale (non-finite: the top). */
    private double value(int j, int i, Ticks.Axis zAxis) {
        double v = grid.z[j][i];
        return Double.isFinite(v) ? Math.max(0, Math.min(1, zAxis.position(v))) : 1;
    }

    /** Marching squares on the grid (in colour-scale units), one segment per crossed cell. */
    private void drawContours(Graphics2D g, Rectangle2D plot, Ticks.Axis zAxis, Ticks.Axis xAxis, Ticks.Axis yAxis) {
        double[] levelValues = zAxis.ticks(levels);
        g.setStroke(new BasicStroke(0.7f));
        int nx = grid.xs.length;
        int ny = grid.ys.length;
        for (double level : levelValues) {
            double c = zAxis.position(level);
            if (c <= 1e-9 || c >= 1 - 1e-9) {
                continue;
            }
            g.setColor(c > 0.6 ? new Color(40, 40, 40, 150) : new Color(255, 255, 255, 170));
            for (int j = 0; j + 1 < ny; j++) {
                for (int i = 0; i + 1 < nx; i++) {
                    double v0 = value(j, i, zAxis);
                    double v1 = value(j, i + 1, zAxis);
                    double v2 = value(j + 1, i + 1, zAxis);
                    double v3 = value(j + 1, i, zAxis);
                    // Corners in order (i,j) (i+1,j) (i+1,j+1) (i,j+1); edges between consecutive corners.
                    double[] vs = {v0, v1, v2, v3};
                    double[][] corner = {{i, j}, {i + 1, j}, {i + 1, j + 1}, {i, j + 1}};
                    double[][] cuts = new double[4][];
                    int count = 0;
                    for (int e = 0; e < 4; e++) {
                        double a = vs[e];
                        double b = vs[(e + 1) % 4];
                        if ((a < c) != (b < c)) {
                            double t = (c - a) / (b - a);
                            double[] p = corner[e];
                            double[] q = corner[(e + 1) % 4];
                            cuts[e] = new double[] {p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])};
                            count++;
                        }
                    }
                    if (count == 2) {
                        double[] a = null;
                        for (double[] cut : cuts) {
                            if (cut != null) {
                                if (a == null) {
                                    a = cut;
                                } else {
                                    segment(g, plot, a, cut);
                                }
                            }
                        }
                    } else if (count == 4) {
                        // Saddle: join the edges around the corners on the side the centre is not on.
                        boolean centreAbove = (v0 + v1 + v2 + v3) / 4 >= c;
                        boolean firstAbove = v0 >= c;
                        if (centreAbove == firstAbove) {
                            segment(g, plot, cuts[0], cuts[1]);
                            segment(g, plot, cuts[2], cuts[3]);
                        } else {
                            segment(g, plot, cuts[3], cuts[0]);
                            segment(g, plot, cuts[1], cuts[2]);
                        }
                    }
                }
            }
        }
    }

    /** A segment between two points in grid-index coordinates. */
    private void segment(Graphics2D g, Rectangle2D plot, double[] a, double[] b) {
        g.draw(new Line2D.Double(gridX(plot, a[0]), gridY(plot, a[1]), gridX(plot, b[0]), gridY(plot, b[1])));
    }

    private double gridX(Rectangle2D plot, double i) {
        return plot.getX() + i / (grid.xs.length - 1) * plot.getWidth();
    }

    private double gridY(Rectangle2D plot, double j) {
        return plot.getMaxY() - j / (grid.ys.length - 1) * plot.getHeight();
    }

    private void drawPath(Graphics2D g, Rectangle2D plot, Ticks.Axis xAxis, Ticks.Axis yAxis) {
        int n = pathX.length;
        double[] sx = new double[n];
        double[] sy = new double[n];
        Path2D.Double line = new Path2D.Double();
        for (int k = 0; k < n; k++) {
            sx[k] = plot.getX() + xAxis.position(pathX[k]) * plot.getWidth();
            sy[k] = plot.getMaxY() - yAxis.position(pathY[k]) * plot.getHeight();
            if (k == 0) {
                line.moveTo(sx[k], sy[k]);
            } else {
                line.lineTo(sx[k], sy[k]);
            }
        }
        java.awt.Shape clip = g.getClip();
        g.clip(plot);
        g.setColor(new Color(255, 255, 255, 190));
        g.setStroke(new BasicStroke(3.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(line);
        g.setColor(PATH);
        g.setStroke(new BasicStroke(1.8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(line);
        double r = n > 80 ? 1.8 : 2.6;
        for (int k = 1; k < n - 1; k++) {
            g.fill(new Ellipse2D.Double(sx[k] - r, sy[k] - r, 2 * r, 2 * r));
        }
        String[] names = {"start", "end"};
        int[] index = {0, n - 1};
        for (int k = 0; k < 2; k++) {
            Ellipse2D.Double dot = new Ellipse2D.Double(sx[index[k]] - 4.5, sy[index[k]] - 4.5, 9, 9);
            g.setColor(k == 0 ? Color.WHITE : PATH);
            g.fill(dot);
            g.setColor(Style.TEXT);
            g.setStroke(new BasicStroke(1.3f));
            g.draw(dot);
            Style.pointLabel(g, names[k], sx[index[k]], sy[index[k]], plot.getMaxX());
        }
        g.setClip(clip);
    }

    private void drawTicks(Graphics2D g, Rectangle2D plot, Ticks.Axis xAxis, Ticks.Axis yAxis) {
        g.setFont(Style.TICK_FONT);
        FontMetrics fm = g.getFontMetrics();
        double[] xt = xAxis.ticks(6);
        String[] xl = Ticks.labels(xt);
        for (int k = 0; k < xt.length; k++) {
            double x = plot.getX() + xAxis.position(xt[k]) * plot.getWidth();
            g.setColor(Style.AXIS);
            g.draw(new Line2D.Double(x, plot.getMaxY(), x, plot.getMaxY() + 4));
            g.setColor(Style.TEXT);
            Style.drawText(g, xl[k], (float) (x - fm.stringWidth(xl[k]) / 2.0), (float) plot.getMaxY() + 6 + fm.getAscent());
        }
        double[] yt = yAxis.ticks(6);
        String[] yl = Ticks.labels(yt);
        int widest = 0;
        for (int k = 0; k < yt.length; k++) {
            double y = plot.getMaxY() - yAxis.position(yt[k]) * plot.getHeight();
            g.setColor(Style.AXIS);
            g.draw(new Line2D.Double(plot.getX() - 4, y, plot.getX(), y));
            g.setColor(Style.TEXT);
            Style.drawText(g, yl[k], (float) (plot.getX() - 7 - fm.stringWidth(yl[k])), (float) (y + fm.getAscent() / 2.0 - 1));
            widest = Math.max(widest, fm.stringWidth(yl[k]));
        }
        g.setFont(Style.AXIS_TITLE_FONT);
        FontMetrics tm = g.getFontMetrics();
        Style.drawText(g, xLabel, (float) (plot.getCenterX() - tm.stringWidth(xLabel) / 2.0),
                (float) plot.getMaxY() + 12 + fm.getHeight() + tm.getAscent());
        AffineTransform saved = g.getTransform();
        g.translate(plot.getX() - 12 - widest, plot.getCenterY() + tm.stringWidth(yLabel) / 2.0);
        g.rotate(-Math.PI / 2);
        Style.drawText(g, yLabel, 0, 0);
        g.setTransform(saved);
    }

    @Override
    public String toString() {
        return "ContourMap(" + grid.xs.length + "x" + grid.ys.length + (pathX != null ? ", path of " + pathX.length : "")
                + ")";
    }
}
