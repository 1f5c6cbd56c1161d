package dlkit.kernel;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.eclipse.aether.artifact.Artifact;

/**
 * What is on the notebook's class path already: the kernel's own jars (dlkit, DJL, Tablesaw,
 * Tribuo...) by Maven coordinates, and every path added in this session. JShell's class loader
 * asks the kernel's first, so a second copy of one of its artifacts would never be used: {@code
 * %maven} skips those and says so.
 */
final class ClasspathIndex {

    /** groupId:artifactId to version, from the jars' {@code META-INF/maven/.../pom.properties}. */
    private Map<String, String> kernelArtifacts;
    private final Set<Path> added = new LinkedHashSet<>();

    /** The kernel's version of an artifact, or null when the kernel does not have it. */
    synchronized String kernelVersion(Artifact a) {
        if (kernelArtifacts == null) {
            kernelArtifacts = scan(System.getProperty("java.class.path", ""));
        }
        return kernelArtifacts.get(a.getGroupId() + ":" + a.getArtifactId());
    }

    /** Records a path added to the class path; false if it was added before. */
    synchronized boolean add(Path path) {
        return added.add(path.toAbsolutePath().normalize());
    }

    private static Map<String, String> scan(String classpath) {
        Map<String, String> found = new HashMap<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.endsWith(".jar")) {
                continue;
            }
            try (JarFile jar = new JarFile(entry)) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    JarEntry e = entries.nextElement();
                    if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties")) {
                        Properties p = new Properties();
                        try (InputStream in = jar.getInputStream(e)) {
                            p.load(in);
                        }
                        found.put(p.getProperty("groupId") + ":" + p.getProperty("artifactId"), p.getProperty("version"));
                    }
                }
            } catch (IOException ignored) {
                // Not a readable jar: nothing to skip for it.
            }
        }
        return found;
    }
}
