package dlkit.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Saves and restores the state of a DJL optimizer (update counts, moments) for checkpoints.
 *
 * <p>Why reflection: DJL's optimizers keep their state in private maps ({@code updateCounts} and
 * {@code numUpdate} in {@link Optimizer}, {@code means}/{@code variances} in Adam, {@code
 * momentumStates} in Sgd/Nag, ...). Reading those maps keeps DJL's exact update rules and its fused
 * native update ops, with one generic piece of code for every optimizer; writing our own optimizers
 * would duplicate DJL's maths and need their own tests against it. The cost is a dependency on
 * field shapes, not names: every field typed {@code Map<String, Map<Device, NDArray>>} is state,
 * plus the two counters. If a DJL upgrade changes them, {@link #save} fails loudly and the
 * checkpoint test fails, never a silent wrong resume.
 *
 * <p>Keys: DJL keys state by parameter id, which is new in every session, so the state is stored
 * by parameter name (the block's parameter path) and mapped back on load.
 */
final class OptimizerState {

    private OptimizerState() {}

    /** Writes the optimizer's state; {@code idToName} maps parameter ids to stable names. */
    static void save(Optimizer optimizer, Map<String, String> idToName, DataOutputStream out)
            throws IOException {
        out.writeInt(getInt(optimizer, "numUpdate"));
        Map<String, Integer> counts = updateCounts(optimizer);
        out.writeInt(counts.size());
        for (Map.Entry<String, Integer> e : sortedByName(counts, idToName)) {
            out.writeUTF(name(idToName, e.getKey()));
            out.writeInt(e.getValue());
        }
        List<Field> fields = stateFields(optimizer.getClass());
        out.writeInt(fields.size());
        for (Field field : fields) {
            Map<String, Map<Device, NDArray>> state = stateMap(optimizer, field);
            out.writeUTF(field.getName());
            out.writeInt(state.size());
            for (Map.Entry<String, Map<Device, NDArray>> e : sortedByName(state, idToName)) {
                out.writeUTF(name(idToName, e.getKey()));
                // One device in dlkit: CPU (or the single default device).
                byte[] bytes = e.getValue().values().iterator().next().encode();
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
    }

    /** Restores state written by {@link #save}, replacing whatever the optimizer holds. */
    static void load(
            Optimizer optimizer,
            Map<String, String> nameToId,
            NDManager manager,
            Device device,
            DataInputStream in)
            throws IOException {
        close(optimizer);
        setInt(optimizer, "numUpdate", in.readInt());
        Map<String, Integer> counts = updateCounts(optimizer);
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            counts.put(id(nameToId, in.readUTF()), in.readInt());
        }
        int fieldCount = in.readInt();
        for (int f = 0; f < fieldCount; f++) {
            String fieldName = in.readUTF();
            Field field = stateFields(optimizer.getClass()).stream()
                    .filter(x -> x.getName().equals(fieldName))
                    .findFirst()
                    .orElseThrow(() -> new IOException(
                            "checkpoint holds optimizer state '" + fieldName + "' that "
                                    + optimizer.getClass().getSimpleName() + " does not have"));
            Map<String, Map<Device, NDArray>> state = stateMap(optimizer, field);
            int entries = in.readInt();
            for (int i = 0; i < entries; i++) {
                String id = id(nameToId, in.readUTF());
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                NDArray array = NDArray.decode(manager, bytes).toDevice(device, false);
                array.detach(); // DJL detaches optimizer state too; close() releases it
                Map<Device, NDArray> perDevice = new ConcurrentHashMap<>();
                perDevice.put(device, array);
                state.put(id, perDevice);
            }
        }
    }

    /** Releases the native memory of the optimizer's state arrays and clears the state. */
    static void close(Optimizer optimizer) {
        for (Field field : stateFields(optimizer.getClass())) {
            Map<String, Map<Device, NDArray>> state = stateMap(optimizer, field);
            state.values().forEach(m -> m.values().forEach(NDArray::close));
            state.clear();
        }
        updateCounts(optimizer).clear();
    }

    private static List<Field> stateFields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (isArrayStateMap(f.getGenericType())) {
                    f.setAccessible(true);
                    fields.add(f);
                }
            }
        }
        fields.sort(Comparator.comparing(Field::getName));
        return fields;
    }

    private static boolean isArrayStateMap(Type type) {
        if (!(type instanceof ParameterizedType)) {
            return false;
        }
        ParameterizedType p = (ParameterizedType) type;
        if (p.getRawType() != Map.class) {
            return false;
        }
        Type[] args = p.getActualTypeArguments();
        if (args[0] != String.class || !(args[1] instanceof ParameterizedType)) {
            return false;
        }
        ParameterizedType inner = (ParameterizedType) args[1];
        Type[] innerArgs = inner.getActualTypeArguments();
        return inner.getRawType() == Map.class
                && innerArgs[0] == Device.class
                && innerArgs[1] == NDArray.class;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<Device, NDArray>> stateMap(Optimizer optimizer, Field field) {
        try {
            return (Map<String, Map<Device, NDArray>>) field.get(optimizer);
        } catch (IllegalAccessException e) {
            throw incompatible(field.getName(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Integer> updateCounts(Optimizer optimizer) {
        try {
            return (Map<String, Integer>) baseField("updateCounts").get(optimizer);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw incompatible("updateCounts", e);
        }
    }

    private static int getInt(Optimizer optimizer, String name) {
        try {
            return baseField(name).getInt(optimizer);
        } catch (ReflectiveOperationException e) {
            throw incompatible(name, e);
        }
    }

    private static void setInt(Optimizer optimizer, String name, int value) {
        try {
            baseField(name).setInt(optimizer, value);
        } catch (ReflectiveOperationException e) {
            throw incompatible(name, e);
        }
    }

    private static Field baseField(String name) throws NoSuchFieldException {
        Field f = Optimizer.class.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    private static IllegalStateException incompatible(String field, Exception cause) {
        return new IllegalStateException(
                "dlkit cannot read DJL optimizer state '"
                        + field
                        + "' (DJL version changed?); checkpoints need dlkit updated for this DJL.",
                cause);
    }

    private static <V> List<Map.Entry<String, V>> sortedByName(
            Map<String, V> byId, Map<String, String> idToName) {
        Map<String, Map.Entry<String, V>> sorted = new TreeMap<>();
        for (Map.Entry<String, V> e : byId.entrySet()) {
            sorted.put(name(idToName, e.getKey()), e);
        }
        return new ArrayList<>(sorted.values());
    }

    private static String name(Map<String, String> idToName, String id) {
        String name = idToName.get(id);
        if (name == null) {
            throw new IllegalStateException("optimizer holds state for unknown parameter " + id);
        }
        return name;
    }

    private static String id(Map<String, String> nameToId, String name) throws IOException {
        String id = nameToId.get(name);
        if (id == null) {
            throw new IOException("checkpoint holds optimizer state for parameter '" + name
                    + "' that the model does not have");
        }
        return id;
    }
}
