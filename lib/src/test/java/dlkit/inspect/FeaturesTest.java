package dlkit.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import dlkit.data.ImageDataset;
import dlkit.data.ImageSet;
import dlkit.data.SyntheticCifar10;
import dlkit.engine.Engines;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeaturesTest {

    @TempDir Path dir;

    @Test
    void extractsEveryRowInBatchesAndSavesANamedNpz() throws Exception {
        Engines.startQuietly();
        try (ImageDataset data = SyntheticCifar10.loader(dir, 20, 1010, 1).load();
                NDManager m = NDManager.newBaseManager()) {
            ImageSet test = data.test();
            SequentialBlock block = new SequentialBlock()
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(7).build());
            block.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            NDArray features = Features.extract(block, test); // 1010 images: two batches
            assertEquals(new Shape(1010, 7), features.getShape());
            // the same as one forward pass over everything
            NDArray whole = block.forward(new ParameterStore(m, false), new NDList(test.images()), false).singletonOrThrow();
            assertEquals(0f, features.sub(whole).abs().max().getFloat(), 1e-5f);

            Path file = Features.saveNpz(dir.resolve("out/features.npz"), features, test);
            assertTrue(Files.isRegularFile(file));
            NDList back = NDList.decode(m, Files.readAllBytes(file));
            NDArray f = back.get("features");
            NDArray labels = back.get("labels");
            assertArrayEquals(features.toFloatArray(), f.toFloatArray());
            assertEquals(DataType.INT32, labels.getDataType());
            assertEquals(test.label(1009), labels.toIntArray()[1009]);

            System.setProperty("dlkit.features", dir.resolve("named").toString());
            try {
                assertEquals(dir.resolve("named/test-7.npz"), Features.saveNpz("test-7", features, test));
                assertTrue(Files.isRegularFile(dir.resolve("named/test-7.npz")));
                assertThrows(IllegalArgumentException.class, () -> Features.saveNpz("a/b", features, test));
            } finally {
                System.clearProperty("dlkit.features");
            }
        }
    }

    @Test
    void refusesUninitialisedBlocksAndMismatchedRows() {
        Engines.startQuietly();
        try (ImageDataset data = SyntheticCifar10.loader(dir, 10, 10, 1).load();
                NDManager m = NDManager.newBaseManager()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Features.extract(Linear.builder().setUnits(2).build(), data.test()));
            assertTrue(e.getMessage().contains("not initialised"), e.getMessage());
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> Features.saveNpz(dir.resolve("x.npz"), m.zeros(new Shape(3, 4)), data.test()));
            assertTrue(bad.getMessage().contains("[10, D]"), bad.getMessage());
        }
    }

    /** The first layers of a trained network, put into a new block: the features a student asks for. */
    @Test
    void extractsFromANewBlockAroundTrainedLayers() {
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            Linear first = Linear.builder().setUnits(3).build();
            ai.djl.nn.SequentialBlock net = new ai.djl.nn.SequentialBlock().add(first).add(Linear.builder().setUnits(1).build());
            net.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(5, 2));
            NDArray x = m.ones(new Shape(5, 2));
            NDArray features = Features.extract(new ai.djl.nn.SequentialBlock().add(first), x);
            assertEquals(new Shape(5, 3), features.getShape());
        }
    }
}
