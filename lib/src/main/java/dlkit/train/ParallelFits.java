package dlkit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dlkit.engine.Engines;
import dlkit.engine.Generator;
import dlkit.engine.NoGradient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * Independent fits trained several at a time ({@link Fit#runEach}), each on its share of the
 * PyTorch threads, with results equal to training them one by one on that many threads.
 *
 * <p>Why it pays: on a machine with few cores a small model keeps two cores less busy than two
 * models keep one each (measured by {@code benchmarks/concurrent-runs.sh}: an MNIST MLP does 1.9
 * times the work side by side on 2 cores, the optimizer comparison's CNN 1.4 times).
 *
 * <p>What keeps a run a function of its key: PyTorch's grad mode and thread count are per thread
 * ({@link dlkit.engine.Gradients} records gradients without DJL's one-per-process collector);
 * parameter initialisation and the run key's probes hold libtorch's generator, and dlkit's dropout
 * draws from per-epoch streams ({@link Generator}). A probe run before training finds fits whose
 * training draws from the generator any other way; each of those trains alone, on every thread.
 *
 * <p>How many at a time: {@link Engines#parallelRuns()}.
 */
final class ParallelFits {

    /** Fits take it shared to train side by side, exclusively to train alone. */
    private static final ReentrantReadWriteLock TURNS = new ReentrantReadWriteLock();

    private static final int PROBE_EXAMPLES = 8;

    private final int threads;
    private final int perRun;
    private final Set<Run> unclaimed = Collections.newSetFromMap(new ConcurrentHashMap<>());
    private final AtomicBoolean toldAlone = new AtomicBoolean();

    private ParallelFits(int threads, int perRun) {
        this.threads = threads;
        this.perRun = perRun;
    }

    /**
     * @param failed receives a fit's exception in its place in the order, or null: then the first
     *     failure stops the other fits and is thrown
     */
    static void runEach(List<Fit> fits, Consumer<Run> each, Consumer<RuntimeException> failed) {
        Set<Block> blocks = Collections.newSetFromMap(new IdentityHashMap<>());
        boolean shared = false; // fits of one block (a model supplier that returns the same one) take turns
        for (Fit fit : fits) {
            shared |= !blocks.add(fit.block);
        }
        int atOnce = shared ? 1 : Math.min(Engines.parallelRuns(), fits.size());
        if (atOnce <= 1) {
            for (Fit fit : fits) {
                Run run;
                try {
                    run = fit.run();
                } catch (CancellationException e) {
                    throw e;
                } catch (RuntimeException e) {
                    if (failed == null) {
                        throw e;
                    }
                    failed.accept(e);
                    continue;
                }
                try (run) {
                    each.accept(run);
                }
            }
            return;
        }
        int threads = Engines.startQuietly().threads();
        try (AutoCloseable turn = FitRunner.engineTurn()) {
            new ParallelFits(threads, Math.max(1, threads / atOnce)).run(fits, each, failed, atOnce);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void run(List<Fit> fits, Consumer<Run> each, Consumer<RuntimeException> failed, int atOnce) {
        AtomicInteger count = new AtomicInteger();
        // Threads made here inherit the notebook cell's output, so progress shows under the cell.
        ExecutorService pool = Executors.newFixedThreadPool(atOnce, task -> {
            Thread t = new Thread(task, "dlkit-fit-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<Future<Run>> futures = new ArrayList<>();
        // Runs are handed over in order: a pool thread starts a fit only while fewer than 8 per run
        // trained at once are started and not yet handed over, so fast fits (cached ones) cannot
        // pile up models without end. A smaller window (2 per run) stalled a search behind one long
        // trial: notebook 04's enhanced search ran almost one trial at a time.
        Semaphore window = new Semaphore(8 * atOnce);
        try {
            for (Fit fit : fits) {
                futures.add(pool.submit(() -> {
                    window.acquire();
                    return train(fit);
                }));
            }
            pool.shutdown();
            for (Future<Run> future : futures) {
                Run run;
                try {
                    run = future.get();
                } catch (ExecutionException e) {
                    if (failed == null || !(e.getCause() instanceof RuntimeException r)
                            || e.getCause() instanceof CancellationException) {
                        throw e;
                    }
                    window.release();
                    failed.accept(r);
                    continue;
                }
                unclaimed.remove(run);
                window.release();
                try (run) {
                    each.accept(run);
                }
            }
        } catch (InterruptedException e) {
            stop(pool, futures);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while training fits side by side; run the same cell again:"
                    + " finished runs come from the run cache, the others resume from their last checkpoint.");
        } catch (ExecutionException e) {
            stop(pool, futures);
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (RuntimeException | Error e) {
            stop(pool, futures);
            throw e;
        } finally {
            JniUtils.setNumThreads(threads); // the count new threads start from: back to the session's
        }
    }

    /** Interrupts the fits still training, waits for them, and closes the runs nobody took. */
    private void stop(ExecutorService pool, List<Future<Run>> futures) {
        futures.forEach(f -> f.cancel(true));
        pool.shutdownNow();
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        unclaimed.forEach(Run::close);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** One fit, in a pool thread: prepared holding the generator, trained beside others or alone. */
    private Run train(Fit fit) throws InterruptedException {
        JniUtils.setNumThreads(perRun); // this thread's PyTorch threads
        Lock held = TURNS.readLock();
        held.lockInterruptibly();
        try {
            FitRunner.Prepared prepared;
            boolean alone;
            try (Generator.Scope generator = Generator.hold()) {
                prepared = FitRunner.prepare(fit);
                try {
                    alone = drawsOutsideStreams(fit, prepared.model().getNDManager());
                    FitRunner.initialize(fit, prepared.model()); // the probe ran the network in training mode
                } catch (RuntimeException | Error e) {
                    prepared.model().close();
                    throw e;
                }
            }
            if (alone) {
                held.unlock();
                held = null;
                try {
                    TURNS.writeLock().lockInterruptibly();
                } catch (InterruptedException e) {
                    prepared.model().close();
                    throw e;
                }
                held = TURNS.writeLock();
                JniUtils.setNumThreads(threads);
                // once per call, even for a search's trials (which show no progress of their own)
                if (toldAlone.compareAndSet(false, true)) {
                    Progress.message("dlkit: " + fit.name + " draws random numbers outside dlkit's streams (DJL's"
                            + " Dropout, say): it trains alone, on " + threads + " threads, so that its results do"
                            + " not depend on other fits; so does any other fit of this call that draws so."
                            + " dlkit.models.UniformDropout draws from the streams.");
                }
            }
            Run run = FitRunner.finish(fit, prepared);
            unclaimed.add(run);
            return run;
        } finally {
            if (held != null) {
                held.unlock();
            }
        }
    }

    /**
     * Whether the fit's training makes random draws outside {@link Generator}'s streams: its
     * network (in both modes) and augmentation, run twice from differently seeded generators with
     * the same stream, give different results. Both inference runs come first, since a training run
     * changes state that inference reads (BatchNorm's running statistics) without drawing anything.
     * A network that fails on the probe counts as one.
     */
    static boolean drawsOutsideStreams(Fit fit, NDManager manager) {
        try (NDManager m = manager.newSubManager();
                NoGradient scope = NoGradient.open(fit.block)) {
            int n = Math.min(PROBE_EXAMPLES, fit.train.size());
            NDList[] xy = fit.train.batch(m, TrainingLoop.identity(n), 0, n);
            ParameterStore parameters = new ParameterStore(m, false);
            for (boolean training : new boolean[] {false, true}) {
                List<NDArray> first = new ArrayList<>();
                for (int round = 0; round < 2; round++) {
                    Generator.seed(round + 1);
                    try (Generator.Scope draws = Generator.stream(fit.seed)) {
                        NDArray x = xy[0].head();
                        if (training && fit.augmentation != null) {
                            x = fit.augmentation.apply(x, new Random(fit.seed));
                        }
                        NDArray[] out = {x, fit.block.forward(parameters, new NDList(x), training).head()};
                        for (int i = 0; i < out.length; i++) {
                            if (round == 0) {
                                first.add(out[i]);
                            } else if (!first.get(i).contentEquals(out[i])) {
                                return true;
                            }
                        }
                    }
                }
            }
            return false;
        } catch (RuntimeException e) {
            return true;
        }
    }
}
