package dlkit.train;

import dlkit.data.Permutations;
import dlkit.engine.Generator;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * One call seeds everything: {@code Seeds.set(42)}.
 *
 * <p>It seeds the engine (PyTorch's generator, used by parameter initialisation and dropout, and
 * DJL's {@code RandomUtils}) and remembers the seed as the default for {@link Fit} (shuffling) and
 * for data splits ({@link #random()}). On CPU, two runs with the same seed give identical results.
 *
 * <p>Training re-seeds the engine at the start of every epoch with {@link #forEpoch}, and dlkit's
 * dropout draws from a stream of that epoch ({@link Generator#stream}), so the random state at an
 * epoch boundary is a function of (seed, epoch): this is what lets a run resume from a checkpoint
 * with the same dropout masks as an uninterrupted run, without reading PyTorch's generator state
 * (DJL does not expose it), and train beside another run with the same masks as alone.
 */
public final class Seeds {

    /** The seed used when nobody called {@link #set}. */
    public static final long DEFAULT = 42;

    private static volatile long current = DEFAULT;

    private Seeds() {}

    /**
     * Seeds the engine and makes {@code seed} the default for training and data splits.
     *
     * @param seed any number
     */
    public static void set(long seed) {
        current = seed;
        seedEngine(seed);
    }

    /**
     * Returns the seed last given to {@link #set}, or {@link #DEFAULT}.
     *
     * @return the current default seed
     */
    public static long current() {
        return current;
    }

    /**
     * Returns a new {@link Random} seeded from the current seed, for splits and subsets.
     *
     * @return a generator whose sequence depends only on the current seed
     */
    public static Random random() {
        return new Random(current);
    }

    /** Seeds PyTorch's generator and DJL's RandomUtils without changing the default seed. */
    static void seedEngine(long seed) {
        Generator.seed(seed);
    }

    /**
     * Derives the seed of one epoch from a run's seed: different epochs get unrelated streams.
     *
     * @param seed the run's seed
     * @param epoch the 1-based epoch
     * @return a derived seed
     */
    static long forEpoch(long seed, int epoch) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch).nextLong();
    }

    /**
     * Returns a random permutation of {@code 0..n-1} that depends only on (seed, epoch).
     *
     * @param seed the run's seed
     * @param epoch the 1-based epoch
     * @param n the number of examples
     * @return the shuffled indices
     */
    static int[] permutation(long seed, int epoch, int n) {
        return Permutations.of(n, new SplittableRandom(forEpoch(seed, epoch) ^ 0x5DEECE66DL));
    }
}
