package dlkit.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Ready-made {@link Augmentation}s for image batches [N, C, H, W], for {@code
 * Fit.Builder.optAugmentation}.
 *
 * <pre>{@code
 * // seed 002: rotations up to 10 degrees and shifts up to 10% of the size
 * Augmentation digits = Augmentations.compose(Augmentations.rotation(10), Augmentations.translation(0.1f));
 * // the CIFAR standard: pad by 4 and crop back to 32x32 at a random place, mirror half the images
 * Augmentation cifar = Augmentations.compose(Augmentations.padCrop(4), Augmentations.horizontalFlip());
 * }</pre>
 *
 * <p>Each image gets its own random draw from the {@code Random} that {@code Fit} passes in (seeded
 * from the run's seed, epoch and batch), so augmented runs are reproducible. All of these are
 * geometric: each image's draws make one affine map, and {@link #compose} multiplies the maps so
 * that the image is resampled once, bilinearly, however many steps there are. Integer shifts and
 * flips land exactly on pixel centres, so they move pixel values without blurring them.
 *
 * <p>Where a map reaches outside the image, the new pixels take the batch's smallest value in that
 * channel: black, as the padding of torchvision's transforms, because every {@link Normalization}
 * maps pixel 0 to the lowest value and real batches contain black pixels.
 *
 * <p>The work is a Java loop over the batch's floats, with one map per image (DJL has no grid
 * sampling op): a few milliseconds for a batch of 128 images, against hundreds for the training
 * step ({@code benchmarks/augmentation.sh} measures it).
 */
public final class Augmentations {

    private Augmentations() {}

    /**
     * Rotates each image about its centre by an angle drawn uniformly from [-degrees, degrees].
     *
     * @param degrees the largest angle, in [0, 180]
     * @return the augmentation
     */
    public static Augmentation rotation(float degrees) {
        check(degrees >= 0 && degrees <= 180, "rotation degrees must be in [0, 180], got " + degrees);
        return new Geometric(format("rotation(%s)", degrees), (r, h, w) -> {
            double a = Math.toRadians(uniform(r, degrees));
            return Affine.rotation(a);
        });
    }

    /**
     * Shifts each image by a whole number of pixels, up to {@code fraction} of its width
     * horizontally and of its height vertically (as torchvision's {@code RandomAffine(translate=)}).
     *
     * @param fraction the largest shift as a fraction of the size, in [0, 1)
     * @return the augmentation
     */
    public static Augmentation translation(float fraction) {
        check(fraction >= 0 && fraction < 1, "translation fraction must be in [0, 1), got " + fraction);
        return new Geometric(format("translation(%s)", fraction), (r, h, w) -> {
            double dx = Math.round(uniform(r, fraction * w));
            double dy = Math.round(uniform(r, fraction * h));
            return Affine.shift(dx, dy);
        });
    }

    /**
     * Mirrors each image left to right with probability 1/2.
     *
     * @return the augmentation
     */
    public static Augmentation horizontalFlip() {
        return new Geometric("horizontalFlip", (r, h, w) -> r.nextBoolean() ? Affine.FLIP : Affine.IDENTITY);
    }

    /**
     * Pads each image by {@code padding} pixels on every side and crops it back to its size at a
     * random place: a shift by a whole number of pixels in [-padding, padding] on each axis, the
     * uncovered border black. The standard CIFAR augmentation (He et al. 2016: padding 4).
     *
     * @param padding the padding in pixels, &ge; 0
     * @return the augmentation
     */
    public static Augmentation padCrop(int padding) {
        check(padding >= 0, "padCrop padding must be >= 0, got " + padding);
        return new Geometric("padCrop(" + padding + ")", (r, h, w) ->
                Affine.shift(r.nextInt(2 * padding + 1) - padding, r.nextInt(2 * padding + 1) - padding));
    }

