package dlkit.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dlkit.data.Datasets;
import dlkit.data.ImageDataset;
import dlkit.engine.Engines;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where the time of one training step goes with DJL's own loop (Trainer, ParameterStore, DJL
 * Adam): mean milliseconds per batch of each phase, MNIST, batch {@code args[1]}.
 *
 * <p>Times are the calling thread's CPU time, not wall time, so the other processes of a loaded
 * machine barely change them; run it with {@code DLKIT_THREADS=1} so every operator runs on the
 * calling thread (with more threads, work on the other intra-op threads is not counted).
 *
 * <p>Usage: {@code LoopProfile mlp|cnn batch batches [direct]}; findings in benchmarks/PERFORMANCE.md.
 */
public final class LoopProfile {

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private LoopProfile() {}

    private static long now() {
        return THREADS.getCurrentThreadCpuTime();
    }

    public static void main(String[] args) throws Exception {
        String model = args[0];
        int batch = Integer.parseInt(args[1]);
        int batches = Integer.parseInt(args[2]);
        boolean direct = args.length > 3 && args[3].equals("direct");
        Engines.startQuietly();
        String[] names = {"index+gather", "forward", "loss", "backward", "loss.getFloat", "step (optimizer)", "close batch"};
        long[] total = new long[names.length];
        try (ImageDataset mnist = Datasets.mnist().load();
                Model m = Model.newInstance("p", Device.cpu())) {
            NDArray x = mnist.train().images();
            NDArray y = mnist.train().labels();
            m.setBlock(SpeedBench.block(model));
            Loss loss = Loss.softmaxCrossEntropyLoss();
            StatefulOptimizer optimizer = Optim.adam().build((id, t) -> 1e-3f, java.util.Set.of());
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build())
                    .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = m.newTrainer(config)) {
                trainer.initialize(new Shape(batch, 1, 28, 28));
                int[] order = Seeds.permutation(1, 1, (int) x.getShape().get(0));
                int warmup = Math.max(3, batches / 5);
                for (int b = 0; b < warmup + batches; b++) {
                    long[] t = new long[names.length + 1];
                    t[0] = now();
                    try (NDManager bm = trainer.getManager().newSubManager()) {
                        int from = b * batch;
                        NDArray index = bm.create(Arrays.copyOfRange(order, from, from + batch));
                        NDList data = new NDList(x.get(bm, new NDIndex("{}", index)));
                        NDList labels = new NDList(y.get(bm, new NDIndex("{}", index)));
                        t[1] = now();
                        NDArray l;
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList pred = trainer.forward(data);
                            t[2] = now();
                            l = loss.evaluate(labels, pred);
                            t[3] = now();
                            gc.backward(l);
                            t[4] = now();
                        }
                        l.getFloat();
                        t[5] = now();
                        if (direct) {
                            for (var p : m.getBlock().getParameters()) {
                                NDArray w = p.getValue().getArray();
                                try (NDArray g = w.getGradient()) {
                                    optimizer.update(p.getValue().getId(), w, g);
                                }
                            }
                        } else {
                            trainer.step();
                        }
                        t[6] = now();
                    }
                    t[7] = now();
                    if (b >= warmup) {
                        for (int i = 0; i < names.length; i++) {
                            total[i] += t[i + 1] - t[i];
                        }
                    }
                }
                long params = 0;
                for (Parameter p : m.getBlock().getParameters().values()) {
                    params += p.getArray().size();
                }
                long sum = Arrays.stream(total).sum();
                System.out.printf(Locale.ROOT, "%s step, %s batch %d, %d params, threads %s: %.2f ms per batch (%.0f images/s)%n",
                        direct ? "direct" : "Trainer", model, batch, params, System.getProperty("ai.djl.pytorch.num_threads"),
                        sum / 1e6 / batches, batch * batches / (sum / 1e9));
                for (int i = 0; i < names.length; i++) {
                    System.out.printf(Locale.ROOT, "  %-18s %7.3f ms  %4.1f%%%n", names[i], total[i] / 1e6 / batches, 100.0 * total[i] / sum);
                }
            }
        }
    }
}
