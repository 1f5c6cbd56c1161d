package dlkit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import java.util.Locale;

/**
 * The loss of one batch as training, validation, scoring and the run key compute and read it:
 * labels per position in the layout the loss takes ({@link PerPosition#loss}), one number, of
 * whatever floating type a hand-written loss computes in. In PyTorch a 0-d float32 times a Java
 * double is a float64 ({@code l2.mul(0.1)}), which DJL's {@code getFloat()} refuses: {@link #value}
 * reads it. (The backward pass takes it as it is: DJL's cast to float32 would drop the gradient.)
 */
final class BatchLoss {

    private BatchLoss() {}

    /**
     * The batch's loss.
     *
     * @throws IllegalArgumentException when the loss gives more than one number
     */
    static NDArray of(Loss loss, NDList labels, NDList predictions) {
        return one(loss, PerPosition.loss(loss, labels, predictions));
    }

    /**
     * The value itself, refused when it is more than one number.
     *
     * @throws IllegalArgumentException naming the loss and what it gave
     */
    static NDArray one(Loss loss, NDArray value) {
        if (value.size() != 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "The loss %s gives %d values (shape %s)"
                    + " for a batch, where a loss gives one number: end its evaluate with .mean(), as DJL's"
                    + " losses do (the batch's mean).", loss.getName(), value.size(), value.getShape()));
        }
        return value;
    }

    /** The number, read whatever its type (DJL's {@code toArray} boxes any type). */
    static float value(NDArray loss) {
        return loss.toArray()[0].floatValue();
    }
}
