package dlkit.landscape;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * How a block's trainable parameters line up in one flat vector: the order, names and shapes, so a
 * snapshot can be read out of a model and written back into it in place.
 *
 * <p>Only parameters that take gradients count (like PyTorch's {@code requires_grad}); running
 * statistics of a BatchNorm stay as they are in the block.
 */
public final class ParameterLayout {

    private final List<String> names;
    private final List<Shape> shapes;
    private final int[] offsets;
    private final int size;

    private ParameterLayout(List<String> names, List<Shape> shapes) {
        this.names = Collections.unmodifiableList(names);
        this.shapes = Collections.unmodifiableList(shapes);
        offsets = new int[names.size() + 1];
        for (int i = 0; i < names.size(); i++) {
            offsets[i + 1] = Math.addExact(offsets[i], Math.toIntExact(shapes.get(i).size()));
        }
        size = offsets[names.size()];
    }

    /**
     * Reads the layout of an initialised block.
     *
     * @param block a trained or initialised block
     * @return its layout
     * @throws IllegalArgumentException if the block has no initialised trainable parameters
     */
    public static ParameterLayout of(Block block) {
        List<String> names = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter parameter = p.getValue();
            if (!parameter.requiresGradient()) {
                continue;
            }
            if (!parameter.isInitialized()) {
                throw new IllegalArgumentException("parameter " + p.getKey() + " of the block is not initialised:"
                        + " train the block (Fit) or call block.initialize(...) first");
            }
            names.add(p.getKey());
            shapes.add(parameter.getArray().getShape());
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("the block has no trainable parameters");
        }
        return new ParameterLayout(names, shapes);
    }

    /**
     * Number of values in the flat vector.
     *
     * @return the total parameter count
     */
    public int size() {
        return size;
    }

    /**
     * Number of parameter tensors.
     *
     * @return how many named parameters
     */
    public int count() {
        return names.size();
    }

    /**
     * The parameter names, in flat-vector order.
     *
     * @return e.g. {@code 01Linear_weight}
     */
    public List<String> names() {
        return names;
    }

    /**
     * The shape of one parameter.
     *
     * @param index from 0 to {@link #count()} - 1
     * @return its shape
     */
    public Shape shape(int index) {
        return shapes.get(index);
    }

    /**
     * Where one parameter starts in the flat vector.
     *
     * @param index from 0 to {@link #count()} - 1
     * @return its first position
     */
    public int offset(int index) {
        return offsets[index];
    }

    /**
     * Copies the block's current parameters into a new flat vector.
     *
     * @param block a block with this layout
     * @return the flat parameters
     * @throws IllegalArgumentException if the block's parameters do not match this layout
     */
    public float[] read(Block block) {
        List<NDArray> arrays = arrays(block);
        float[] flat = new float[size];
        for (int i = 0; i < arrays.size(); i++) {
            float[] values = arrays.get(i).toType(DataType.FLOAT32, false).toFloatArray();
            System.arraycopy(values, 0, flat, offsets[i], values.length);
        }
        return flat;
    }

    /**
     * Writes a flat vector into the block's parameter arrays in place: the model is not rebuilt,
     * so this is cheap enough to do for every point of a grid.
     *
     * @param flat values in this layout's order
     * @param block a block with this layout
     * @throws IllegalArgumentException if the vector's length or the block does not match
     */
    public void write(float[] flat, Block block) {
        requireLength(flat, "the parameter vector");
        List<NDArray> arrays = arrays(block);
        for (int i = 0; i < arrays.size(); i++) {
            arrays.get(i).set(FloatBuffer.wrap(flat, offsets[i], offsets[i + 1] - offsets[i]));
        }
    }

    /**
     * Checks that a flat vector has this layout's length.
     *
     * @param flat the vector
     * @param what how to name it in the message
     * @throws IllegalArgumentException naming both lengths
     */
    public void requireLength(float[] flat, String what) {
        if (flat.length != size) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s has %,d values but the model has %,d trainable parameters: it was recorded from"
                            + " a different model", what, flat.length, size));
        }
    }

    /** The block's trainable arrays in layout order, after checking names and shapes. */
    private List<NDArray> arrays(Block block) {
        List<NDArray> arrays = new ArrayList<>(names.size());
        List<String> seen = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (!p.getValue().requiresGradient()) {
                continue;
            }
            int i = arrays.size();
            seen.add(p.getKey());
            NDArray array = p.getValue().isInitialized() ? p.getValue().getArray() : null;
            if (i >= names.size() || !names.get(i).equals(p.getKey()) || array == null
                    || !shapes.get(i).equals(array.getShape())) {
                throw mismatch(block, i);
            }
            arrays.add(array);
        }
        if (arrays.size() != names.size()) {
            throw mismatch(block, arrays.size());
        }
        return arrays;
    }

    private IllegalArgumentException mismatch(Block block, int index) {
        String expected = index < names.size() ? names.get(index) + " " + shapes.get(index) : "nothing more";
        List<String> actual = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                Parameter v = p.getValue();
                actual.add(p.getKey() + " " + (v.isInitialized() ? v.getArray().getShape() : "(uninitialised)"));
            }
        }
        String found = index < actual.size() ? actual.get(index) : "nothing more";
        return new IllegalArgumentException("the parameters do not match the model: parameter " + (index + 1)
                + " should be " + expected + " but the block has " + found
                + ". Use the same architecture the snapshots were recorded from (block parameters: "
                + actual + ")");
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ParameterLayout(%d tensors, %,d values)", names.size(), size);
    }
}
