package dlkit.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.engine.Engine;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.junit.jupiter.api.Test;

/** %maven skips the kernel's own artifacts, DJL's among them, whose jars carry no pom.properties. */
class ClasspathIndexTest {

    @Test
    void djlsJarsAreKnownByTheirCoordinates() {
        ClasspathIndex index = new ClasspathIndex();
        assertEquals(Engine.getDjlVersion(), index.kernelVersion(new DefaultArtifact("ai.djl:api:0.20.0")),
                "a d2l-java notebook's %maven ai.djl:api:0.20.0 would be shadowed by the kernel's DJL");
        assertEquals(Engine.getDjlVersion(), ClasspathIndex.listed().get("ai.djl.pytorch:pytorch-engine"));
        // a classifier (linux-x86_64) before the version
        assertEquals(2, ClasspathIndex.listed().get("ai.djl.pytorch:pytorch-native-cpu").split("\\.").length - 1);
        assertNull(index.kernelVersion(new DefaultArtifact("org.example:not-in-the-kernel:1.0")));
    }
}
