package dlkit.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Locale;
import java.util.Objects;

/**
 * A permutation-equivariant linear layer for sets ("Deep Sets", Zaheer et al. 2017): for a set of N
 * elements with d values each,
 *
 * <pre>
 * y_i = Λ x_i + Γ pool(x_1 .. x_N) + b        pool = mean (default) or sum over the elements
 * </pre>
 *
 * <p>with Λ and Γ ({@code units x d}) and b ({@code units}) shared by all elements: 2·d·units +
 * units parameters. Input {@code (batch, N, d)}, output {@code (batch, N, units)}. Permuting the
 * elements of a set permutes its outputs the same way, and the same weights take sets of any size
 * (the mean keeps the pooled values on one scale whatever N is; the sum grows with N).
 *
 * <pre>{@code
 * EquivariantLinear.builder().setUnits(100).build()                        // mean pooling, with bias
 * EquivariantLinear.builder().setUnits(1).optPool(SetPool.SUM).build()
 * }</pre>
 */
public final class EquivariantLinear extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int units;
    private final SetPool pool;
    private final Parameter lambda;
    private final Parameter gamma;
    private final Parameter bias;

    private EquivariantLinear(Builder b) {
        super(VERSION);
        units = b.units;
        pool = b.pool;
        lambda = addParameter(Parameter.builder().setName("lambda").setType(Parameter.Type.WEIGHT).build());
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.WEIGHT).build());
        bias = b.bias ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build()) : null;
    }

    /**
     * Starts describing a layer.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (in.dimension() != 3) {
            throw new IllegalArgumentException("EquivariantLinear takes sets as (batch, elements, features), got " + in
                    + ": give each example as a set of elements, e.g. shape (N, 3) per example");
        }
        long features = in.get(2);
        lambda.setShape(new Shape(units, features));
        gamma.setShape(new Shape(units, features));
        if (bias != null) {
            bias.setShape(new Shape(units));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray l = store.getValue(lambda, x.getDevice(), training);
        NDArray g = store.getValue(gamma, x.getDevice(), training);
        NDArray pooled = pool.apply(x); // (batch, 1, d)
        NDArray points = bias == null ? Linear.linear(x, l).head()
                : Linear.linear(x, l, store.getValue(bias, x.getDevice(), training)).head();
        return new NDList(points.add(Linear.linear(pooled, g).head())); // the pooled term broadcast to every element
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), units)};
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "EquivariantLinear(units=%d, pool=%s, bias=%s)", units, pool, bias != null);
    }

    /** Describes an {@link EquivariantLinear}: set the units, change the optional parts, then {@link #build()}. */
    public static final class Builder {
        private int units;
        private SetPool pool = SetPool.MEAN;
        private boolean bias = true;

        private Builder() {}

        /**
         * Sets the number of outputs per element.
         *
         * @param units at least 1
         * @return this builder
         */
        public Builder setUnits(int units) {
            this.units = units;
            return this;
        }

        /**
         * Sets how the set is pooled (default {@link SetPool#MEAN}).
         *
         * @param pool mean or sum
         * @return this builder
         */
        public Builder optPool(SetPool pool) {
            this.pool = Objects.requireNonNull(pool, "pool");
            return this;
        }

        /**
         * Adds a bias (default true).
         *
         * @param bias whether to add b
         * @return this builder
         */
        public Builder optBias(boolean bias) {
            this.bias = bias;
            return this;
        }

        /**
         * Builds the layer.
         *
         * @return the layer, uninitialised
         * @throws IllegalArgumentException when no units were set
         */
        public EquivariantLinear build() {
            if (units < 1) {
                throw new IllegalArgumentException("EquivariantLinear: units must be at least 1, got " + units
                        + ": call setUnits(100)");
            }
            return new EquivariantLinear(this);
        }
    }
}
