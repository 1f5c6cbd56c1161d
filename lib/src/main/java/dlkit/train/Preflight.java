package dlkit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.loss.L1Loss;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import dlkit.engine.NoGradient;
import dlkit.engine.TorchOps;
import java.util.Locale;

/**
 * Checks data, model, loss and evaluators against each other before any training, in well under a
 * second: every mistake that would otherwise surface as a raw engine error after an epoch (or never,
 * as silently wrong numbers) is reported here with what was expected, what was given and what to do.
 *
 * <p>What it checks: the training and validation examples have the same shape, are finite and go
 * through the model; the labels suit the model's outputs, the loss and the evaluators ({@link
 * LabelCheck}: the classic missing flatten before a {@code Linear} layer on images, class indices in
 * range, one-hot rows where the loss would silently pick garbage, a class per position); the loss
 * does not broadcast outputs against labels, is not given probabilities from a model's own softmax,
 * and early stopping watches a column the history will have.
 */
final class Preflight {

    /** What training needs to know from the checks. */
    record Result(boolean fusedLoss, boolean labelRows) {}

    private final Fit fit;
    private final Block block;
    private final NDManager manager;

    private Preflight(Fit fit, Block block, NDManager manager) {
        this.fit = fit;
        this.block = block;
        this.manager = manager;
    }

    /**
     * Runs every check on an initialised block.
     *
     * @return whether the fused cross-entropy applies and whether labels are rows of class scores
     * @throws IllegalArgumentException naming the data set, the expected and the actual shape or value
     */
    static Result check(Fit fit, Block block, NDManager manager) {
        try (NDManager m = manager.newSubManager();
                NoGradient scope = NoGradient.open()) {
            return new Preflight(fit, block, m).run();
        }
    }

    private Result run() {
        checkLossSettings();
        checkEarlyStopping();
        if (Math.min(fit.batchSize, fit.train.size()) == 1 && TorchOps.contains(block, ai.djl.nn.norm.BatchNorm.class)) {
            fail("The model has batch norm, which cannot train on batches of one example (PyTorch: \"Expected more"
                    + " than 1 value per channel when training\"), and %s. Use a batch size of 2 or more, or a model"
                    + " without batch norm.", fit.train.size() == 1 ? "there is one training example"
                    : "the batch size is 1");
        }
        checkFinite("training", fit.train);
        if (fit.validation != null) {
            checkFinite("validation", fit.validation);
        }
        NDList[] train = batch(fit.train);
        NDList out = forward(train[0], "training");
        LabelCheck labels = new LabelCheck(fit);
        boolean rows = labels.check("training", fit.train, train[0], out.head());
        if (fit.validation != null) {
            checkSameShape("features", fit.train.inputShape(1), fit.validation.inputShape(1));
            checkSameShape("labels", fit.train.labelShape(), fit.validation.labelShape());
            NDList[] val = batch(fit.validation);
            NDList valOut = forward(val[0], "validation");
            labels.check("validation", fit.validation, val[0], valOut.head());
        }
        float reference = lossValue(train[1], out);
        checkLossEvaluators(train[1], out, rows);
        checkBroadcast(train[1], out, reference);
        checkSoftmaxTwice(out.head());
        return new Result(fusedLossApplies(out, train[1], reference), rows);
    }

    /** The first examples: 8, so that a loss that mixes examples up shows it (see checkBroadcast). */
    private NDList[] batch(Source source) {
        int n = Math.min(8, source.size());
        return source.batch(manager, java.util.stream.IntStream.range(0, n).toArray(), 0, n);
    }

