package dlkit.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dlkit.engine.Engines;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RowsTest {

    private static final int[] ORDER = {5, 0, 9, 3, 3, 7, 1};

    @Test
    void gathersTheSameRowsAsIndexing() {
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray images = m.randomUniform(0, 1, new Shape(10, 2, 3, 3));
            NDArray classes = m.arange(10).toType(DataType.INT32, false).mul(7);
            NDArray oneHot = m.eye(10).toType(DataType.FLOAT64, false);
            NDArray everyOtherColumn = m.randomUniform(0, 1, new Shape(10, 6)).get(":, ::2"); // not contiguous
            assertTrue(new Rows(images).direct());
            NDArray middleRows = m.randomUniform(0, 1, new Shape(16, 5)).get("3:13"); // contiguous, offset
            assertTrue(new Rows(middleRows).direct());
            assertFalse(new Rows(everyOtherColumn).direct());
            for (NDArray source : new NDArray[] {images, middleRows, classes, oneHot, everyOtherColumn}) {
                for (int[] range : new int[][] {{0, ORDER.length}, {2, 5}, {4, 4}}) {
                    NDArray expected = source.get(m, new NDIndex("{}",
                            m.create(Arrays.copyOfRange(ORDER, range[0], range[1]))));
                    NDArray actual = new Rows(source).gather(m, ORDER, range[0], range[1]);
                    assertEquals(expected.getShape(), actual.getShape());
                    assertEquals(source.getDataType(), actual.getDataType());
                    assertArrayEquals(expected.toByteArray(), actual.toByteArray(), source + " " + Arrays.toString(range));
                }
            }
        }
    }

    @Test
    void refusesDataClosedBeforeUse() {
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray features = m.ones(new Shape(4, 3));
            Rows rows = new Rows(features);
            features.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> rows.gather(m, ORDER, 0, 2));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }
}
