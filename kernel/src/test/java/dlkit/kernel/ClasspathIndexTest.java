package dlkit.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.Model;
import ai.djl.engine.Engine;
import java.io.File;
import java.io.FileOutputStream;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** %maven skips the kernel's own artifacts, DJL's among them, whose jars carry no pom.properties. */
class ClasspathIndexTest {

    @Test
    void djlsJarsAreKnownByTheirClasses(@TempDir Path folder) throws Exception {
        File djlApi = new File(Model.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        // what %maven ai.djl:api:0.20.0 resolves (d2l-java's notebooks ask for it): a jar of DJL's classes
        Artifact older = new DefaultArtifact("ai.djl:api:0.20.0").setFile(djlApi);
        ClasspathIndex index = new ClasspathIndex();
        assertEquals(Engine.getDjlVersion(), index.kernelVersion(older), "the kernel's DJL would shadow it");
        assertEquals(Engine.getDjlVersion(), ClasspathIndex.versionOfJarHolding("ai/djl/Model.class", "api"));
        File other = folder.resolve("other-1.0.jar").toFile();
        try (JarOutputStream jar = new JarOutputStream(new FileOutputStream(other))) {
            jar.putNextEntry(new JarEntry("org/example/Other.class"));
            jar.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
        }
        assertNull(index.kernelVersion(new DefaultArtifact("org.example:other:1.0").setFile(other)));
        assertNull(ClasspathIndex.versionOfJarHolding("no/such/Thing.class", "api"));
    }
}
