package dlkit.tune;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One configuration of a {@link Grid}: a value for every axis, in axis order.
 *
 * @param values axis name to value
 */
public record GridConfig(Map<String, Object> values) {

    /**
     * The value of an axis.
     *
     * @param axis the axis name
     * @return its value in this configuration
     */
    public Object get(String axis) {
        if (!values.containsKey(axis)) {
            throw new IllegalArgumentException("no axis '" + axis + "'; the axes are " + values.keySet());
        }
        return values.get(axis);
    }

    /**
     * The value of a whole-number axis.
     *
     * @param axis the axis name
     * @return its value
     */
    public int getInt(String axis) {
        return ((Number) get(axis)).intValue();
    }

    /**
     * The value of a numeric axis as a float.
     *
     * @param axis the axis name
     * @return its value
     */
    public float getFloat(String axis) {
        return ((Number) get(axis)).floatValue();
    }

    /**
     * The value of an axis as text, e.g. a name that picks a model or an initialiser.
     *
     * @param axis the axis name
     * @return its value
     */
    public String getString(String axis) {
        return String.valueOf(get(axis));
    }

    /** A name for files and run names, e.g. {@code layers2-width10}. */
    String slug() {
        return values.entrySet().stream()
                .map(e -> e.getKey() + String.valueOf(e.getValue()).toLowerCase(Locale.ROOT))
                .collect(Collectors.joining("-")).replaceAll("[^A-Za-z0-9._-]+", "_");
    }

    @Override
    public String toString() {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }
}
