package dlkit.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TorchOpsTest {

    @BeforeAll
    static void engine() {
        Engines.startQuietly();
        assertTrue(TorchOps.available(), "the PyTorch engine runs dlkit's TorchScript operations");
    }

    /** Same loss and same gradient as DJL's softmax cross-entropy, for float and integer labels. */
    @Test
    void crossEntropyMatchesDjlsLossAndGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(7);
            NDArray logits = m.randomNormal(new Shape(6, 4)).mul(3);
            NDArray labels = m.create(new float[] {0, 3, 1, 1, 2, 0});
            float[][] djl = lossAndGradient(logits, l -> Loss.softmaxCrossEntropyLoss().evaluate(new NDList(labels), new NDList(l)));
            for (NDArray given : new NDArray[] {labels, labels.toType(DataType.INT32, false), labels.reshape(6, 1)}) {
                float[][] fused = lossAndGradient(logits, l -> TorchOps.crossEntropy(l, given, m));
                assertEquals(djl[0][0], fused[0][0], 1e-6f * Math.abs(djl[0][0]), "loss, labels " + given.getDataType());
                assertArrayEquals(djl[1], fused[1], 1e-7f, "gradient, labels " + given.getShape());
            }
        }
    }

    private static float[][] lossAndGradient(NDArray logits, java.util.function.UnaryOperator<NDArray> loss) {
        NDArray x = logits.duplicate();
        x.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray value = loss.apply(x);
            collector.backward(value);
            return new float[][] {{value.getFloat()}, x.getGradient().toFloatArray()};
        }
    }
}
