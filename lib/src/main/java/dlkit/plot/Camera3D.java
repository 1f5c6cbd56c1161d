package dlkit.plot;

import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;

/**
 * The orthographic camera of {@link Surface3D}: screen-right, screen-up and towards-the-viewer
 * unit vectors, the scale and centre that fit the box into the figure, and the few vector
 * operations the surface needs.
 */
final class Camera3D {
    final double[] right;
    final double[] up;
    final double[] eye;
    double scale = 1;
    double centreX;
    double centreY;
    double midX;
    double midY;

    Camera3D(double azimuthDegrees, double elevationDegrees) {
        double a = Math.toRadians(azimuthDegrees);
        double e = Math.toRadians(elevationDegrees);
        eye = new double[] {Math.cos(e) * Math.cos(a), Math.cos(e) * Math.sin(a), Math.sin(e)};
        right = new double[] {-Math.sin(a), Math.cos(a), 0};
        up = new double[] {-Math.sin(e) * Math.cos(a), -Math.sin(e) * Math.sin(a), Math.cos(e)};
    }

    double sx(double[] p) {
        return dot(p, right);
    }

    double sy(double[] p) {
        return dot(p, up);
    }

    double depth(double[] p) {
        return dot(p, eye);
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

    /** The closed screen outline of 3-D points (a surface quad, a pane). */
    Path2D.Double polygon(double[]... corners) {
        Path2D.Double outline = new Path2D.Double();
        for (int k = 0; k < corners.length; k++) {
            Point2D.Double s = screen(corners[k]);
            if (k == 0) {
                outline.moveTo(s.x, s.y);
            } else {
                outline.lineTo(s.x, s.y);
            }
        }
        outline.closePath();
        return outline;
    }

    void line(Graphics2D g, double[] a, double[] b) {
        g.draw(new Line2D.Double(screen(a), screen(b)));
    }

    static double[] sub(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    static double[] add(double[] a, double[] b) {
        return new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
    }

    static double[] scale(double[] a, double s) {
        return new double[] {a[0] * s, a[1] * s, a[2] * s};
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    static double[] normalize(double[] a) {
        double n = Math.sqrt(dot(a, a));
        return n > 0 ? scale(a, 1 / n) : new double[] {0, 0, 1};
    }
}
