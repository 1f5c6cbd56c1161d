package dlkit.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dlkit.engine.Engines;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PcaTest {

    static NDManager manager;

    @BeforeAll
    static void start() {
        Engines.startQuietly();
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** Points spread 10 along (1,1,0,..)/sqrt2 and 3 along e3, plus small noise, offset by 5. */
    private static float[][] plane(int n, int d, long seed) {
        Random r = new Random(seed);
        float[][] rows = new float[n][d];
        for (int i = 0; i < n; i++) {
            double a = 10 * r.nextGaussian();
            double b = 3 * r.nextGaussian();
            for (int j = 0; j < d; j++) {
                rows[i][j] = (float) (5 + 0.01 * r.nextGaussian());
            }
            rows[i][0] += (float) (a / Math.sqrt(2));
            rows[i][1] += (float) (a / Math.sqrt(2));
            rows[i][2] += (float) b;
        }
        return rows;
    }

    private static void assertFindsThePlane(Pca pca) {
        float[][] c = pca.components();
        assertEquals(1 / Math.sqrt(2), c[0][0], 0.01);
        assertEquals(1 / Math.sqrt(2), c[0][1], 0.01);
        assertEquals(1.0, Math.abs(c[1][2]), 0.01);
        double[] ratio = pca.explainedVarianceRatio();
        assertTrue(ratio[0] > ratio[1] && ratio[0] + ratio[1] > 0.99, pca.toString());
        assertEquals(100 / 109.0, ratio[0], 0.05);
    }

    @Test
    void findsDirectionsWithMoreRowsThanColumns() {
        assertFindsThePlane(Pca.fit(plane(500, 6, 1), 2, manager));
    }

    @Test
    void findsDirectionsWithMoreColumnsThanRows() {
        Pca pca = Pca.fit(plane(40, 300, 2), 2, manager);
        assertFindsThePlane(pca);
        float[][] rows = plane(40, 300, 2);
        float[][] xy = pca.project(manager.create(rows));
        double mean = 0;
        for (float[] p : xy) {
            mean += p[0];
        }
        assertEquals(0, mean / xy.length, 1e-3, "projections of the fitted rows are centred");
    }

    @Test
    void badInputSaysWhatIsWrong() {
        NDArray cube = manager.zeros(new Shape(4, 2, 2));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Pca.fit(cube, 1))
                .getMessage().contains("flatten"));
        NDArray one = manager.zeros(new Shape(1, 5));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Pca.fit(one, 1))
                .getMessage().contains("at least 2 rows"));
        NDArray small = manager.zeros(new Shape(3, 5));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Pca.fit(small, 3))
                .getMessage().contains("between 1 and 2"));
        Pca pca = Pca.fit(plane(10, 4, 3), 1, manager);
        assertThrows(IllegalArgumentException.class, () -> pca.project(manager.zeros(new Shape(2, 5))));
    }
}
