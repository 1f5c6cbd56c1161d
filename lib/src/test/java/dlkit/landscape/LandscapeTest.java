package dlkit.landscape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import dlkit.engine.Engines;
import dlkit.train.Fit;
import dlkit.train.Optim;
import dlkit.train.Run;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LandscapeTest {

    static NDManager manager;
    static NDArray x;
    static NDArray y;

    @BeforeAll
    static void data() {
        Engines.startQuietly();
        manager = NDManager.newBaseManager();
        // 256 examples of 3 separable classes in 8 dimensions.
        Random random = new Random(7);
        float[] xs = new float[256 * 8];
        float[] ys = new float[256];
        for (int i = 0; i < 256; i++) {
            ys[i] = i % 3;
            for (int j = 0; j < 8; j++) {
                xs[i * 8 + j] = (float) random.nextGaussian() + (j % 3 == i % 3 ? 1.5f : 0);
            }
        }
        x = manager.create(xs, new Shape(256, 8));
        y = manager.create(ys);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static SequentialBlock mlp(int hidden) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(hidden).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(3).build());
    }

    static Fit.Builder fit(SequentialBlock block, Path runs) {
        return Fit.builder().setBlock(block).setTrainData(x, y).setLoss(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optim.sgd()).optLearningRate(0.1f).optEpochs(3).optBatchSize(32).optSeed(3)
                .optName("landscape-test").optRunsDir(runs).optProgress(false);
    }

    /** The mean cross-entropy computed directly, without the landscape. */
    static double directLoss(SequentialBlock block) {
        try (NDManager m = manager.newSubManager()) {
            NDList out = block.forward(new ParameterStore(m, false), new NDList(x), false);
            return Loss.softmaxCrossEntropyLoss().evaluate(new NDList(y), out).getFloat();
        }
    }

    @Test
    void gridsAndLinesEqualTheirPointsOneByOne() {
        SequentialBlock chain = new SequentialBlock()
                .add(ai.djl.nn.Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(16).build()).add(Activation::relu)
                .add(ai.djl.nn.norm.Dropout.builder().optRate(0.3f).build())
                .add(Linear.builder().setUnits(12).build()).add(l -> Activation.leakyRelu(l, 0.1f))
                .add(Linear.builder().setUnits(3).build());
        SequentialBlock withNorm = new SequentialBlock()
                .add(Linear.builder().setUnits(16).build()).add(ai.djl.nn.norm.BatchNorm.builder().build())
                .add(Activation::relu).add(Linear.builder().setUnits(3).build());
        for (SequentialBlock block : List.of(chain, withNorm)) {
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 8));
            try (Landscape landscape = Landscape.builder().setBlock(block).setData(x, y).build()) {
                Plane plane = Plane.filterNormalized(landscape.layout(), landscape.original(), 5);
                LossSurface surface = landscape.surface(plane, 5, -1, 1, -1, 1);
                double[] xs = Landscape.axis(new double[] {-1, 1}, 5);
                for (int j = 0; j < 5; j++) {
                    for (int i = 0; i < 5; i++) {
                        double one = landscape.loss(plane.at(xs[i], xs[j], new float[plane.dimension()]));
                        assertEquals(one, surface.loss()[j][i], 1e-5 * Math.max(1, one), "point " + i + "," + j);
                    }
                }
                LossLine line = landscape.interpolate(landscape.original(), plane.at(1, 1, new float[plane.dimension()]), 0, 1, 3);
                assertEquals(landscape.loss(landscape.original()), line.losses()[0], 1e-5);
            }
        }
    }

    @Test
    void recordsSnapshotsPerEpochAndReadsThemBackOnACacheHit(@TempDir Path runs) {
        SequentialBlock block = mlp(6);
        TrajectoryRecorder recorder = Trajectory.recorder(block, 4);
        Trajectory recorded;
        float[] trained;
        try (Run run = fit(block, runs).addListener(recorder).build().run()) {
            assertFalse(run.fromCache());
            recorded = recorder.trajectory(run);
            trained = ParameterLayout.of(run.block()).read(run.block());
        }
        // initial + 3 epochs x 4 (8 batches per epoch: after batches 2, 4, 6, 8)
        assertEquals(13, recorded.size());
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.75, 3},
                recorded.epochs(), 1e-12);
        assertArrayEquals(trained, recorded.last(), "the last snapshot is the trained model");
        assertFalse(java.util.Arrays.equals(recorded.first(), recorded.last()));
        assertEquals(6 * 8 + 6 + 3 * 6 + 3, recorded.layout().size());

        SequentialBlock again = mlp(6);
        TrajectoryRecorder second = Trajectory.recorder(again, 4);
        try (Run run = fit(again, runs).addListener(second).build().run()) {
            assertTrue(run.fromCache(), "the same fit comes from the run cache");
            Trajectory cached = second.trajectory(run);
            assertEquals(recorded.size(), cached.size());
            for (int i = 0; i < cached.size(); i++) {
                assertArrayEquals(recorded.point(i), cached.point(i));
            }
            assertArrayEquals(recorded.epochs(), cached.epochs());

            TrajectoryRecorder other = Trajectory.recorder(again, 2);
            IllegalStateException missing = assertThrows(IllegalStateException.class, () -> other.trajectory(run));
            assertTrue(missing.getMessage().contains("optRetrain()"), missing.getMessage());
        }
    }

    @Test
    void landscapeLossMatchesADirectForwardPassAndRestoresTheModel(@TempDir Path runs) {
        SequentialBlock block = mlp(6);
        TrajectoryRecorder recorder = Trajectory.recorder(block, 2);
        try (Run run = fit(block, runs).addListener(recorder).build().run()) {
            Trajectory path = recorder.trajectory(run);
            double trainedLoss = directLoss(block);
            try (Landscape landscape = Landscape.builder().setBlock(block).setData(x, y).build()) {
                assertEquals(256, landscape.examples(), "fewer examples than the default subset: all are used");
                assertEquals(trainedLoss, landscape.loss(path.last()), 1e-5);
                double initial = landscape.loss(path.first());
                // Load the initial weights by hand and compare with a direct pass.
                landscape.layout().write(path.first(), block);
                assertEquals(directLoss(block), initial, 1e-5);
                assertTrue(initial > trainedLoss, "training lowered the loss");

                LossLine line = landscape.interpolate(path.first(), path.last(), -0.5, 1.5, 9);
                assertEquals(initial, line.lossAt(0), 1e-5);
                assertEquals(trainedLoss, line.lossAt(1), 1e-5);
                assertEquals(-0.5, line.alphas()[0], 1e-12);
            }
            assertEquals(trainedLoss, directLoss(block), 1e-6, "close() puts the trained weights back");
        }
    }

    @Test
    void batchedEvaluationEqualsOnePass(@TempDir Path runs) {
        SequentialBlock block = mlp(5);
        try (Run run = fit(block, runs).build().run();
                Landscape whole = Landscape.builder().setBlock(block).setData(x, y).build();
                Landscape batched = Landscape.builder().setBlock(block).setData(x, y).optBatchSize(100).build()) {
            float[] w = whole.original();
            assertEquals(whole.loss(w), batched.loss(w), 1e-5);
        }
    }

    @Test
    void subsetIsSeededAndOfTheRequestedSize(@TempDir Path runs) {
        SequentialBlock block = mlp(5);
        try (Run run = fit(block, runs).build().run();
                Landscape a = Landscape.builder().setBlock(block).setData(x, y).optExamples(50, 1).build();
                Landscape b = Landscape.builder().setBlock(block).setData(x, y).optExamples(50, 1).build();
                Landscape c = Landscape.builder().setBlock(block).setData(x, y).optExamples(50, 2).build()) {
            assertEquals(50, a.examples());
            float[] w = a.original();
            assertEquals(a.loss(w), b.loss(w), 1e-7);
            assertTrue(Math.abs(a.loss(w) - c.loss(w)) > 1e-6, "another seed draws another subset");
        }
    }

    @Test
    void pcaSurfaceSpansThePathAndDrawsItOnThePlane(@TempDir Path runs) {
        SequentialBlock block = mlp(6);
        TrajectoryRecorder recorder = Trajectory.recorder(block, 1);
        try (Run run = fit(block, runs).addListener(recorder).build().run();
                Landscape landscape = Landscape.builder().setBlock(block).setData(x, y).build()) {
            Trajectory path = recorder.trajectory(run);
            assertEquals(4, path.size());
            Plane plane = Plane.pca(path);
            LossSurface surface = landscape.surface(plane, path, 5);
            assertEquals(5, surface.xs().length);
            assertTrue(surface.pathX()[3] > surface.pathX()[0], "PC1 points from the start towards the end");
            double[] px = surface.pathX();
            double min = java.util.Arrays.stream(px).min().getAsDouble();
            double max = java.util.Arrays.stream(px).max().getAsDouble();
            assertEquals(min - 0.2 * (max - min), surface.xs()[0], 1e-9, "20% margin around the path");
            assertEquals(max + 0.2 * (max - min), surface.xs()[4], 1e-9);
            for (double[] row : surface.loss()) {
                for (double v : row) {
                    assertTrue(Double.isFinite(v) && v > 0);
                }
            }
            // Three snapshots lie exactly in their own PCA plane: projected and true losses agree.
            Trajectory three = path.until(2);
            LossSurface exact = landscape.surface(Plane.pca(three), three, 3);
            assertArrayEquals(exact.pathTrueLoss(), exact.pathLoss(), 1e-4);
            assertTrue(surface.toString().contains("5x5"), surface.toString());
            assertTrue(surface.surface3D().figure().png(1).length > 1000);
        }
    }

    @Test
    void planeCoordinatesInvertAt() {
        float[] origin = {1, 2, 3, 4};
        Plane plane = Plane.of(origin, new float[] {1, 0, 1, 0}, new float[] {0, 2, 1, 0}, "a", "b");
        double[] ab = plane.coordinates(plane.at(0.75, -1.5));
        assertEquals(0.75, ab[0], 1e-6);
        assertEquals(-1.5, ab[1], 1e-6);
        assertEquals(0, plane.residual(plane.at(2, 3)), 1e-6);
        assertEquals(1, plane.residual(new float[] {1, 2, 3, 9}), 1e-6, "orthogonal to the plane");
        assertThrows(IllegalArgumentException.class,
                () -> Plane.of(origin, new float[] {1, 0, 0, 0}, new float[] {2, 0, 0, 0}, "a", "b"));
    }

    @Test
    void filterNormalisedDirectionsMatchEachFiltersNorm(@TempDir Path runs) {
        SequentialBlock block = mlp(4);
        try (Run run = fit(block, runs).build().run()) {
            ParameterLayout layout = ParameterLayout.of(block);
            float[] w = layout.read(block);
            float[] d = Plane.filterNormalizedDirection(layout, w, new Random(5));
            for (int p = 0; p < layout.count(); p++) {
                Shape shape = layout.shape(p);
                int start = layout.offset(p);
                if (shape.dimension() == 1) {
                    for (int i = start; i < start + shape.size(); i++) {
                        assertEquals(0f, d[i], "biases get no direction");
                    }
                    continue;
                }
                int rows = (int) shape.get(0);
                int length = (int) (shape.size() / rows);
                for (int r = 0; r < rows; r++) {
                    double dn = 0;
                    double wn = 0;
                    for (int i = start + r * length; i < start + (r + 1) * length; i++) {
                        dn += d[i] * d[i];
                        wn += w[i] * w[i];
                    }
                    assertEquals(Math.sqrt(wn), Math.sqrt(dn), 1e-4 * Math.max(1, Math.sqrt(wn)));
                }
            }
            Plane plane = Plane.filterNormalized(layout, w, 5);
            assertArrayEquals(w, plane.at(0, 0));
            try (Landscape landscape = Landscape.builder().setBlock(block).setData(x, y).build()) {
                LossSurface s = landscape.surface(plane, 3, -1, 1, -1, 1);
                assertFalse(s.hasPath());
                assertEquals(landscape.loss(w), s.loss()[1][1], 1e-5, "the centre is the trained model");
            }
        }
    }

    @Test
    void badInputGetsClearMessages(@TempDir Path runs) {
        SequentialBlock block = mlp(6);
        TrajectoryRecorder recorder = Trajectory.recorder(block, 1);
        try (Run run = fit(block, runs).optEpochs(1).addListener(recorder).build().run();
                Landscape landscape = Landscape.builder().setBlock(block).setData(x, y).build()) {
            Trajectory two = recorder.trajectory(run);
            assertEquals(2, two.size());
            IllegalArgumentException few = assertThrows(IllegalArgumentException.class, () -> Plane.pca(two));
            assertTrue(few.getMessage().contains("at least 3 snapshots, got 2"), few.getMessage());

            Trajectory three = Trajectory.of(two.layout(), List.of(two.first(), two.last(), two.point(1).clone()),
                    new double[] {0, 1, 2});
            float[] mid = three.point(2);
            mid[0] += 1f; // make the three points span a plane
            Trajectory spread = Trajectory.of(two.layout(), List.of(two.first(), two.last(), mid), new double[] {0, 1, 2});
            Plane plane = Plane.pca(spread);
            IllegalArgumentException grid = assertThrows(IllegalArgumentException.class,
                    () -> landscape.surface(plane, spread, 1));
            assertTrue(grid.getMessage().contains("at least 2 points per axis, got 1"), grid.getMessage());

            IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                    () -> landscape.loss(new float[10]));
            assertTrue(length.getMessage().contains("10 values but the model has"), length.getMessage());

            SequentialBlock wider = mlp(7);
            wider.initialize(manager, DataType.FLOAT32, new Shape(1, 8));
            IllegalArgumentException arch = assertThrows(IllegalArgumentException.class,
                    () -> two.layout().write(two.last(), wider));
            assertTrue(arch.getMessage().contains("do not match the model"), arch.getMessage());

            IllegalArgumentException otherPlane = assertThrows(IllegalArgumentException.class,
                    () -> landscape.surface(Plane.of(new float[4], new float[] {1, 0, 0, 0}, new float[] {0, 1, 0, 0},
                            "a", "b"), 3, -1, 1, -1, 1));
            assertTrue(otherPlane.getMessage().contains("trainable parameters"), otherPlane.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Trajectory.recorder(block, 0));
    }
}
