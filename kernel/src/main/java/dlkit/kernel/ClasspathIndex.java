package dlkit.kernel;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
            kernelArtifacts.putAll(listed());
        }
        return kernelArtifacts.get(a.getGroupId() + ":" + a.getArtifactId());
    }

    /** Records a path added to the class path; false if it was added before. */
    synchronized boolean add(Path path) {
        return added.add(path.toAbsolutePath().normalize());
    }

    /**
     * The kernel's dependencies as its build listed them ({@code dependency:list}), which names the
     * jars that carry no {@code pom.properties}: DJL's, built with Gradle.
     */
    static Map<String, String> listed() {
        Map<String, String> found = new HashMap<>();
        try (InputStream in = ClasspathIndex.class.getResourceAsStream("dependencies.txt")) {
            if (in == null) {
                return found;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                // "   group:artifact:type[:classifier]:version:scope -- module ...", maybe with colour codes
                String[] parts = line.replaceAll("\u001B\\[[0-9;]*m", "").strip().split("\\s")[0].split(":");
                if (parts.length == 5 || parts.length == 6) {
                    found.put(parts[0] + ":" + parts[1], parts[parts.length - 2]);
                }
            }
        } catch (IOException e) {
            // Unreadable: the jars' pom.properties still name most artifacts.
        }
        return found;
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
