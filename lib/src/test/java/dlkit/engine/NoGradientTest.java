package dlkit.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.GradientCollector;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NoGradientTest {

    @BeforeAll
    static void engine() {
        Engines.startQuietly();
    }

    /** In a fresh thread (as a notebook cell's), grad mode starts on; the scope turns it off and back. */
    @Test
    void switchesGradModeOffAndRestoresTheThreadsMode() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread cell = new Thread(() -> {
            try {
                assertTrue(JniUtils.isGradMode(), "grad mode is on in a fresh thread");
                try (NoGradient scope = NoGradient.open()) {
                    assertFalse(JniUtils.isGradMode());
                    try (NoGradient nested = NoGradient.open()) {
                        assertFalse(JniUtils.isGradMode());
                    }
                    assertFalse(JniUtils.isGradMode(), "a nested scope restores the outer scope's mode");
                }
                assertTrue(JniUtils.isGradMode(), "closing restores the thread's mode");
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        cell.start();
        cell.join();
        assertNull(failure.get());
    }

    /** Operations inside the scope are constants to backpropagation: d(2w + 3w)/dw counts only 3w. */
    @Test
    void operationsInsideTheScopeAreNotBackpropagated() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.ones(new Shape(3));
            w.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray outside;
                try (NoGradient scope = NoGradient.open()) {
                    outside = w.mul(2);
                }
                collector.backward(outside.sum().add(w.mul(3).sum()));
            }
            assertArrayEquals(new float[] {3f, 3f, 3f}, w.getGradient().toFloatArray());
        }
    }

    /**
     * An LSTM evaluated in the scope computes what its equations say. With recording off, PyTorch's
     * oneDNN inference kernel was off by up to 1.4 on this state size on an AVX-512 machine.
     */
    @Test
    void anLstmEvaluatesAsItsEquationsSay() {
        int batch = 32, steps = 20, inputs = 3, state = 16;
        try (NDManager m = NDManager.newBaseManager()) {
            LSTM lstm = LSTM.builder().setStateSize(state).setNumLayers(1).optReturnState(false)
                    .optBatchFirst(true).build();
            lstm.setInitializer(new NormalInitializer(0.5f), Parameter.Type.BIAS);
            lstm.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            lstm.initialize(m, DataType.FLOAT32, new Shape(batch, steps, inputs));
            lstm.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(true)); // as in training
            SequentialBlock net = new SequentialBlock().add(lstm);
            NDArray x = m.randomNormal(new Shape(batch, steps, inputs));
            NDArray last;
            try (NoGradient scope = NoGradient.open(net)) {
                NDArray out = net.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
                last = out.get(":, -1, :").stopGradient();
            }
            NDArray w = lstm.getParameters().get(0).getValue().getArray().stopGradient();
            NDArray u = lstm.getParameters().get(1).getValue().getArray().stopGradient();
            NDArray b = lstm.getParameters().get(2).getValue().getArray().stopGradient()
                    .add(lstm.getParameters().get(3).getValue().getArray().stopGradient());
            NDArray h = m.zeros(new Shape(batch, state));
            NDArray c = m.zeros(new Shape(batch, state));
            for (int t = 0; t < steps; t++) { // PyTorch's gate order: input, forget, cell, output
                NDList gates = x.get(":, {}, :", t).matMul(w.transpose()).add(h.matMul(u.transpose())).add(b).split(4, 1);
                NDArray i = sigmoid(gates.get(0)), f = sigmoid(gates.get(1)), o = sigmoid(gates.get(3));
                c = f.mul(c).add(i.mul(gates.get(2).tanh()));
                h = o.mul(c.tanh());
            }
            float worst = last.sub(h).abs().max().getFloat();
            assertTrue(worst < 1e-5f, "LSTM output differs from its equations by " + worst);
        }
    }

    /** Other networks are evaluated without recording. */
    @Test
    void aNetworkWithoutAnLstmIsEvaluatedWithoutRecording() {
        SequentialBlock mlp = new SequentialBlock().add(Linear.builder().setUnits(2).build());
        boolean before = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        try {
            try (NoGradient scope = NoGradient.open(mlp)) {
                assertFalse(JniUtils.isGradMode());
            }
            try (NoGradient scope = NoGradient.open(new SequentialBlock().add(mlp).add(LSTM.builder().setStateSize(2)
                    .setNumLayers(1).build()))) {
                assertTrue(JniUtils.isGradMode(), "a nested LSTM is found");
            }
        } finally {
            JniUtils.setGradMode(before);
        }
    }

    private static NDArray sigmoid(NDArray a) {
        return a.neg().exp().add(1).pow(-1);
    }
}
