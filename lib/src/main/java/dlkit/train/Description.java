package dlkit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dlkit.files.Digests;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Describes an object for the run-cache key by its class and the values of its fields, read by
 * reflection: DJL keeps most settings private (a dropout rate, a loss weight, an initializer's
 * sigma) and its {@code toString()} shows few of them.
 *
 * <p>Rules: numbers, strings, enums, shapes and arrays of them are written as values; blocks are
 * written with their children; a lambda (a {@code LambdaBlock}'s function, say) is written with the
 * values it captured. Every class but the JDK's and DJL's adds a hash of its bytecode (a lambda's:
 * of the class that declared it), with the classes it uses from the same place ({@link ClassFiles}),
 * so that an edited cell or library retrains. What a lambda computes is not visible here: the key
 * adds a functional fingerprint for that (see {@link RunKey}). Accumulators (maps), arrays on the
 * engine and parameters are left out; parameters are hashed by value elsewhere.
 */
final class Description {

    private static final int MAX_DEPTH = 6;

    private final StringBuilder out = new StringBuilder();
    private final Set<Object> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    private Description() {}

    /**
     * Describes any object: a loss, an evaluator, an augmentation, an initializer.
     *
     * @param value the object, or null
     * @return a one-line description that changes with its class or any field
     */
    static String of(Object value) {
        Description d = new Description();
        d.value(value, 0);
        return d.out.toString();
    }

    /**
     * Describes a block tree, one line per block, indented by depth: class, own settings, and each
     * parameter's name, shape, type, whether it is trained and its initializer.
     *
     * @param block an initialised block
     * @return lines like {@code Linear{units=10, ...} weight(10, 8) WEIGHT trained Xavier...}
     */
    static List<String> ofBlock(Block block) {
        List<String> lines = new ArrayList<>();
        block(block, "", 0, lines);
        return lines;
    }

    private static void block(Block block, String name, int depth, List<String> lines) {
        Description d = new Description();
        d.out.append("  ".repeat(depth)).append(name.isEmpty() ? "" : name + ": ");
        d.object(block, 0, Block.class);
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            Parameter parameter = p.getValue();
            d.out.append(" | ").append(p.getKey()).append(parameter.getArray() != null ? parameter.getArray().getShape() : "")
                    .append(' ').append(parameter.getType()).append(parameter.requiresGradient() ? " trained " : " frozen ");
            d.value(field(parameter, "initializer"), 1);
        }
        lines.add(d.out.toString());
        for (Pair<String, Block> child : block.getChildren()) {
            block(child.getValue(), child.getKey(), depth + 1, lines);
        }
    }

    private void value(Object v, int depth) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof Number || v instanceof Boolean || v instanceof Character || v instanceof Enum<?>
                || v instanceof Shape || v instanceof DataType) {
            out.append(v);
        } else if (v instanceof CharSequence text) {
            out.append(stableName(text.toString()));
        } else if (v instanceof Class<?> c) {
            out.append(className(c));
        } else if (v.getClass().isArray()) {
            out.append('[');
            for (int i = 0; i < Array.getLength(v); i++) {
                out.append(i > 0 ? ", " : "");
                value(Array.get(v, i), depth + 1);
            }
            out.append(']');
        } else if (v instanceof NDArray a) {
            out.append("NDArray").append(a.getShape()).append(a.getDataType());
        } else if (v instanceof Map<?, ?> || v instanceof NDManager || v instanceof Parameter
                || v instanceof Thread || v instanceof java.util.Random) {
            out.append(v.getClass().getSimpleName()); // accumulators, engine handles, state: not settings
        } else if (v instanceof Collection<?> c) {
            out.append('[');
            int i = 0;
            for (Object e : c) {
                out.append(i++ > 0 ? ", " : "");
                value(e, depth + 1);
            }
            out.append(']');
        } else if (depth >= MAX_DEPTH || !seen.add(v)) {
            out.append(className(v.getClass())).append("{...}");
        } else if (v instanceof Block) {
            out.append("block ").append(className(v.getClass())); // described in its own line
        } else {
            object(v, depth, Object.class);
        }
    }

    /** Class name and fields, from the object's class up to (not including) {@code stop}. */
    private void object(Object v, int depth, Class<?> stop) {
        Class<?> type = v.getClass();
        out.append(type.isHidden() ? "lambda@" + className(declaringClass(type)) : className(type));
        String bytecode = bytecodeHash(type.isHidden() ? declaringClass(type) : type);
        if (bytecode != null) {
            out.append('#').append(bytecode);
        }
        out.append('{');
        boolean first = true;
        for (Class<?> c = type; c != null && c != stop && c != Object.class; c = c.getSuperclass()) {
            if (c.getName().equals("ai.djl.nn.AbstractBlock") || c.getName().equals("ai.djl.nn.AbstractBaseBlock")) {
                break; // children, parameters and input shapes are described separately
            }
            for (Field f : c.getDeclaredFields()) {
                int mod = f.getModifiers();
                if (Modifier.isStatic(mod) || Modifier.isTransient(mod) || f.getName().startsWith("this$")) {
                    continue;
                }
                Object fieldValue = read(f, v);
                out.append(first ? "" : ", ").append(f.getName()).append('=');
                first = false;
                value(fieldValue, depth + 1);
            }
        }
        out.append('}');
    }

    private static Object read(Field f, Object target) {
        try {
            f.setAccessible(true);
            return f.get(target);
        } catch (RuntimeException | IllegalAccessException e) {
            return "<unreadable>"; // a module that does not open the field: its class name still counts
        }
    }

    private static Object field(Object target, String name) {
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            try {
                return read(c.getDeclaredField(name), target);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        return null;
    }

    /**
     * A private setting of an object, e.g. {@code SoftmaxCrossEntropyLoss.sparseLabel}.
     *
     * @return the value, or {@code fallback} when there is no such field
     */
    @SuppressWarnings("unchecked")
    static <T> T setting(Object target, String name, T fallback) {
        Object v = field(target, name);
        return v == null || v instanceof String s && s.equals("<unreadable>") ? fallback : (T) v;
    }

    /** The class a lambda was written in: its hidden class is named {@code Declaring$$Lambda...}. */
    private static Class<?> declaringClass(Class<?> hidden) {
        String name = hidden.getName();
        int cut = name.indexOf("$$Lambda");
        if (cut < 0) {
            return hidden;
        }
        try {
            return Class.forName(name.substring(0, cut), false, hidden.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return hidden;
        }
    }

    /**
     * The class name without JShell's per-cell wrapper ({@code REPL.$JShell$15$MyBlock} becomes
     * {@code REPL.MyBlock}): running the same cell again must give the same key.
     */
    static String className(Class<?> c) {
        String name = c.getName().replaceAll("\\$JShell\\$\\d+[A-Z]?\\$?", "");
        int lambda = name.indexOf("$$Lambda");
        return lambda >= 0 ? name.substring(0, lambda) : name;
    }

    /**
     * A text with JShell's wrappers and the numbers and addresses of lambda classes taken out: DJL
     * names a {@code LambdaBlock} after its function's class ({@code $JShell$17$$Lambda$551/0x...}),
     * which differs from one JVM to the next, and the key must not.
     */
    static String stableName(String text) {
        return text.replaceAll("\\$JShell\\$\\d+[A-Z]?\\$?", "").replaceAll("\\$+Lambda(\\$\\d+)?/0x[0-9a-fA-F]+", "\\$\\$Lambda");
    }

    /**
     * A short hash of the class file for classes of the user (a notebook's, a jar's) and of dlkit, with
     * the classes they use from the same place ({@link ClassFiles}); DJL and the JDK are covered by
     * their versions in the key. Null for hidden classes (their declaring class is hashed instead).
     */
    private static String bytecodeHash(Class<?> c) {
        String name = c.getName();
        if (c.isHidden() || c.isPrimitive() || name.startsWith("java.") || name.startsWith("ai.djl.")
                || c.getClassLoader() == null) {
            return null;
        }
        return ClassFiles.hash(c); // not cached here: it holds the current values of notebook variables
    }
}
