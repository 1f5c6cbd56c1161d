package dlkit.engine;

import ai.djl.engine.Engine;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * libtorch's random generator, one per process and shared by every thread, made usable by several
 * fits at once.
 *
 * <p>A thread that trains opens a {@link #stream} for each epoch; every {@link #draw} it makes then
 * re-seeds the generator from (stream seed, number of draws so far) and draws, holding one lock
 * for both. A draw's numbers are therefore a function of its stream and position alone, whatever
 * other threads draw meanwhile: a run gives the same result trained alone or beside another.
 * Sections that seed the generator and then draw without a stream (initialising parameters, the
 * run key's probes) {@link #hold} the lock for their whole length instead. A draw outside both
 * (DJL's {@code Dropout}, say) is not protected: a fit whose training makes one trains alone.
 */
public final class Generator {

    private static final ReentrantLock LOCK = new ReentrantLock();

    private static final ThreadLocal<long[]> STREAM = new ThreadLocal<>(); // {seed, draws so far}

    private Generator() {}

    /**
     * Seeds libtorch's generator (and DJL's {@code RandomUtils}).
     *
     * @param seed any number; its high bits are folded in, since DJL takes an int
     */
    public static void seed(long seed) {
        Engines.startQuietly();
        LOCK.lock();
        try {
            reseed(seed);
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Holds the generator until the returned scope closes: other threads' seeding and draws wait.
     *
     * @return the scope; closing it releases the generator
     */
    public static Scope hold() {
        Engines.startQuietly();
        LOCK.lock();
        return LOCK::unlock;
    }

    /**
     * Gives this thread's draws their own stream until the returned scope closes (the stream before
     * it, if any, comes back then).
     *
     * @param seed the stream's seed
     * @return the scope
     */
    public static Scope stream(long seed) {
        long[] previous = STREAM.get();
        STREAM.set(new long[] {seed, 0});
        return () -> STREAM.set(previous);
    }

    /**
     * Makes one draw: seeded from this thread's stream when it has one, atomic with that seeding.
     *
     * @param draw the operation that draws from libtorch's generator
     * @param <T> what it returns
     * @return what {@code draw} returned
     */
    public static <T> T draw(Supplier<T> draw) {
        long[] stream = STREAM.get();
        LOCK.lock();
        try {
            if (stream != null) {
                reseed(new SplittableRandom(stream[0] + 0x9E3779B97F4A7C15L * ++stream[1]).nextLong());
            }
            return draw.get();
        } finally {
            LOCK.unlock();
        }
    }

    /** Seeds libtorch's generator; the caller holds the lock. DJL takes an int: the high bits are folded in. */
    private static void reseed(long seed) {
        Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
    }

    /** A section that ends without an exception of its own. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
