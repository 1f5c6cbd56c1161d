package dlkit.kernel;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
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

    /** The kernel's version of an artifact (its file resolved), or null when the kernel does not have it. */
    synchronized String kernelVersion(Artifact a) {
        if (kernelArtifacts == null) {
            kernelArtifacts = scan(System.getProperty("java.class.path", ""));
        }
        String version = kernelArtifacts.get(a.getGroupId() + ":" + a.getArtifactId());
        return version != null ? version : versionByClasses(a);
    }

    /** Records a path added to the class path; false if it was added before. */
    synchronized boolean add(Path path) {
        return added.add(path.toAbsolutePath().normalize());
    }

    /**
     * The kernel's version of an artifact whose jar carries no {@code pom.properties} (DJL's, built
     * with Gradle): the kernel has it when it already has the jar's classes (its class loader is
     * asked first, so a second copy would never be used), and its jar's name, {@code
     * artifactId-version.jar}, gives the version. Null when the kernel lacks those classes.
     */
    static String versionByClasses(Artifact a) {
        if (a.getFile() == null) {
            return null;
        }
        try (JarFile jar = new JarFile(a.getFile())) {
            String probe = jar.stream().map(JarEntry::getName)
                    .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/") && !n.endsWith("module-info.class"))
                    .findFirst().orElse(null);
            return probe == null ? null : versionOfJarHolding(probe, a.getArtifactId());
        } catch (IOException e) {
            return null; // not a readable jar: nothing the kernel could have
        }
    }

    /**
     * The version in the name of the kernel's jar that holds a resource ({@code
     * ai/djl/Model.class}), named {@code artifactId-version.jar}; null when no jar of the kernel's
     * holds it, and the jar's name when it is not named so.
     */
    static String versionOfJarHolding(String resource, String artifactId) {
        URL url = ClasspathIndex.class.getClassLoader().getResource(resource);
        if (url == null || !url.getProtocol().equals("jar") || !url.getPath().contains("!/")) {
            return null;
        }
        String path = url.getPath().substring(0, url.getPath().indexOf("!/"));
        String name = path.substring(path.lastIndexOf('/') + 1);
        String prefix = artifactId + "-";
        return name.startsWith(prefix) && name.endsWith(".jar") ? name.substring(prefix.length(), name.length() - 4) : name;
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
