package dlkit.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/** Checks that a network laid out otherwise (pooling before ReLU, say) is the reference's function. */
final class SameNetwork {

    private SameNetwork() {}

    /**
     * Both networks, initialised from one seed, have the same parameter values and,
     * on the same input in training mode (dropout drawn from one seed too), the same output and
     * gradients.
     */
    static void assertSameFunction(Block ours, Block reference, Shape input) {
        try (NDManager m = NDManager.newBaseManager()) {
            List<float[]> a = weights(m, ours, input);
            List<float[]> b = weights(m, reference, input);
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(b.get(i), a.get(i), "initial parameter " + i);
            }
            NDArray x = m.randomNormal(input);
            float[][] ourResult = outputAndGradients(ours, x);
            float[][] referenceResult = outputAndGradients(reference, x);
            for (int i = 0; i < ourResult.length; i++) {
                assertArrayEquals(referenceResult[i], ourResult[i], 1e-5f, "output or gradient " + i);
            }
        }
    }

    /** The block's parameters after initialising it from seed 7. */
    static List<float[]> weights(NDManager m, Block block, Shape input) {
        Engine.getInstance().setRandomSeed(7);
        block.initialize(m, DataType.FLOAT32, input);
        List<float[]> values = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            values.add(p.getValue().getArray().toFloatArray());
        }
        return values;
    }

    /** The training-mode output, then each parameter's gradient of the output's sum of squares. */
    private static float[][] outputAndGradients(Block block, NDArray x) {
        List<float[]> results = new ArrayList<>();
        Engine.getInstance().setRandomSeed(11); // the same dropout masks for both networks
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray out = block.forward(new ParameterStore(x.getManager(), false), new NDList(x), true)
                    .singletonOrThrow();
            results.add(out.toFloatArray());
            collector.backward(out.square().sum());
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            results.add(p.getValue().getArray().getGradient().toFloatArray());
        }
        return results.toArray(new float[0][]);
    }
}
