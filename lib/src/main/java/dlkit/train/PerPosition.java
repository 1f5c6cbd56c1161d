package dlkit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import dlkit.eval.Positions;
import java.util.List;
import java.util.Locale;

/**
 * Class labels per position rather than per example: a tag for every step of a sequence (labels
 * {@code (N, steps)}, outputs {@code (N, steps, classes)}) or a class for every pixel (labels
 * {@code (N, H, W)}, outputs {@code (N, classes, H, W)}). DJL's softmax cross-entropy and accuracy
 * handle them when told which axis holds the classes ({@link Positions#classAxis} finds it);
 * {@link Preflight} uses this class to check that the loss and the evaluators use it, and the
 * training loop to give the loss the labels in the layout it takes ({@link #loss}).
 */
final class PerPosition {

    private PerPosition() {}

    /**
     * What stops the loss or an evaluator from comparing the classes on {@code axis}, with the fix.
     *
     * @return the problem, or null when both use that axis
     */
    static String problem(Loss loss, List<Evaluator> evaluators, Shape predicted, Shape labels, int axis) {
        String layout = String.format(Locale.ROOT, "The labels %s hold a class index per position and the model"
                + " outputs %s, the classes on axis %d", labels, predicted, axis);
        if (loss instanceof SoftmaxCrossEntropyLoss) {
            int lossAxis = normalized(Description.setting(loss, "classAxis", -1), predicted);
            if (lossAxis != axis) {
                return String.format(Locale.ROOT, "%s, but the loss takes the classes on axis %d: use new"
                        + " SoftmaxCrossEntropyLoss(\"loss\", 1f, %d, true, true).", layout, lossAxis, axis);
            }
        }
        for (Evaluator e : evaluators) {
            if (LabelCheck.comparesClasses(e)) {
                int evaluatorAxis = normalized(Description.setting(e, "axis", 1), predicted);
                if (evaluatorAxis != axis) {
                    return String.format(Locale.ROOT, "%s, but %s '%s' compares classes on axis %d: give it the"
                            + " axis, e.g. new Accuracy(\"accuracy\", %d).", layout, e.getClass().getSimpleName(),
                            e.getName(), evaluatorAxis, axis);
                }
            }
        }
        return null;
    }

    /**
     * The loss of a batch. DJL's softmax cross-entropy picks per-position class indices only with a
     * class axis of size 1 ({@code (N, steps, 1)}), where accuracy wants them without it ({@code (N,
     * steps)}): labels per position get that axis for the loss alone. Other labels pass as they are.
     */
    static NDArray loss(Loss loss, NDList labels, NDList predictions) {
        if (loss instanceof SoftmaxCrossEntropyLoss && Description.setting(loss, "sparseLabel", true)
                && labels.size() == 1 && predictions.size() == 1) {
            NDArray label = labels.head();
            int axis = Positions.classAxis(predictions.head().getShape(), label.getShape());
            if (axis > 0) {
                try (NDArray withAxis = label.expandDims(axis)) {
                    return loss.evaluate(new NDList(withAxis), predictions);
                }
            }
        }
        return loss.evaluate(labels, predictions);
    }

    private static int normalized(int axis, Shape predicted) {
        return axis < 0 ? axis + predicted.dimension() : axis;
    }
}
