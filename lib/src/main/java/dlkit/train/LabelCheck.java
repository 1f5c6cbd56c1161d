package dlkit.train;

import static dlkit.train.Preflight.fail;
import static dlkit.train.Preflight.sameValues;
import static dlkit.train.Preflight.shapeText;
import static dlkit.train.Preflight.shortNumber;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.evaluator.AbstractAccuracy;
import ai.djl.training.evaluator.BinaryAccuracy;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.loss.L1Loss;
import ai.djl.training.loss.L2Loss;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SigmoidBinaryCrossEntropyLoss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import dlkit.eval.Positions;
import java.util.List;
import java.util.Locale;

/**
 * The part of {@link Preflight} that checks a data set's labels against the model's outputs, the
 * loss and the evaluators: class indices in range and whole, one-hot or probability rows where the
 * loss takes them, 0/1 labels of the output's shape for {@code BinaryAccuracy}, labels of the
 * output's shape for L1/L2, and a class per position ({@link PerPosition}). Each problem is an
 * {@code IllegalArgumentException} that names the data set, what was given and what to do.
 */
final class LabelCheck {

    private final Loss loss;
    private final List<Evaluator> evaluators;

    LabelCheck(Fit fit) {
        this.loss = fit.loss;
        this.evaluators = fit.evaluators;
    }

    /**
     * Checks one data set's labels.
     *
     * @param what "training" or "validation", for the messages
     * @param source the data set
     * @param x a batch of its features
     * @param out the model's output for that batch
     * @return whether the labels are rows of class scores (one-hot or probabilities)
     */
    boolean check(String what, Source source, NDList x, NDArray out) {
        Shape predicted = out.getShape();
        Shape labelShape = new Shape(predicted.get(0)).addAll(source.labelShape());
        Shape input = x.head().getShape();
        boolean sparseCrossEntropy = loss instanceof SoftmaxCrossEntropyLoss
                && Description.setting(loss, "sparseLabel", true);
        boolean accuracy = evaluators.stream().anyMatch(LabelCheck::comparesClasses);
        boolean rows = labelShape.dimension() == 2 && labelShape.equals(predicted);
        int positionClasses = Positions.classAxis(predicted, labelShape); // a sequence tagger, a segmenter
        if (positionClasses > 0 && (sparseCrossEntropy || accuracy)) {
            String problem = PerPosition.problem(loss, evaluators, predicted, labelShape, positionClasses);
            if (problem != null) {
                fail("%s", problem);
            }
            checkClassIndices(what, source, predicted.get(positionClasses), sparseCrossEntropy);
            return false;
        }
        if (sparseCrossEntropy || accuracy) {
            if (labelShape.dimension() == 1 && predicted.dimension() != 2) {
                fail("The model outputs %s for a batch of %d %s examples, but %s needs one row of class scores per"
                        + " example, (%d, classes).%s", predicted, predicted.get(0), what,
                        sparseCrossEntropy ? "softmax cross-entropy with one class label per example" : "Accuracy",
                        predicted.get(0), flattenHint(input, predicted));
            }
        }
        if (sparseCrossEntropy && rows) {
            fail("The %s labels have shape %s: a row of %d values per example (one-hot or probabilities), but"
                    + " Loss.softmaxCrossEntropyLoss() expects one class index per example. Pass labels.argMax(1)"
                    + " instead, or for probability targets use new SoftmaxCrossEntropyLoss(\"loss\", 1f, -1, false,"
                    + " true).", what, fullShape(source), predicted.get(1));
        }
        if ((sparseCrossEntropy || accuracy) && !rows && labelShape.dimension() == 1) {
            checkClassIndices(what, source, predicted.get(predicted.dimension() - 1), sparseCrossEntropy);
        }
        if (accuracy && rows) {
            checkScoreRows(what, source);
        }
        if (accuracy && labelShape.dimension() == 2 && labelShape.get(1) == 1 && predicted.get(predicted.dimension() - 1) > 1) {
            fail("Accuracy compares predicted classes with labels, but the %s labels have shape %s: a column of"
                    + " class indices, where one index per example is expected. Give them as shape (%d):"
                    + " labels.reshape(-1).", what, fullShape(source), source.size());
        }
        if (accuracy && labelShape.dimension() == 2 && !rows) {
            fail("Accuracy compares predicted classes with labels, but the %s labels have shape %s and the model"
                    + " outputs %s. Give one class index per example, or one-hot rows of the output's width.",
                    what, fullShape(source), predicted);
        }
        for (Evaluator e : evaluators) {
            if (e instanceof BinaryAccuracy binary) {
                checkBinary(what, source, binary, predicted, labelShape);
            }
        }
        if ((loss instanceof L2Loss || loss instanceof L1Loss) && !sameValues(predicted, labelShape)) {
            fail("Shape mismatch between model output %s and labels %s: an L1/L2 loss compares them element by"
                    + " element, so the model must output one value per label value.%s",
                    predicted, labelShape, flattenHint(input, predicted));
        }
        return rows;
    }

