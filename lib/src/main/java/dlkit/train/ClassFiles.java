package dlkit.train;

import dlkit.files.Digests;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Hashes of class files for the run-cache key: a class together with the classes it uses from the
 * same place (the notebook's JShell session, or the same jar or folder), so that editing a helper
 * method or class retrains too, not only editing the class itself.
 *
 * <p>JShell compiles a cell's class into {@code REPL.$JShell$17$Weighted}, numbered by a counter
 * that differs from one session to the next. The hash reads the class file's constant pool and
 * leaves those numbers out ({@link Description#stableName}), so the same notebook run again in a
 * new kernel finds its runs. No class-file library is on the class path for this (the JDK's own
 * arrives with Java 24), and the constant pool is all that needs reading.
 */
final class ClassFiles {

    /** Hashes of the classes asked for, per class loader (JShell's names are unique in a session). */
    private static final Map<ClassLoader, Map<String, String>> HASHES =
            Collections.synchronizedMap(new WeakHashMap<>());

    private static final Pattern TEMPORARY = Pattern.compile("\\$\\d+");

    private ClassFiles() {}

    /**
     * A short hash of the class's file and of every class file it names from the same place; dlkit's own
     * classes are hashed alone (its version is in the key too).
     *
     * @param c a class with a class loader
     * @return 12 hexadecimal digits, or null when its class file cannot be read
     */
    static String hash(Class<?> c) {
        ClassLoader loader = c.getClassLoader();
        String resource = c.getName().replace('.', '/');
        URL url = loader.getResource(resource + ".class");
        String origin = url == null ? null : origin(url.toString(), resource);
        Map<String, String> known = HASHES.computeIfAbsent(loader, k -> new ConcurrentHashMap<>());
        String hash = known.get(resource);
        if (hash == null) {
            hash = hash(loader, resource, origin, new HashSet<>());
            if (hash == null) {
                return null;
            }
            known.put(resource, hash);
        }
        return hash.substring(0, 12);
    }

    /** The jar or folder a class file came from: its URL less the class's own path. */
    private static String origin(String url, String resource) {
        int at = url.lastIndexOf(resource + ".class");
        return at < 0 ? url : url.substring(0, at);
    }

    /**
     * The hash of one class file and, depth first, of those it names from the same place; a class
     * visited before in this walk (a cycle, such as a class and its nest host) is not hashed again,
     * so the result depends only on where the walk starts.
     */
    private static String hash(ClassLoader loader, String resource, String origin, Set<String> visited) {
        byte[] bytes;
        try (InputStream in = loader.getResourceAsStream(resource + ".class")) {
            if (in == null) {
                return null;
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
        visited.add(resource);
        MessageDigest sha = Digests.newDigest("SHA-256");
        List<String> used = new ArrayList<>();
        try {
            int rest = constantPool(bytes, sha, used);
            sha.update(bytes, rest, bytes.length - rest);
        } catch (IOException | RuntimeException e) {
            sha.update(bytes); // not a class file we can read: the raw bytes still change with it
        }
        for (String name : used) {
            if (visited.contains(name) || !sameOrigin(loader, name, origin)) {
                continue; // a cycle, or a library's class
            }
            String other = hash(loader, name, origin, visited);
            sha.update((other == null ? "unreadable " + name : other).getBytes(StandardCharsets.UTF_8));
        }
        return Digests.hex(sha.digest());
    }

    private static boolean sameOrigin(ClassLoader loader, String name, String origin) {
        if (origin == null || name.startsWith("java/") || name.startsWith("ai/djl/") || name.startsWith("dlkit/")
                || name.startsWith("[")) {
            return false;
        }
        URL url = loader.getResource(name + ".class");
        return url != null && url.toString().startsWith(origin);
    }

    /**
     * Hashes the constant pool with JShell's counters taken out of its text entries and collects the
     * classes it names; returns where the rest of the file starts.
     */
    private static int constantPool(byte[] bytes, MessageDigest sha, List<String> used) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort(); // minor version
        in.readUnsignedShort(); // major version
        int count = in.readUnsignedShort();
        String[] texts = new String[count];
        int[] classNames = new int[count];
        int classes = 0;
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            sha.update((byte) tag);
            switch (tag) {
                case 1 -> {
                    texts[i] = in.readUTF();
                    sha.update(stable(texts[i]).getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) 0);
                }
                case 7 -> {
                    classNames[classes++] = in.readUnsignedShort();
                    sha.update(intBytes(classNames[classes - 1]));
                }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> sha.update(intBytes(in.readInt()));
                case 5, 6 -> {
                    sha.update(intBytes(in.readInt()));
                    sha.update(intBytes(in.readInt()));
                    i++; // longs and doubles take two entries
                }
                case 8, 16, 19, 20 -> sha.update(intBytes(in.readUnsignedShort()));
                case 15 -> {
                    sha.update((byte) in.readUnsignedByte());
                    sha.update(intBytes(in.readUnsignedShort()));
                }
                default -> throw new IOException("constant pool tag " + tag);
            }
        }
        for (int k = 0; k < classes; k++) {
            String name = texts[classNames[k]];
            if (name != null) {
                used.add(name);
            }
        }
        return bytes.length - in.available();
    }

    /** JShell's counters out: its wrappers' numbers, and its temporaries' ($7), numbered by cells run. */
    private static String stable(String text) {
        return TEMPORARY.matcher(text).matches() ? "$" : Description.stableName(text);
    }

    private static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
