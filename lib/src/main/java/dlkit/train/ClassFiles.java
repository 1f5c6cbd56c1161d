package dlkit.train;

import dlkit.files.Digests;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hashes of class files for the run-cache key: a class together with the classes it uses from the
 * same place (the notebook's JShell session, or the same jar or folder), so that editing a helper
 * method or class retrains too, not only editing the class itself; and the current values of the
 * notebook variables those classes read, which a later cell can change ({@link #variables}).
 *
 * <p>JShell compiles a cell's class into {@code REPL.$JShell$17$Weighted}, numbered by a counter
 * that differs from one session to the next. The hash reads the class file's constant pool and
 * leaves those numbers out ({@link Description#stableName}), so the same notebook run again in a
 * new kernel finds its runs. No class-file library is on the class path for this (the JDK's own
 * arrives with Java 24), and the constant pool is all that needs reading.
 */
final class ClassFiles {

    /** Hashes of the classes asked for, per class loader (JShell's names are unique in a session). */
    private static final Map<ClassLoader, Map<String, Walk>> HASHES =
            Collections.synchronizedMap(new WeakHashMap<>());

    private static final Pattern TEMPORARY = Pattern.compile("\\$\\d+");
    /** A JShell snippet's wrapper class, where its variables live. */
    private static final Pattern WRAPPER = Pattern.compile("REPL/\\$JShell\\$\\d+");
    /** The wrapper a class or lambda of a snippet belongs to: the start of its name. */
    private static final Pattern OWN_WRAPPER = Pattern.compile("REPL/\\$JShell\\$\\d+(?=\\$|$)");

    private ClassFiles() {}

    /**
     * A short hash of the class's file, of every class file it names from the same place and of the
     * notebook variables among them; dlkit's own classes are hashed alone (its version is in the key).
     *
     * @param c a class with a class loader
     * @return 12 hexadecimal digits, or null when its class file cannot be read
     */
    static String hash(Class<?> c) {
        ClassLoader loader = c.getClassLoader();
        String resource = c.getName().replace('.', '/');
        Map<String, Walk> known = HASHES.computeIfAbsent(loader, k -> new ConcurrentHashMap<>());
        Walk walk = known.get(resource);
        if (walk == null) {
            URL url = loader.getResource(resource + ".class");
            String origin = url == null ? null : origin(url.toString(), resource);
            Set<String> visited = new LinkedHashSet<>();
            String hash = hash(loader, resource, origin, visited);
            if (hash == null) {
                return null;
            }
            walk = new Walk(hash, List.copyOf(visited));
            known.put(resource, walk);
        }
        MessageDigest sha = Digests.newDigest("SHA-256");
        sha.update(walk.hash().getBytes(StandardCharsets.US_ASCII));
        // The snippet the class comes from is the one running now (var run = fit...run()): its own
        // variables are what it computes, and hold only what an earlier run of that cell left.
        Matcher own = OWN_WRAPPER.matcher(resource);
        String running = own.lookingAt() ? own.group() : "";
        for (String name : walk.visited()) {
            if (WRAPPER.matcher(name).matches() && !name.equals(running)) {
                variables(loader, name, sha);
            }
        }
        return Digests.hex(sha.digest()).substring(0, 12);
    }

    /** A walk's hash of class files, and the classes it visited; class files do not change. */
    private record Walk(String hash, List<String> visited) {}

    /**
     * The current values of a notebook's variables that a cell's class uses: JShell keeps each one
     * in a static field of its snippet's wrapper class, and {@code margin = 1.0f;} in a later cell
     * changes the value without changing any class file. Numbers, text, enums and arrays of numbers
     * count by value; other objects (arrays on the engine, say) only by their class.
     */
    private static void variables(ClassLoader loader, String wrapper, MessageDigest sha) {
        Class<?> holder;
        try {
            holder = Class.forName(wrapper.replace('/', '.'), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return;
        }
        for (Field field : holder.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers()) || !field.trySetAccessible()) {
                continue;
            }
            Object value;
            try {
                value = field.get(null);
            } catch (IllegalAccessException e) {
                continue;
            }
            sha.update((field.getName() + "=").getBytes(StandardCharsets.UTF_8));
            value(value, sha);
        }
    }

    /** Numbers, text, enums and arrays of numbers, by value; anything else by its class only. */
    private static void value(Object value, MessageDigest sha) {
        boolean numbers = value instanceof float[] || value instanceof double[] || value instanceof int[]
                || value instanceof long[] || value instanceof byte[];
        String text = numbers ? "array" : value == null || value instanceof Number || value instanceof CharSequence
                || value instanceof Boolean || value instanceof Character || value instanceof Enum<?>
                ? String.valueOf(value) : "object " + Description.stableName(value.getClass().getName());
        sha.update((text + ";").getBytes(StandardCharsets.UTF_8));
        if (numbers) {
            arrayBytes(value, sha);
        }
    }

    /** An array's values through a small buffer: a notebook's array may hold a whole dataset. */
    private static void arrayBytes(Object array, MessageDigest sha) {
        if (array instanceof byte[] bytes) {
            sha.update(bytes);
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        int length = java.lang.reflect.Array.getLength(array);
        int width = array instanceof double[] || array instanceof long[] ? 8 : 4;
        for (int from = 0; from < length; from += buffer.capacity() / width) {
            int n = Math.min(length - from, buffer.capacity() / width);
            buffer.clear();
            if (array instanceof float[] a) {
                buffer.asFloatBuffer().put(a, from, n);
            } else if (array instanceof double[] a) {
                buffer.asDoubleBuffer().put(a, from, n);
            } else if (array instanceof int[] a) {
                buffer.asIntBuffer().put(a, from, n);
            } else {
                buffer.asLongBuffer().put((long[]) array, from, n);
            }
            sha.update(buffer.array(), 0, n * width);
        }
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
