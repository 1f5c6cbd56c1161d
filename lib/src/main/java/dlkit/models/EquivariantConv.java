package dlkit.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Locale;
import java.util.Objects;

/**
 * The same function as {@link EquivariantLinear}, written as seed 001 describes it: two 1-D
 * convolutions of kernel size 1 over the elements, a point path ({@code point}: Λ, no bias) on each
 * element and a pooled path ({@code pooled}: Γ and the bias) on the set's mean or sum, added to every
 * element. A kernel-size-1 convolution applies one matrix to every position, so the weights are
 * Λ and Γ stored as {@code (units, d, 1)}; the parameter count is the same, 2·d·units + units.
 * Input {@code (batch, N, d)}, output {@code (batch, N, units)}. {@code
 * DeepSets.builder()...optConvolutions(true)} builds its layers this way.
 */
public final class EquivariantConv extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int units;
    private final SetPool pool;
    private final Conv1d point;
    private final Conv1d pooled;

    /**
     * Creates the layer.
     *
     * @param units outputs per element, at least 1
     * @param pool how the set is pooled
     */
    EquivariantConv(int units, SetPool pool) {
        super(VERSION);
        if (units < 1) {
            throw new IllegalArgumentException("EquivariantConv: units must be at least 1, got " + units);
        }
        this.units = units;
        this.pool = Objects.requireNonNull(pool, "pool");
        point = addChildBlock("point", Conv1d.builder().setFilters(units).setKernelShape(new Shape(1)).optBias(false).build());
        pooled = addChildBlock("pooled", Conv1d.builder().setFilters(units).setKernelShape(new Shape(1)).build());
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        if (in.dimension() != 3) {
            throw new IllegalArgumentException("EquivariantConv takes sets as (batch, elements, features), got " + in);
        }
        point.initialize(manager, dataType, new Shape(in.get(0), in.get(2), in.get(1)));
        pooled.initialize(manager, dataType, new Shape(in.get(0), in.get(2), 1));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray channels = inputs.singletonOrThrow().transpose(0, 2, 1); // (batch, d, N): elements as positions
        NDArray perElement = point.forward(store, new NDList(channels), training).head();
        NDArray pooledSet = pool == SetPool.MEAN ? channels.mean(new int[] {2}, true) : channels.sum(new int[] {2}, true);
        NDArray perSet = pooled.forward(store, new NDList(pooledSet), training).head(); // (batch, units, 1)
        return new NDList(perElement.add(perSet).transpose(0, 2, 1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), units)};
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "EquivariantConv(units=%d, pool=%s)", units, pool);
    }
}