    private void checkClassIndices(String what, Source source, long classes, boolean crossEntropy) {
        double[] stats = source.labelStats();
        double min = stats[0];
        double max = stats[1];
        double notWhole = stats[2];
        String use = crossEntropy ? "softmax cross-entropy" : "Accuracy";
        if (!Double.isNaN(notWhole)) {
            fail("%s needs whole class indices 0..%d, but the %s labels include %s (not a whole number). For"
                    + " regression targets use Loss.l2Loss() and leave Accuracy out.", use, classes - 1, what,
                    shortNumber(notWhole));
        }
        if (min < 0) {
            fail("%s needs class indices from 0, but the %s labels include %s.", use, what, shortNumber(min));
        }
        if (max >= classes) {
            fail("Wrong class count: labels go up to %.0f (so at least %.0f classes) but the model outputs %d values"
                    + " per example. Make the last layer's output size the number of classes.%s", max, max + 1, classes,
                    classes == 1 && max == 1 ? " For one output per example and 0/1 labels (binary classification),"
                            + " use Loss.sigmoidBinaryCrossEntropyLoss() and new BinaryAccuracy() instead." : "");
        }
    }

    private void checkScoreRows(String what, Source source) {
        double[] stats = source.labelStats();
        if (stats[0] < 0 || !(stats[3] <= 1e-3)) {
            fail("Accuracy compares predicted classes, but the %s labels %s are neither class indices nor one-hot or"
                    + " probability rows (rows must be >= 0 and sum to 1). For regression targets leave Accuracy"
                    + " out.", what, fullShape(source));
        }
    }

    /**
     * DJL's BinaryAccuracy counts outputs {@code >= threshold} as 1 and needs labels of the output's
     * exact shape; with the default threshold 0 it suits logits, and silently calls every probability
     * a 1.
     */
    private void checkBinary(String what, Source source, BinaryAccuracy e, Shape predicted, Shape labelShape) {
        String name = e.getName();
        if (!labelShape.equals(predicted)) {
            fail("%s compares each output with a 0/1 label, so the labels need the output's shape: the model outputs"
                    + " %s for a batch, the %s labels are %s for it. %s", name, predicted, what, labelShape,
                    labelShape.size() == predicted.size() ? "Reshape the labels, e.g. labels.reshape(" + shapeText(
                            new Shape(-1).addAll(predicted.slice(1))) + ")." : "Make the model output one value per label.");
        }
        double[] stats = source.labelStats();
        if (stats[0] < 0 || stats[1] > 1 || !Double.isNaN(stats[2])) {
            fail("%s needs labels 0 or 1, but the %s labels go from %s to %s%s.", name, what, shortNumber(stats[0]),
                    shortNumber(stats[1]), Double.isNaN(stats[2]) ? "" : " and include " + shortNumber(stats[2]));
        }
        float threshold = Description.setting(e, "threshold", 0f);
        if (loss instanceof SigmoidBinaryCrossEntropyLoss && Description.setting(loss, "fromSigmoid", false)
                && threshold <= 0f) {
            fail("%s has the threshold %s, but the loss takes probabilities (fromSigmoid = true), which are all >= %s:"
                    + " every example would count as class 1. Use new BinaryAccuracy(0.5f).", name,
                    shortNumber(threshold), shortNumber(threshold));
        }
    }

    private static String flattenHint(Shape input, Shape predicted) {
        if (input.dimension() > 2 && predicted.dimension() > 2) {
            return String.format(Locale.ROOT, " The inputs %s have %d axes and Linear layers act on the last one only:"
                    + " flatten them first, e.g. start the model with Blocks.batchFlattenBlock() (Mlp does).",
                    input, input.dimension());
        }
        return "";
    }

    private static Shape fullShape(Source source) {
        return new Shape(source.size()).addAll(source.labelShape());
    }

    /** Class indices (float, like DJL's labels) of rows of class scores. */
    static NDArray classIndices(NDArray labelRows) {
        return labelRows.argMax(-1).toType(DataType.FLOAT32, false);
    }

    /** Whether an evaluator compares classes (and so needs class indices for label rows). */
    static boolean comparesClasses(Evaluator e) {
        return e instanceof AbstractAccuracy && !(e instanceof BinaryAccuracy);
    }

    /** The labels an evaluator gets: class indices instead of label rows for class comparisons. */
    static NDList labelsFor(Evaluator e, NDList labels, boolean rows) {
        return rows && comparesClasses(e) ? new NDList(classIndices(labels.head())) : labels;
    }
}
