package dlkit.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * PReLU as PyTorch's {@code nn.PReLU()}: {@code max(0, x) + a * min(0, x)} with one learnt slope
 * {@code a} starting at 0.25. Written with plain array ops because DJL's own {@code Prelu} block
 * calls an op the PyTorch engine does not implement ("Not implemented").
 */
public final class ParametricRelu extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Parameter alpha;

    /** Creates the block; its slope is initialised to 0.25. */
    public ParametricRelu() {
        super(VERSION);
        // WEIGHT, like PyTorch's "weight": the seed's L2 on "weights" decays it too
        alpha = addParameter(Parameter.builder()
                .setName("alpha")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1))
                .optInitializer(new ConstantInitializer(0.25f))
                .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray a = parameterStore.getValue(alpha, x.getDevice(), training);
        return new NDList(x.maximum(0f).add(x.minimum(0f).mul(a)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public String toString() {
        return "ParametricRelu()";
    }
}