    private NDList forward(NDList x, String what) {
        checkFeatureType(x.head(), what);
        try {
            return block.forward(new ParameterStore(manager, false), x, false);
        } catch (RuntimeException e) {
            DataType given = x.head().getDataType();
            if (!given.isFloating() && String.valueOf(e.getMessage()).contains("dtype")) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "The %s features are %s and do not go"
                        + " through the model, whose parameters are %s: convert them with x.toType(DataType.FLOAT32,"
                        + " false). (%s)", what, given, floatingParameterType(), firstLine(e)), e);
            }
            // PyTorch's words for a reshape to a fixed size, the usual way a model ties itself to one batch size
            String fixedBatch = String.valueOf(e.getMessage()).contains("is invalid for input of size")
                    ? String.format(Locale.ROOT, " The check runs a batch of %d examples, and the last batch of an epoch"
                            + " is smaller than the others: if the model reshapes to a fixed batch size, let the"
                            + " first axis follow the input, e.g. x.reshape(-1, ...) or x.reshape(x.getShape().get(0),"
                            + " ...).", x.head().getShape().get(0)) : "";
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "Shape mismatch between model and data: %s features of shape %s do not go through the model. (%s)%s",
                    what, x.head().getShape(), firstLine(e), fixedBatch), e);
        }
    }

    /**
     * Float64 features meet float32 weights: PyTorch's "mat1 and mat2 must have the same dtype".
     * Integer features are left to the forward pass: an embedding takes them.
     */
    private void checkFeatureType(NDArray features, String what) {
        DataType weights = floatingParameterType();
        DataType given = features.getDataType();
        if (weights != null && given.isFloating() && given != weights) {
            fail("The %s features are %s, but the model's parameters are %s: convert the features once, before"
                    + " training, with x.toType(DataType.%s, false).", what, given, weights, weights.name());
        }
    }

    private DataType floatingParameterType() {
        return block.getParameters().values().stream().map(p -> p.getArray().getDataType())
                .filter(DataType::isFloating).findFirst().orElse(null);
    }

    private void checkLossSettings() {
        if (fit.loss instanceof L1Loss && Description.setting(fit.loss, "weight", 1f) != 1f) {
            // DJL 0.35's L1Loss returns weight * label when the weight is not 1: no gradient at all.
            fail("L1Loss with a weight other than 1 computes weight x label in DJL %s, not a loss: use"
                    + " new L1Loss(\"l1\", 1f) and scale the learning rate instead.", ai.djl.engine.Engine.getDjlVersion());
        }
    }

    private void checkEarlyStopping() {
        if (fit.earlyStopping == null) {
            return;
        }
        java.util.List<String> metrics = new java.util.ArrayList<>();
        fit.evaluators.forEach(e -> metrics.add(History.columnName(e.getName())));
        java.util.List<String> columns = new History(metrics, fit.validation != null).columns();
        if (!columns.contains(fit.earlyStopping.column())) {
            fail("Early stopping watches '%s', but the history will have the columns %s%s.", fit.earlyStopping.column(),
                    columns, fit.earlyStopping.column().startsWith("val_") && fit.validation == null
                            ? ": give validation data with optValidation(...)" : "");
        }
    }

    private void checkSameShape(String what, Shape train, Shape validation) {
        Shape a = what.equals("features") ? train.slice(1) : train;
        Shape b = what.equals("features") ? validation.slice(1) : validation;
        if (!a.equals(b)) {
            fail("The validation %s have shape %s per example, but the training %s (and so the model) have %s:"
                    + " give both data sets examples of the same shape.", what, b, what, a);
        }
    }

    static String shapeText(Shape s) {
        return java.util.Arrays.toString(s.getShape()).replaceAll("[\\[\\]]", "");
    }

    private float lossValue(NDList labels, NDList out) {
        return lossValue(fit.loss, labels, out);
    }

    /** A loss's value on a batch; refused with the reason when it cannot compare them or is not one number. */
    private static float lossValue(Loss loss, NDList labels, NDList out) {
        NDArray value;
        try {
            value = PerPosition.loss(loss, labels, out);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "The loss %s cannot compare model output %s with labels %s. (%s)", loss.getName(),
                    out.head().getShape(), labels.head().getShape(), firstLine(e)), e);
        }
        return BatchLoss.value(BatchLoss.one(loss, value));
    }

    /** Losses among the evaluators are read as batch means too: each must give one number. */
    private void checkLossEvaluators(NDList labels, NDList out, boolean rows) {
        for (Evaluator e : fit.evaluators) {
            if (e instanceof Loss loss) {
                lossValue(loss, LabelCheck.labelsFor(e, labels, rows), out);
            }
        }
    }

    /**
     * NaN or infinite values in the data (a missing value, a division by zero in one's own
     * standardisation) make the first loss NaN, and the stop would blame the learning rate. A sum
     * is finite when every value is, so the exact count is only needed when it is not.
     */
    private void checkFinite(String what, Source source) {
        NDArray[] arrays = source.checkArrays(manager);
        String[] names = {"features", "labels"};
        for (int i = 0; i < arrays.length; i++) {
            NDArray a = arrays[i];
            if (!a.getDataType().isFloating()) {
                continue;
            }
            try (NDArray sum = a.sum()) { // made in the data's manager: closed here
                if (Double.isFinite(sum.toType(DataType.FLOAT64, false).getDouble())) {
                    continue;
                }
            }
            NDArray bad = a.isNaN().logicalOr(a.isInfinite());
            bad.attach(manager);
            long count = bad.sum().getLong();
            if (count == 0) {
                continue; // finite values whose sum overflowed
            }
            long row = 0;
            if (a.getShape().dimension() > 0) {
                NDArray perExample = bad.toType(DataType.INT32, false).reshape(a.getShape().get(0), -1).sum(new int[] {1});
                row = perExample.gt(0).toType(DataType.INT32, false).argMax().getLong();
            }
            fail("The %s %s hold %d NaN or infinite values (the first in example %d): a missing value, or a"
                    + " division by zero in the data's preparation (a standardisation of a constant column, say)."
                    + " Training would stop at its first step. Fix or drop those examples first"
                    + " (Examples.standardized leaves constant columns finite).", what, names[i], count, row);
        }
    }

    /**
     * A model that ends in a softmax, trained with softmax cross-entropy, applies softmax twice:
     * it trains, slowly and to a worse model (PyTorch's nn.Softmax before CrossEntropyLoss). Rows of
     * fresh outputs that are all probabilities summing to 1 come from nothing else.
     */
    private void checkSoftmaxTwice(NDArray out) {
        if (!(fit.loss instanceof SoftmaxCrossEntropyLoss) || !Description.setting(fit.loss, "fromLogit", true)
                || out.getShape().dimension() != 2 || out.getShape().get(1) < 2 || !out.getDataType().isFloating()) {
            return;
        }
        boolean probabilities = out.min().getFloat() >= 0 && out.max().getFloat() <= 1
                && out.sum(new int[] {1}).sub(1).abs().max().getFloat() < 1e-4f;
        if (probabilities) {
            fail("The model's outputs are probabilities (each row is at least 0 and sums to 1), so it ends in a"
                    + " softmax; softmax cross-entropy applies softmax itself, and twice trains slowly to a worse"
                    + " model. Remove the model's last softmax: the loss wants scores (logits), and"
                    + " run.predict(x).softmax(1) gives the probabilities after training.");
        }
    }

    /**
     * A loss that subtracts labels {@code (N)} from outputs {@code (N, 1)} gets an {@code (N, N)}
     * table by broadcasting and trains every output towards the labels' mean, silently (PyTorch's
     * MSELoss warns of it). The same values in the output's shape, or the outputs in the labels'
     * shape, must give the same loss.
     */
    private void checkBroadcast(NDList labels, NDList out, float reference) {
        if (labels.size() != 1 || out.size() != 1) {
            return;
        }
        Shape predicted = out.head().getShape();
        Shape given = labels.head().getShape();
        if (given.equals(predicted) || given.size() != predicted.size() || !sameValues(given, predicted)) {
            return;
        }
        float reshaped = lossValue(new NDList(labels.head().reshape(predicted)), out);
        // A loss that reshapes the outputs to the labels' shape is right for the labels as given.
        float outputsReshaped = lossValue(labels, new NDList(out.head().reshape(given)));
        if (!close(reshaped, reference) && !close(outputsReshaped, reference)) {
            fail("The loss %s gives %s for labels of shape %s but %s for the same labels in the model's output"
                    + " shape %s: it broadcasts one against the other (outputs (N, 1) minus labels (N) make an"
                    + " (N, N) table), and training would only learn the labels' mean. Give labels of the output's"
                    + " shape (labels.reshape(-1, %s)), or reshape them inside the loss:"
                    + " labels.head().reshape(predictions.head().getShape()).", fit.loss.getName(),
                    shortNumber(reference), perExample(given), shortNumber(reshaped), perExample(predicted),
                    shapeText(predicted.slice(1)));
        }
    }

    private static boolean close(float a, float b) {
        return Math.abs(a - b) <= 1e-4f * Math.max(1f, Math.abs(a));
    }

    /** A batch's shape with N for its first axis: (N, 1). */
    private static String perExample(Shape s) {
        return "(N" + (s.dimension() > 1 ? ", " + shapeText(s.slice(1)) : "") + ")";
    }

    /**
     * Whether this fit's loss is DJL's softmax cross-entropy with its defaults (class axis last,
     * logits, sparse labels, weight 1), which {@link TorchOps#crossEntropy} computes in 2 native
     * calls instead of 6 or so; checked by value too: the two losses must agree on the check batch.
     */
    private boolean fusedLossApplies(NDList out, NDList labels, float reference) {
        if (!(fit.loss instanceof SoftmaxCrossEntropyLoss) || !TorchOps.available() || out.size() != 1
                || labels.size() != 1 || out.head().getShape().dimension() != 2
                || labels.head().size() != out.head().getShape().get(0)) {
            return false;
        }
        try {
            float fused = TorchOps.crossEntropy(out.head(), labels.head(), manager).getFloat();
            return Math.abs(fused - reference) <= 1e-5f * Math.max(1f, Math.abs(reference));
        } catch (RuntimeException e) {
            return false; // labels DJL's pick accepts but PyTorch's does not: keep DJL's
        }
    }

    /** Whether two shapes hold the same values up to axes of size 1 (DJL's L1/L2 reshape the labels). */
    static boolean sameValues(Shape a, Shape b) {
        return squeeze(a).equals(squeeze(b));
    }

    private static Shape squeeze(Shape s) {
        Shape out = new Shape();
        for (long d : s.getShape()) {
            if (d != 1) {
                out = out.add(d);
            }
        }
        return out;
    }

    static String shortNumber(double v) {
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("\\.?0+(e|$)", "$1");
    }

    private static String firstLine(RuntimeException e) {
        String m = String.valueOf(e.getMessage());
        int cut = m.indexOf('\n');
        return cut < 0 ? m : m.substring(0, cut);
    }

    static void fail(String format, Object... args) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, format, args));
    }
}
