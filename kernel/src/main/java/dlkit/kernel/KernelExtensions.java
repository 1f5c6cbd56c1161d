package dlkit.kernel;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * JJava's kernel extensions: a jar whose {@code META-INF/services/org.dflib.jjava.jupyter.Extension}
 * names a class is installed when it reaches the class path ({@code %maven}, {@code %jars}, {@code
 * IJAVA_CLASSPATH}, ...), as JJava does. DFLib's {@code dflib-jupyter}, for one, adds its imports
 * and shows data frames as tables so. {@code JJAVA_LOAD_EXTENSIONS=false} turns this off.
 *
 * <p>Extensions written for JJava's 1.0 milestones evaluate {@code getKernelInstance()} and expect
 * JJava's kernel, where notebooks written for IJava expect IJava's under that name: in the code an
 * extension evaluates while it installs, the name means JJava's ({@link Kernel#notebookKernel()}).
 */
final class KernelExtensions {

    private static final String SERVICE = "META-INF/services/" + Extension.class.getName();
    private static final Pattern KERNEL_INSTANCE = Pattern.compile("\\bgetKernelInstance\\s*\\(\\s*\\)");

    private final boolean enabled;
    private final Set<String> installed = ConcurrentHashMap.newKeySet();
    /** Every jar seen so far: an extension may need the classes of jars added before it. */
    private final List<URL> jars = new ArrayList<>();
    private volatile boolean installing;

    KernelExtensions(boolean enabled) {
        this.enabled = enabled;
    }

    /** On unless {@code JJAVA_LOAD_EXTENSIONS=false}. */
    static KernelExtensions fromEnvironment() {
        return new KernelExtensions(!"false".equalsIgnoreCase(System.getenv().getOrDefault("JJAVA_LOAD_EXTENSIONS", "true").trim()));
    }

    /** Installs the extensions the jars name, each class once; a failure is reported, not thrown. */
    void install(List<Path> added, BaseKernel kernel) {
        if (!enabled) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (Path jar : added) {
            try {
                jars.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                continue;
            }
            names.addAll(serviceNames(jar));
        }
        names.removeIf(name -> !installed.add(name));
        if (names.isEmpty()) {
            return;
        }
        // Left open: an installed extension's classes stay in use.
        ClassLoader loader = new URLClassLoader(jars.toArray(URL[]::new), KernelExtensions.class.getClassLoader());
        for (String name : names) {
            installing = true;
            try {
                Class<? extends Extension> type = Class.forName(name, true, loader).asSubclass(Extension.class);
                type.getDeclaredConstructor().newInstance().install(kernel);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                System.err.println("dlkit kernel: the JJava extension " + name + " did not install: " + e);
            } finally {
                installing = false;
            }
        }
    }

    /** The code an extension evaluates while it installs, with JJava's meaning of getKernelInstance(). */
    String forEvaluation(String code) {
        return installing ? KERNEL_INSTANCE.matcher(code).replaceAll("notebookKernel()") : code;
    }

    /** The class names a jar's service file lists (comments and blank lines left out). */
    static List<String> serviceNames(Path jar) {
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(SERVICE);
            if (entry != null) {
                String text = new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
                for (String line : text.split("\n")) {
                    String name = line.replaceAll("#.*", "").trim();
                    if (!name.isEmpty()) {
                        names.add(name);
                    }
                }
            }
        } catch (IOException e) {
            // not a jar (a class folder, say): no extensions
        }
        return names;
    }
}
