package dlkit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import java.util.Random;

/** Small separable problems for training tests. */
final class Synthetic {

    static final int FEATURES = 8;
    static final int CLASSES = 3;

    private Synthetic() {}

    /** Three Gaussian blobs in 8 dimensions; returns {features (n, 8) float32, labels (n) float32}. */
    static NDArray[] blobs(NDManager manager, int n, long seed) {
        Random random = new Random(seed);
        float[] x = new float[n * FEATURES];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = i % CLASSES;
            y[i] = c;
            for (int j = 0; j < FEATURES; j++) {
                x[i * FEATURES + j] = (float) (random.nextGaussian() * 0.7 + (j % CLASSES == c ? 2 : 0));
            }
        }
        return new NDArray[] {
            manager.create(x, new ai.djl.ndarray.types.Shape(n, FEATURES)), manager.create(y)
        };
    }

    /** 8-16-3 MLP with dropout, so that dropout reproducibility is exercised too. */
    static Block mlp() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(16).build())
                .add(Activation::relu)
                .add(Dropout.builder().optRate(0.2f).build())
                .add(Linear.builder().setUnits(CLASSES).build());
    }
}
