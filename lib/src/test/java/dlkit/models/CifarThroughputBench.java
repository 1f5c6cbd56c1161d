package dlkit.models;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dlkit.engine.Engines;
import java.util.Locale;

/**
 * Training throughput of the CIFAR models in DJL, the Java side of benchmarks/pytorch_bench.py's
 * CIFAR models: the same random 3x32x32 inputs, batch size, Adam 1e-3 and thread count, a plain
 * forward/backward/step loop. Prints one JSON line.
 *
 * <p>Arguments: model ({@code cifar-cnn} or {@code resnet20}), batch (128), batches (30), warm-up (5).
 */
public final class CifarThroughputBench {

    public static void main(String[] args) {
        String name = args.length > 0 ? args[0] : "resnet20";
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int batches = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        Engines.startQuietly();
        Block block = switch (name) {
            case "cifar-cnn" -> CifarCnn.build();
            case "resnet20" -> ResNet20.builder().build();
            default -> throw new IllegalArgumentException("model must be cifar-cnn or resnet20, got " + name);
        };
        try (Model model = Model.newInstance(name, Device.cpu())) {
            model.setBlock(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build())
                    .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batch, 3, 32, 32));
                NDManager m = trainer.getManager();
                NDArray x = m.randomNormal(new Shape(batch, 3, 32, 32));
                NDArray y = m.randomInteger(0, 10, new Shape(batch), ai.djl.ndarray.types.DataType.INT32)
                        .toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
                for (int i = 0; i < warmup; i++) {
                    step(trainer, x, y);
                }
                long start = System.nanoTime();
                for (int i = 0; i < batches; i++) {
                    step(trainer, x, y);
                }
                double rate = (double) batches * batch / ((System.nanoTime() - start) / 1e9);
                System.out.printf(Locale.ROOT,
                        "{\"framework\": \"djl\", \"model\": \"%s\", \"task\": \"train\", \"batch\": %d, \"threads\": %s,"
                                + " \"images_per_s\": %.1f}%n",
                        name, batch, System.getProperty("ai.djl.pytorch.num_threads"), rate);
            }
        }
    }

    private static void step(Trainer trainer, NDArray x, NDArray y) {
        try (NDManager scratch = trainer.getManager().newSubManager();
                GradientCollector collector = trainer.newGradientCollector()) {
            NDList out = trainer.forward(new NDList(x));
            NDArray loss = trainer.getLoss().evaluate(new NDList(y), out);
            collector.backward(loss);
            out.attach(scratch);
            loss.attach(scratch);
        }
        trainer.step();
    }
}
