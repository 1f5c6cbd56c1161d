package dlkit.inspect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.ParameterStore;
import dlkit.engine.NoGradient;
import dlkit.models.UniformDropout;
import java.lang.reflect.Field;
import java.util.Map;

/**
 * A layer's name as a reader wants it: {@code ReLU}, {@code MaxPool 2x2}, {@code Flatten}, {@code
 * Linear}, not {@code LambdaBlock}. DJL's own function blocks carry a name ({@code "ReLU"}, {@code
 * "maxPool2d"}); a function added as a lambda ({@code .add(Activation::relu)}) has none, so it is
 * recognised by what it computes on a few probe values. dlkit's {@code UniformDropout} is {@code
 * Dropout}, as DJL's.
 */
public final class LayerNames {

    private static final Map<String, String> DJL_NAMES = Map.ofEntries(
            Map.entry("ReLU", "ReLU"), Map.entry("ReLU6", "ReLU6"), Map.entry("sigmoid", "Sigmoid"),
            Map.entry("Tanh", "Tanh"), Map.entry("softPlus", "Softplus"), Map.entry("softSign", "Softsign"),
            Map.entry("LeakyReLU", "LeakyReLU"), Map.entry("ELU", "ELU"), Map.entry("SELU", "SELU"),
            Map.entry("GELU", "GELU"), Map.entry("Swish", "Swish"), Map.entry("Mish", "Mish"),
            Map.entry("identity", "Identity"), Map.entry("batchFlatten", "Flatten"),
            Map.entry("globalMaxPool1d", "Global max pool"), Map.entry("globalMaxPool2d", "Global max pool"),
            Map.entry("globalAvgPool1d", "Global average pool"), Map.entry("globalAvgPool2d", "Global average pool"));

    private static final float[] PROBE = {-3f, -1f, -0.5f, 0f, 0.5f, 1f, 3f};

    private LayerNames() {}

    /**
     * The name of one layer.
     *
     * @param block the layer
     * @return e.g. {@code ReLU}, {@code MaxPool 2x2}, {@code Linear}, {@code Conv2d}
     */
    public static String of(Block block) {
        if (block instanceof UniformDropout) {
            return "Dropout"; // how it draws its mask is no matter for a report
        }
        if (!(block instanceof LambdaBlock lambda)) {
            String name = block.getClass().getSimpleName();
            return name.isEmpty() ? block.getClass().getName() : name;
        }
        String name = lambda.getName();
        if (DJL_NAMES.containsKey(name)) {
            return DJL_NAMES.get(name);
        }
        if (name.startsWith("maxPool") || name.startsWith("avgPool")) {
            Shape kernel = capturedShape(lambda);
            String kind = name.startsWith("max") ? "MaxPool" : "AvgPool";
            return kernel == null ? kind : kind + " " + kernel.toString().replaceAll("[() ]", "").replace(',', 'x');
        }
        if (!name.equals(LambdaBlock.DEFAULT_NAME) && !name.matches(".*\\$\\$Lambda.*|.*Lambda\\$.*")) {
            return name;
        }
        return probe(lambda);
    }

    /** The kernel a DJL pooling lambda captured (the first shape among its captured values). */
    private static Shape capturedShape(LambdaBlock block) {
        Object function = read(block, "lambda");
        for (Object f = function; f != null; ) {
            Object next = null;
            for (Field field : f.getClass().getDeclaredFields()) {
                Object v = read(f, field.getName());
                if (v instanceof Shape s) {
                    return s;
                }
                if (v instanceof java.util.function.Function<?, ?> inner && next == null && inner != f) {
                    next = inner;
                }
            }
            f = next;
        }
        return null;
    }

    private static Object read(Object target, String field) {
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(field);
                f.setAccessible(true);
                return f.get(target);
            } catch (NoSuchFieldException e) {
                // look further up
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    /** Recognises common functions by their values on a few points; else "function". */
    private static String probe(LambdaBlock block) {
        try (NDManager m = NDManager.newBaseManager();
                NoGradient scope = NoGradient.open()) {
            ParameterStore ps = new ParameterStore(m, false);
            NDArray images = m.arange(32f).reshape(1, 2, 4, 4);
            Shape pooled = block.forward(ps, new NDList(images), false).singletonOrThrow().getShape();
            if (pooled.equals(new Shape(1, 32))) {
                return "Flatten";
            }
            if (pooled.equals(new Shape(1, 2, 2, 2))) {
                float first = block.forward(ps, new NDList(images), false).singletonOrThrow().getFloat(0, 0, 0, 0);
                return first == 5f ? "MaxPool 2x2" : first == 2.5f ? "AvgPool 2x2" : "Pooling 2x2";
            }
            float[] y = block.forward(ps, new NDList(m.create(PROBE)), false).singletonOrThrow().toFloatArray();
            if (y.length != PROBE.length) {
                return "function";
            }
            if (matches(y, x -> Math.max(0, x))) {
                return "ReLU";
            }
            if (matches(y, Math::tanh)) {
                return "Tanh";
            }
            if (matches(y, x -> 1 / (1 + Math.exp(-x)))) {
                return "Sigmoid";
            }
            if (matches(y, x -> x)) {
                return "Identity";
            }
            if (y[3] == 0 && y[5] == 1 && y[0] < 0 && y[0] > -3) {
                double alpha = y[0] / -3.0;
                return matches(y, x -> x > 0 ? x : alpha * x)
                        ? "LeakyReLU(" + dlkit.display.Html.number(alpha) + ")" : "ELU-like";
            }
            return "function";
        } catch (RuntimeException e) {
            return "function";
        }
    }

    private static boolean matches(float[] y, java.util.function.DoubleUnaryOperator f) {
        for (int i = 0; i < PROBE.length; i++) {
            if (Math.abs(y[i] - f.applyAsDouble(PROBE[i])) > 1e-4) {
                return false;
            }
        }
        return true;
    }
}
