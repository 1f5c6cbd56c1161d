package dlkit.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class EnginesTest {

    @Test
    void startsPyTorchOfflineAndComputes() {
        EngineInfo info = Engines.startQuietly();
        assertEquals("PyTorch", info.engine());
        assertTrue(info.offline(), "offline mode must be on");
        assertEquals(
                "true",
                System.getProperty(Engines.TRACKING, System.getenv(Engines.TRACKING)),
                "telemetry must be opted out");
        assertTrue(info.threads() >= 1);
        assertEquals(1, info.interopThreads());
        assertSame(info, Engines.start(), "start() is idempotent");
        assertTrue(info.toString().contains("PyTorch"), info::toString);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.arange(4f);
            assertEquals(6f, x.sum().getFloat());
        }
    }

    /** Warnings stay on; DJL's note that a model was closed by the garbage collector does not. */
    @Test
    void loggingWarnsButNotAboutRunsLeftOpen() {
        assertTrue(org.slf4j.LoggerFactory.getLogger("ai.djl.training.Trainer").isWarnEnabled());
        assertTrue(!org.slf4j.LoggerFactory.getLogger(ai.djl.BaseModel.class).isWarnEnabled(),
                "a Run left open in a cell is closed when collected: no warning in a later cell");
    }
}