    /**
     * Scales each image about its centre by a factor drawn uniformly from [1 - fraction, 1 + fraction]
     * (above 1 zooms in, below 1 zooms out with a black border).
     *
     * @param fraction the largest relative change of scale, in [0, 1)
     * @return the augmentation
     */
    public static Augmentation zoom(float fraction) {
        check(fraction >= 0 && fraction < 1, "zoom fraction must be in [0, 1), got " + fraction);
        return new Geometric(format("zoom(%s)", fraction), (r, h, w) -> Affine.scale(1 + uniform(r, fraction)));
    }

    /**
     * Applies the steps in order. Steps made by this class are merged into one resampling per
     * image (their random draws are made per image, in step order); other augmentations are
     * applied to the whole batch in turn.
     *
     * @param steps the augmentations, at least one
     * @return the augmentation
     */
    public static Augmentation compose(Augmentation... steps) {
        check(steps.length > 0, "compose needs at least one augmentation");
        List<Augmentation> merged = new ArrayList<>();
        for (Augmentation step : steps) {
            if (step == null) {
                throw new IllegalArgumentException("Augmentations.compose: step " + merged.size() + " is null");
            }
            int last = merged.size() - 1;
            if (step instanceof Geometric g && last >= 0 && merged.get(last) instanceof Geometric previous) {
                merged.set(last, previous.then(g));
            } else {
                merged.add(step);
            }
        }
        if (merged.size() == 1) {
            return merged.get(0);
        }
        String name = "compose(" + merged.stream().map(Object::toString).collect(Collectors.joining(", ")) + ")";
        return new Augmentation() {
            @Override
            public NDArray apply(NDArray images, Random random) {
                NDArray out = images;
                for (Augmentation step : merged) {
                    out = step.apply(out, random);
                }
                return out;
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    private static double uniform(Random r, double limit) {
        return (2 * r.nextDouble() - 1) * limit;
    }

    private static String format(String pattern, float value) {
        return String.format(Locale.ROOT, pattern, Float.toString(value));
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Augmentations: " + message);
        }
    }

    /** Draws one image's map (output to input coordinates, about the image centre). */
    @FunctionalInterface
    interface MapDraw {
        Affine draw(Random random, int height, int width);
    }

    /**
     * An inverse affine map about the image centre: a source position for each output position,
     * {@code (sx, sy) = (a*x + b*y + tx, c*x + d*y + ty)} with x, y relative to the centre.
     */
    record Affine(double a, double b, double c, double d, double tx, double ty) {

        static final Affine IDENTITY = new Affine(1, 0, 0, 1, 0, 0);
        static final Affine FLIP = new Affine(-1, 0, 0, 1, 0, 0);

        /** An image rotated by {@code angle} samples its source rotated by {@code -angle}. */
        static Affine rotation(double angle) {
            double cos = Math.cos(angle);
            double sin = Math.sin(angle);
            return new Affine(cos, sin, -sin, cos, 0, 0);
        }

        /** An image moved by (dx, dy) samples its source at (x - dx, y - dy). */
        static Affine shift(double dx, double dy) {
            return new Affine(1, 0, 0, 1, -dx, -dy);
        }

        /** An image scaled by {@code s} samples its source at (x / s, y / s). */
        static Affine scale(double s) {
            return new Affine(1 / s, 0, 0, 1 / s, 0, 0);
        }

        /**
         * The inverse map of "this transform, then {@code next}": output positions go through
         * {@code next}'s inverse first, then through this one.
         */
        Affine then(Affine next) {
            return new Affine(
                    a * next.a + b * next.c,
                    a * next.b + b * next.d,
                    c * next.a + d * next.c,
                    c * next.b + d * next.d,
                    a * next.tx + b * next.ty + tx,
                    c * next.tx + d * next.ty + ty);
        }
    }

    /** Affine steps, drawn per image and resampled once. */
    static final class Geometric implements Augmentation {

        private final String name;
        private final List<MapDraw> draws;

        Geometric(String name, MapDraw draw) {
            this(name, List.of(draw));
        }

        private Geometric(String name, List<MapDraw> draws) {
            this.name = name;
            this.draws = draws;
        }

        Geometric then(Geometric next) {
            List<MapDraw> all = new ArrayList<>(draws);
            all.addAll(next.draws);
            return new Geometric(name + ", " + next.name, List.copyOf(all));
        }

        @Override
        public NDArray apply(NDArray images, Random random) {
            Shape shape = images.getShape();
            if (shape.dimension() != 4 || images.getDataType() != DataType.FLOAT32) {
                throw new IllegalArgumentException("Augmentations." + name
                        + " needs float32 images [N, C, H, W], got " + images.getDataType() + " " + shape
                        + "; flat data (e.g. [N, 784]) must be reshaped to [N, 1, 28, 28] first");
            }
            int n = (int) shape.get(0);
            int channels = (int) shape.get(1);
            int h = (int) shape.get(2);
            int w = (int) shape.get(3);
            Affine[] maps = new Affine[n];
            for (int i = 0; i < n; i++) {
                Affine m = Affine.IDENTITY;
                for (MapDraw draw : draws) {
                    m = m.then(draw.draw(random, h, w));
                }
                maps[i] = m;
            }
            float[] in = images.toFloatArray();
            float[] out = resample(in, n, channels, h, w, maps, channelMinimum(in, n, channels, h * w));
            return images.getManager().create(out, shape);
        }

        @Override
        public String toString() {
            return draws.size() == 1 ? name : "compose(" + name + ")";
        }
    }

    /** The smallest value of each channel over the batch: black after any normalisation. */
    static float[] channelMinimum(float[] in, int n, int channels, int plane) {
        float[] min = new float[channels];
        Arrays.fill(min, Float.POSITIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                int base = (i * channels + c) * plane;
                for (int p = 0; p < plane; p++) {
                    min[c] = Math.min(min[c], in[base + p]);
                }
            }
        }
        return min;
    }

    /**
     * Bilinear resampling of each image through its inverse map; positions outside the image
     * read {@code fill[c]}. Pixel centres are at integer positions, the centre at ((w-1)/2, (h-1)/2).
     */
    static float[] resample(float[] in, int n, int channels, int h, int w, Affine[] maps, float[] fill) {
        float[] out = new float[in.length];
        int plane = h * w;
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        int[] index = new int[4];
        float[] weight = new float[4];
        for (int i = 0; i < n; i++) {
            Affine m = maps[i];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double rx = x - cx;
                    double ry = y - cy;
                    double sx = m.a * rx + m.b * ry + m.tx + cx;
                    double sy = m.c * rx + m.d * ry + m.ty + cy;
                    // round positions that are within float noise of a pixel centre, so that
                    // flips and whole-pixel shifts copy values exactly
                    double fx = Math.floor(sx + 1e-6);
                    double fy = Math.floor(sy + 1e-6);
                    float wx = (float) Math.max(0, sx - fx);
                    float wy = (float) Math.max(0, sy - fy);
                    int x0 = (int) fx;
                    int y0 = (int) fy;
                    corners(x0, y0, w, h, wx, wy, index, weight);
                    for (int c = 0; c < channels; c++) {
                        int base = (i * channels + c) * plane;
                        float v = 0;
                        for (int k = 0; k < 4; k++) {
                            if (weight[k] != 0) {
                                v += weight[k] * (index[k] < 0 ? fill[c] : in[base + index[k]]);
                            }
                        }
                        out[base + y * w + x] = v;
                    }
                }
            }
        }
        return out;
    }

    /** The four neighbours of (x0 + wx, y0 + wy): plane index (-1 when outside) and weight. */
    private static void corners(int x0, int y0, int w, int h, float wx, float wy, int[] index, float[] weight) {
        int k = 0;
        for (int dy = 0; dy <= 1; dy++) {
            for (int dx = 0; dx <= 1; dx++) {
                int x = x0 + dx;
                int y = y0 + dy;
                index[k] = x >= 0 && x < w && y >= 0 && y < h ? y * w + x : -1;
                weight[k] = (dx == 0 ? 1 - wx : wx) * (dy == 0 ? 1 - wy : wy);
                k++;
            }
        }
    }
}
