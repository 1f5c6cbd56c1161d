package dlkit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.evaluator.TopKAccuracy;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import com.google.gson.JsonObject;
import dlkit.engine.Engines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run-cache key changes with every change that can change the computation, and only then. */
class RunKeyTest {

    static NDManager manager;
    static NDArray images;
    static NDArray labels;

    @TempDir Path runs;

    @BeforeAll
    static void data() {
        Engines.startQuietly();
        manager = NDManager.newBaseManager();
        Random random = new Random(3);
        int n = 64;
        float[] x = new float[n * 36];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 36; j++) {
                x[i * 36 + j] = (float) random.nextGaussian() + (j % 3 == i % 3 ? 1 : 0);
            }
        }
        images = manager.create(x, new Shape(n, 1, 6, 6));
        labels = manager.create(y);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** A small CNN whose parts each test below changes one at a time. */
    private static final class Model {
        Function<ai.djl.ndarray.NDList, ai.djl.ndarray.NDList> activation = Activation::relu;
        boolean maxPool = true;
        float dropout = 0.2f;
        ai.djl.training.initializer.Initializer initializer;

        SequentialBlock build() {
            Linear head = Linear.builder().setUnits(3).build();
            if (initializer != null) {
                head.setInitializer(initializer, Parameter.Type.WEIGHT);
            }
            return new SequentialBlock()
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(4).build())
                    .add(activation)
                    .add(maxPool ? Pool.maxPool2dBlock(new Shape(2, 2)) : Pool.avgPool2dBlock(new Shape(2, 2)))
                    .add(Blocks.batchFlattenBlock())
                    .add(Dropout.builder().optRate(dropout).build())
                    .add(head);
        }
    }

    private static Fit.Builder base(Model model) {
        return Fit.builder()
                .setBlock(model.build())
                .setTrainData(images, labels)
                .setLoss(Loss.softmaxCrossEntropyLoss())
                .addEvaluator(new Accuracy())
                .optLearningRate(0.01f)
                .optEpochs(2)
                .optBatchSize(16)
                .optSeed(5)
                .optProgress(false);
    }

    private static String key(UnaryOperator<Model> model, UnaryOperator<Fit.Builder> change) {
        return change.apply(base(model.apply(new Model()))).build().key();
    }

    private static String key(UnaryOperator<Fit.Builder> change) {
        return key(UnaryOperator.identity(), change);
    }

    @Test
    void everySingleChangeGivesANewKey() {
        String reference = key(UnaryOperator.identity());
        Map<String, String> changed = new LinkedHashMap<>();
        changed.put("activation relu -> tanh", key(m -> { m.activation = Activation::tanh; return m; }, f -> f));
        changed.put("activation as a clip, equal on the data", key(m -> { m.activation = l -> new ai.djl.ndarray.NDList(
                Activation.relu(l.singletonOrThrow()).clip(0, 20)); return m; }, f -> f));
        changed.put("leaky ReLU alpha", key(m -> { m.activation = l -> Activation.leakyRelu(l, 0.02f); return m; }, f -> f));
        changed.put("pooling max -> average", key(m -> { m.maxPool = false; return m; }, f -> f));
        changed.put("dropout rate", key(m -> { m.dropout = 0.3f; return m; }, f -> f));
        changed.put("initializer", key(m -> { m.initializer = new NormalInitializer(0.05f); return m; }, f -> f));
        changed.put("loss weight", key(f -> f.setLoss(new SoftmaxCrossEntropyLoss("loss", 2f, -1, true, true))));
        changed.put("loss class", key(f -> f.setLoss(new SoftmaxCrossEntropyLoss() {})));
        changed.put("evaluator", key(f -> f.addEvaluator(new TopKAccuracy(2))));
        changed.put("augmentation parameter", key(f -> f.optAugmentation(noise(0.2f))));
        changed.put("augmentation parameter 2", key(f -> f.optAugmentation(noise(0.3f))));
        changed.put("normalisation", key(f -> f.setTrainData(images.mul(0.5f), labels)));
        changed.put("data subset", key(f -> f.setTrainData(images.get("0:63"), labels.get("0:63"))));
        changed.put("learning rate", key(f -> f.optLearningRate(0.02f)));
        changed.put("schedule", key(f -> f.optSchedule(Schedule.step(1, 0.5f))));
        changed.put("weight decay", key(f -> f.optWeightDecay(1e-4f)));
        changed.put("clipping", key(f -> f.optClipGradNorm(1f)));
        changed.put("batch size", key(f -> f.optBatchSize(32)));
        changed.put("epochs", key(f -> f.optEpochs(3)));
        changed.put("seed", key(f -> f.optSeed(6)));
        changed.put("optimizer setting", key(f -> f.optOptimizer(Optim.adam().optBeta1(0.8f).optBeta2(0.999f).optEps(1e-8f))));
        changed.put("shuffle", key(f -> f.optShuffle(false)));
        changed.put("profile", key(f -> f.optProfile(Profile.FULL)));
        changed.forEach((what, k) -> assertNotEquals(reference, k, what + " must change the key"));
        assertEquals(changed.size(), changed.values().stream().distinct().count(), "every change a key of its own: " + changed);
        assertTrue(changed.size() >= 15);
    }

    @Test
    void changesThatComputeTheSameKeepTheKey() {
        String reference = key(UnaryOperator.identity());
        assertEquals(reference, key(f -> f), "the same block built again");
        assertEquals(reference, key(f -> f.optBatchSize(16).optEpochs(2).optLearningRate(0.01f)), "calls repeated");
        assertEquals(reference, Fit.builder().optProgress(false).optSeed(5).optBatchSize(16).optEpochs(2)
                .optLearningRate(0.01f).addEvaluator(new Accuracy()).setLoss(Loss.softmaxCrossEntropyLoss())
                .setTrainData(images, labels).setBlock(new Model().build()).build().key(), "builder calls in another order");
        assertEquals(reference, key(f -> f.optName("another-name")), "the run's name");
        assertEquals(reference, key(f -> f.optProgress(true).optChart(true)), "progress display");
        assertEquals(reference, key(f -> f.addListener(new FitListener() {})), "a listener");
        assertEquals(reference, key(f -> f.setTrainData(images.duplicate(), labels.duplicate())), "a copy of the data");
        assertEquals(reference, key(f -> f.optRunsDir(Path.of("elsewhere"))), "where runs are stored");
    }

    /**
     * DJL names a singleton LambdaBlock after its function's hidden class, whose number and address
     * differ from one JVM to the next: two call sites stand in for two JVMs here.
     */
    @Test
    void aSingletonLambdaKeepsItsKeyInAnotherJvm() {
        Block first = new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(4).build()).addSingleton(a -> a.mul(2))
                .add(Linear.builder().setUnits(3).build());
        Block second = new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(4).build()).addSingleton(a -> a.mul(2))
                .add(Linear.builder().setUnits(3).build());
        String a = base(new Model()).setBlock(first).build().key();
        String b = base(new Model()).setBlock(second).build().key();
        assertEquals(a, b, "the same function from another lambda class");
        assertEquals("REPL.X$$Lambda", Description.stableName("REPL.$JShell$17$X$$Lambda$551/0x00007f98010ce000"));
        assertEquals("$$Lambda", Description.stableName("$JShell$17$$Lambda/0x0000000801234"));
    }

    /** Image sets and examples are named by their identity, which an in-place change does not touch. */
    @Test
    void examplesChangedInPlaceRetrain() {
        try (NDManager m = NDManager.newBaseManager()) {
            dlkit.data.Examples data = new dlkit.data.Examples(images.duplicate(), labels.duplicate(), "six by six");
            data.features().attach(m);
            data.labels().attach(m);
            java.util.function.Supplier<Fit.Builder> fit = () -> base(new Model()).setTrainData(data).optRunsDir(runs)
                    .optName("in-place");
            try (Run first = fit.get().build().run()) {
                assertFalse(first.fromCache());
            }
            try (Run again = fit.get().build().run()) {
                assertTrue(again.fromCache(), "the same data: from the cache");
            }
            data.features().set(new ai.djl.ndarray.index.NDIndex((images.getShape().get(0) - 3) + ":"), 0f);
            try (Run changed = fit.get().build().run()) {
                assertFalse(changed.fromCache(), "the last three examples were zeroed in place: train again");
            }
        }
    }

    @Test
    void aCellRunAgainAfterChangingOnlyTheActivationRetrains() {
        try (Run relu = base(new Model()).optRunsDir(runs).optName("cell").build().run();
                Run again = base(new Model()).optRunsDir(runs).optName("cell").build().run()) {
            assertFalse(relu.fromCache());
            assertTrue(again.fromCache(), "nothing changed: from the cache");
            Model tanh = new Model();
            tanh.activation = Activation::tanh;
            try (Run changed = base(tanh).optRunsDir(runs).optName("cell").build().run()) {
                assertFalse(changed.fromCache(), "another activation trains");
                assertNotEquals(relu.history().value("train_loss", 2), changed.history().value("train_loss", 2));
            }
        }
    }

    @Test
    void provenanceListsTheOptimizerSettingsOneByOne() throws Exception {
        try (Run run = base(new Model()).optOptimizer(Optim.adam().optBeta1(0.8f).optBeta2(0.99f).optEps(1e-7f)).optRunsDir(runs).build().run()) {
            Path file = run.directory().orElseThrow().resolve(RunStore.PROVENANCE);
            JsonObject provenance = RunStore.GSON.fromJson(Files.readString(file), JsonObject.class);
            JsonObject optimizer = provenance.getAsJsonObject("config").getAsJsonObject("optimizer");
            assertEquals("adam", optimizer.get("name").getAsString());
            assertEquals("0.8", optimizer.get("beta1").getAsString());
            assertEquals("0.99", optimizer.get("beta2").getAsString());
            assertEquals("1.0E-7", optimizer.get("eps").getAsString());
            assertTrue(run.config().contains("optimizer.beta2=0.99\n"), run.config());
            assertTrue(run.config().contains("Dropout{rate=0.2}"), run.config());
        }
    }

    private static dlkit.data.Augmentation noise(float scale) {
        return new dlkit.data.Augmentation() {
            @Override
            public NDArray apply(NDArray images, Random random) {
                return images.add(scale * random.nextFloat());
            }

            @Override
            public String toString() {
                return "noise"; // the same text on purpose: the key must see the field
            }
        };
    }
}
