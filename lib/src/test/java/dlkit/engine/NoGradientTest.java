package dlkit.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
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
}
