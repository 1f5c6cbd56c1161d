package dlkit.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dlkit.engine.Engines;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Milliseconds per batch of the augmentations the CNN notebooks use, on random data.
 * Run by benchmarks/augmentation.sh; prints one line per case.
 */
public final class AugmentationBench {

    public static void main(String[] args) {
        Engines.startQuietly();
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        try (NDManager m = NDManager.newBaseManager()) {
            measure(m, "mnist rotation(10)+translation(0.1)", new Shape(128, 1, 28, 28),
                    Augmentations.compose(Augmentations.rotation(10), Augmentations.translation(0.1f)), repeats);
            measure(m, "cifar padCrop(4)+horizontalFlip", new Shape(128, 3, 32, 32),
                    Augmentations.compose(Augmentations.padCrop(4), Augmentations.horizontalFlip()), repeats);
            measure(m, "cifar flip+rotation(15)+zoom(0.1)+translation(0.1)", new Shape(128, 3, 32, 32),
                    Augmentations.compose(Augmentations.horizontalFlip(), Augmentations.rotation(15),
                            Augmentations.zoom(0.1f), Augmentations.translation(0.1f)), repeats);
        }
    }

    private static void measure(NDManager m, String name, Shape shape, Augmentation a, int repeats) {
        NDArray x = m.randomNormal(shape);
        Random r = new Random(1);
        for (int i = 0; i < 20; i++) {
            a.apply(x, r).close();
        }
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t = System.nanoTime();
            a.apply(x, r).close();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "%-55s batch %s  median %.2f ms  p90 %.2f ms%n",
                name, shape, ms[repeats / 2], ms[repeats * 9 / 10]);
    }
}
