package dlkit.scratch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import dlkit.engine.Gradients;
import java.util.Locale;

/**
 * The hand-written gradients of a {@link ScratchNet} against DJL's automatic differentiation of the
 * same loss, both in float64: the relative error ||hand - auto|| / max(||hand||, ||auto||) per
 * weight matrix. Backpropagation written correctly agrees to about 1e-15; a wrong factor or a
 * missing transpose gives errors near 1.
 *
 * <pre>{@code
 * GradientCheck.of(net, x, labels)   // relative error W1 2.1e-16, W2 1.4e-16 (float64, 8 examples)
 * }</pre>
 *
 * @param w1 relative error of dL/dW1
 * @param w2 relative error of dL/dW2
 * @param examples the batch size checked
 */
public record GradientCheck(double w1, double w2, int examples) {

    /**
     * Compares the network's backpropagation with autograd on a batch, in float64 copies (the
     * network itself is not changed).
     *
     * @param net the network
     * @param x inputs, B x n (or images, flattened here)
     * @param labels class indices, B
     * @return the relative errors
     */
    public static GradientCheck of(ScratchNet net, NDArray x, NDArray labels) {
        return of(net, x, labels, net.objective());
    }

    /** As {@link #of(ScratchNet, NDArray, NDArray)}, autograd differentiating the given loss. */
    static GradientCheck of(ScratchNet net, NDArray x, NDArray labels, ScratchNet.Objective differentiated) {
        try (NDManager scope = NDManager.newBaseManager();
                ScratchNet exact = float64Copy(net, scope)) {
            NDArray x64 = exact.rows(x, scope);
            NDArray y = exact.oneHot(labels);
            y.attach(scope);
            ScratchNet.Gradients hand = exact.backward(x64, y, exact.forward(x64));

            NDArray w1 = exact.w1().duplicate();
            NDArray w2 = exact.w2().duplicate();
            w1.attach(scope);
            w2.attach(scope);
            w1.setRequiresGradient(true);
            w2.setRequiresGradient(true);
            try (Gradients collector = Gradients.open()) {
                collector.backward(loss(x64.matMul(w1), w2, y, differentiated));
            }
            return new GradientCheck(relative(hand.w1(), w1.getGradient()), relative(hand.w2(), w2.getGradient()),
                    Math.toIntExact(x.getShape().get(0)));
        }
    }

    private static ScratchNet float64Copy(ScratchNet net, NDManager scope) {
        NDArray w1 = net.w1().toType(DataType.FLOAT64, true);
        NDArray w2 = net.w2().toType(DataType.FLOAT64, true);
        w1.attach(scope);
        w2.attach(scope);
        return ScratchNet.builder().optWeights(w1, w2).optObjective(net.objective()).build();
    }

    /** The loss written directly, with no hand-derived step, for autograd to differentiate. */
    private static NDArray loss(NDArray z1, NDArray w2, NDArray y, ScratchNet.Objective objective) {
        NDArray a2 = Activation.sigmoid(Activation.sigmoid(z1).matMul(w2));
        NDArray perOutput = objective == ScratchNet.Objective.CROSS_ENTROPY
                ? y.mul(a2.log()).add(y.neg().add(1).mul(a2.neg().add(1).log())).neg()
                : a2.sub(y).square().mul(0.5);
        return perOutput.sum(new int[] {1}).mean();
    }

    private static double relative(NDArray a, NDArray b) {
        double difference = a.sub(b).norm().getDouble();
        double scale = Math.max(a.norm().getDouble(), b.norm().getDouble());
        return scale == 0 ? difference : difference / scale;
    }

    /**
     * The larger of the two errors.
     *
     * @return max(w1, w2)
     */
    public double max() {
        return Math.max(w1, w2);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "relative error W1 %.1e, W2 %.1e (float64, %d examples, against DJL's"
                + " autograd)", w1, w2, examples);
    }
}
