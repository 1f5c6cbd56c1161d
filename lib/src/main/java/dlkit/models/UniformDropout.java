package dlkit.models;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dlkit.engine.Generator;
import dlkit.engine.TorchOps;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Locale;

/**
 * Dropout, as DJL's {@code Dropout} and PyTorch's {@code nn.Dropout}: in training each value is
 * zeroed with probability {@code rate} and the others are scaled by {@code 1 / (1 - rate)}; at
 * inference the block passes its input through. Every dlkit model uses it.
 *
 * <pre>{@code
 * new SequentialBlock().add(Linear.builder().setUnits(128).build()).add(Activation.reluBlock())
 *         .add(new UniformDropout(0.25f))
 * }</pre>
 *
 * <p>Why not DJL's block: it calls libtorch's dropout, which draws its mask with a vectorised
 * generator only on Intel processors (through MKL) and one value at a time elsewhere. On an AMD
 * processor that took 5.8 ms of the optimizer CNN's 22 ms training step, more than all its
 * convolutions. This block keeps a value where a 16-bit random number is below {@code 65536 * (1 -
 * rate)}, rounded ({@link TorchOps#dropout}): the same probability to within 1/65536, at a
 * fraction of the cost (benchmarks/PERFORMANCE.md). Where dlkit's libtorch operations are
 * unavailable, it compares uniform numbers in [0, 1) with {@code 1 - rate} instead.
 * Saved parameters are in DJL's {@code Dropout} format, so checkpoints load into either block.
 */
public final class UniformDropout extends AbstractBlock {

    /** DJL's {@code Dropout} format version: input shapes only. */
    private static final byte VERSION = 2;

    private final float rate;

    /**
     * Creates the block.
     *
     * @param rate the probability of zeroing each value in training, in [0, 1); 0 passes the input through
     * @throws IllegalArgumentException when {@code rate} is outside [0, 1)
     */
    public UniformDropout(float rate) {
        super(VERSION);
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException("dropout rate " + rate + " is outside [0, 1): it is the fraction of"
                    + " values zeroed in training, e.g. new UniformDropout(0.25f); 1 would zero every value");
        }
        this.rate = rate;
    }

    /**
     * The probability of zeroing each value in training.
     *
     * @return a rate in [0, 1)
     */
    public float rate() {
        return rate;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        if (!training || rate == 0f) {
            return inputs;
        }
        NDArray x = inputs.singletonOrThrow();
        float keep = 1f - rate;
        // On a GPU libtorch draws random numbers in parallel: nothing to save there.
        // Drawn through Generator: in a fit, from the epoch's own stream (the same masks beside other fits).
        if (TorchOps.available() && !x.getDevice().isGpu()) {
            return new NDList(Generator.draw(() -> TorchOps.dropout(x, keep, x.getManager())));
        }
        NDArray mask;
        try (NDArray uniform = Generator.draw(
                        () -> x.getManager().randomUniform(0f, 1f, x.getShape(), x.getDataType(), x.getDevice()));
                NDArray kept = uniform.lt(keep)) {
            mask = kept.toType(x.getDataType(), false).muli(1f / keep);
        }
        return new NDList(x.mul(mask));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != 1) { // DJL's version 1 saved nothing
            super.loadMetadata(loadVersion, is);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "UniformDropout(rate=%s)", rate);
    }
}
