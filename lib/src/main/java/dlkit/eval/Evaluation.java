package dlkit.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dlkit.display.Html;
import dlkit.display.MimeBundle;
import dlkit.plot.Figure;
import dlkit.plot.ImageGrid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.tribuo.classification.evaluation.ConfusionMetrics;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * How well a classifier did on a labelled set: accuracy, top-k error, confusion matrix, per-class
 * precision/recall/F1, the most confused class pairs and the misclassified examples.
 *
 * <pre>{@code
 * Evaluation eval = Evaluation.of(logits, labels, classNames);  // logits [N, C], labels [N]
 * eval.accuracy();          // 0.912
 * eval.topKError(5);        // 0.004
 * eval.perClass();          // Tablesaw table: class, support, precision, recall, f1
 * eval.mostConfused(5);     // table: true, predicted, count
 * }</pre>
 *
 * <p>Scores may be logits or probabilities: only their order within a row matters. To run a DJL
 * model over a whole set, see {@link ModelEvaluator}.
 *
 * <p>Why not Tribuo's {@code LabelEvaluator}: it evaluates a Tribuo {@code Model} on a Tribuo
 * {@code Dataset}, and its {@code LabelConfusionMatrix} needs one {@code Prediction} (with an
 * {@code Example}) object per row and orders classes by its own label ids. Counting the matrix
 * from two int arrays is one loop, so we count it here and use Tribuo's {@link ConfusionMetrics}
 * for the precision/recall/F1 formulas (including its zero-denominator convention: 0).
 */
public final class Evaluation implements MimeBundle {

    private final float[] scores; // N x C, row-major
    private final int[] labels;
    private final int[] predicted;
    private final List<String> classNames;
    private final int[][] confusion;
    private final Double meanLoss;

    private Evaluation(float[] scores, int[] labels, List<String> classNames, Double meanLoss) {
        this.scores = scores;
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
        this.meanLoss = meanLoss;
        int classes = classNames.size();
        this.predicted = new int[labels.length];
        this.confusion = new int[classes][classes];
        for (int i = 0; i < labels.length; i++) {
            predicted[i] = argmax(i);
            confusion[labels[i]][predicted[i]]++;
        }
    }

    /**
     * Evaluates scores given as a Java array.
     *
     * @param scores one row per example, one score (logit or probability) per class
     * @param labels the true class index of each example
     * @param classNames one name per class, or {@code null} for "0", "1", ...
     * @return the evaluation
     * @throws IllegalArgumentException if the shapes disagree, a label is out of range or a score
     *     is NaN
     */
    public static Evaluation of(float[][] scores, int[] labels, List<String> classNames) {
        if (scores == null || labels == null) {
            throw new IllegalArgumentException("scores and labels must not be null");
        }
        requireNonEmpty(scores.length);
        int classes = scores[0].length;
        float[] flat = new float[scores.length * classes];
        for (int i = 0; i < scores.length; i++) {
            if (scores[i].length != classes) {
                throw new IllegalArgumentException(
                        "scores rows must all have one score per class: row 0 has "
                                + classes
                                + ", row "
                                + i
                                + " has "
                                + scores[i].length);
            }
            System.arraycopy(scores[i], 0, flat, i * classes, classes);
        }
        return of(flat, classes, labels, classNames, null);
    }

    /**
     * Evaluates scores given as an NDArray.
     *
     * @param scores logits or probabilities, shape {@code [N, C]}, any numeric type
     * @param labels true class indices, shape {@code [N]} (or {@code [N, 1]}), any numeric type
     * @param classNames one name per class, or {@code null} for "0", "1", ...
     * @return the evaluation
     * @throws IllegalArgumentException if the shapes disagree, a label is out of range or a score
     *     is NaN
     */
    public static Evaluation of(NDArray scores, NDArray labels, List<String> classNames) {
        if (scores.getShape().dimension() != 2) {
            throw new IllegalArgumentException(
                    "scores must have shape [N, classes], got "
                            + scores.getShape()
                            + "; for one example use scores.expandDims(0)");
        }
        int classes = Math.toIntExact(scores.getShape().get(1));
        float[] flat = scores.toType(DataType.FLOAT32, false).toFloatArray();
        return of(flat, classes, toIntLabels(labels), classNames, null);
    }

    /**
     * Evaluates flat row-major scores; used by {@link ModelEvaluator}.
     *
     * @param scores {@code N * classes} scores, row-major
     * @param classes the number of classes C
     * @param labels N true class indices
     * @param classNames C names, or {@code null}
     * @param meanLoss the mean loss over the set, or {@code null} if not known
     * @return the evaluation
     */
    static Evaluation of(
            float[] scores, int classes, int[] labels, List<String> classNames, Double meanLoss) {
        requireNonEmpty(labels.length);
        if (classes < 1) {
            throw new IllegalArgumentException("scores need at least one class column, got 0");
        }
        if (scores.length != (long) labels.length * classes) {
            throw new IllegalArgumentException(
                    "scores have "
                            + scores.length / classes
                            + " rows but there are "
                            + labels.length
                            + " labels: pass one score row per label");
        }
        List<String> names = classNames == null ? defaultNames(classes) : classNames;
        if (names.size() != classes) {
            throw new IllegalArgumentException(
                    "got "
                            + names.size()
                            + " class names for "
                            + classes
                            + " score columns: pass one name per class (or null for 0..C-1)");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(
                        "label "
                                + labels[i]
                                + " at index "
                                + i
                                + " is not a class index in [0, "
                                + classes
                                + ")");
            }
        }
        for (int i = 0; i < scores.length; i++) {
            if (Float.isNaN(scores[i])) {
                throw new IllegalArgumentException(
                        "score row "
                                + i / classes
                                + " contains NaN: the model diverged or its input has NaNs"
                                + " (a smaller learning rate often helps)");
            }
        }
        return new Evaluation(scores, labels.clone(), names, meanLoss);
    }

    /**
     * A copy of this evaluation that also reports a mean loss (computed elsewhere).
     *
     * @param loss the mean loss over the same examples
     * @return a new evaluation
     */
    public Evaluation withMeanLoss(double loss) {
        return new Evaluation(scores, labels, classNames, loss);
    }

    /**
     * The number of examples evaluated.
     *
     * @return N
     */
    public int size() {
        return labels.length;
    }

    /**
     * The class names, in index order.
     *
     * @return C names
     */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * The true class of every example.
     *
     * @return N class indices, a copy
     */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * The predicted class (highest score) of every example.
     *
     * @return N class indices, a copy
     */
    public int[] predicted() {
        return predicted.clone();
    }

    /**
     * The fraction of examples whose highest-scoring class is the true class.
     *
     * @return accuracy in [0, 1]
     */
    public double accuracy() {
        long correct = IntStream.range(0, labels.length).filter(i -> predicted[i] == labels[i]).count();
        return correct / (double) labels.length;
    }

    /**
     * The fraction of examples whose true class is not among the {@code k} highest scores. A tie
     * with the true class's score counts in its favour.
     *
     * @param k how many top classes count as a hit, 1 to C
     * @return top-k error in [0, 1]; {@code topKError(1) == 1 - accuracy()} up to ties
     */
    public double topKError(int k) {
        int classes = classNames.size();
        if (k < 1 || k > classes) {
            throw new IllegalArgumentException(
                    "k must be between 1 and the number of classes (" + classes + "), got " + k);
        }
        long misses = 0;
        for (int i = 0; i < labels.length; i++) {
            float own = scores[i * classes + labels[i]];
            int higher = 0;
            for (int c = 0; c < classes; c++) {
                if (scores[i * classes + c] > own) {
                    higher++;
                }
            }
            if (higher >= k) {
                misses++;
            }
        }
        return misses / (double) labels.length;
    }

    /**
     * The mean loss, when it was computed or given.
     *
     * @return the mean loss, or empty
     */
    public OptionalDouble meanLoss() {
        return meanLoss == null ? OptionalDouble.empty() : OptionalDouble.of(meanLoss);
    }

    /**
     * The confusion matrix (counts, and normalised by true class).
     *
     * @return rows: true class, columns: predicted class
     */
    public Confusion confusion() {
        int[][] copy = new int[confusion.length][];
        for (int i = 0; i < confusion.length; i++) {
            copy[i] = confusion[i].clone();
        }
        return new Confusion(copy, classNames);
    }

    /**
     * Per-class results: columns {@code class}, {@code support} (true examples), {@code accuracy}
     * (the fraction of the class's examples classified right, the same number as {@code recall}),
     * {@code precision}, {@code recall} and {@code f1}.
     *
     * @return one row per class, in class order
     */
    public Table perClass() {
        int classes = classNames.size();
        int[] support = new int[classes];
        double[] precision = new double[classes];
        double[] recall = new double[classes];
        double[] f1 = new double[classes];
        for (int c = 0; c < classes; c++) {
            double tp = confusion[c][c];
            double fn = Arrays.stream(confusion[c]).sum() - tp;
            double fp = -tp;
            for (int[] row : confusion) {
                fp += row[c];
            }
            double tn = labels.length - tp - fn - fp;
            support[c] = (int) (tp + fn);
            precision[c] = ConfusionMetrics.precision(tp, fp, tn, fn);
            recall[c] = ConfusionMetrics.recall(tp, fp, tn, fn);
            f1[c] = ConfusionMetrics.f1(tp, fp, tn, fn);
        }
        return Table.create(
                "per class",
                StringColumn.create("class", classNames),
                IntColumn.create("support", support),
                DoubleColumn.create("accuracy", recall.clone()),
                DoubleColumn.create("precision", precision),
                DoubleColumn.create("recall", recall),
                DoubleColumn.create("f1", f1));
    }

    /**
     * The off-diagonal cells of the confusion matrix with the highest counts.
     *
     * @param n how many pairs at most
     * @return columns {@code true}, {@code predicted}, {@code count}; largest count first, ties in
     *     class order; only pairs that actually occur
     */
    public Table mostConfused(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, got " + n);
        }
        List<int[]> pairs = new ArrayList<>();
        for (int t = 0; t < confusion.length; t++) {
            for (int p = 0; p < confusion.length; p++) {
                if (t != p && confusion[t][p] > 0) {
                    pairs.add(new int[] {t, p, confusion[t][p]});
                }
            }
        }
        pairs.sort((a, b) -> Integer.compare(b[2], a[2])); // stable: ties stay in class order
        List<int[]> top = pairs.subList(0, Math.min(n, pairs.size()));
        return Table.create(
                "most confused",
                StringColumn.create("true", top.stream().map(r -> classNames.get(r[0]))),
                StringColumn.create("predicted", top.stream().map(r -> classNames.get(r[1]))),
                IntColumn.create("count", top.stream().mapToInt(r -> r[2]).toArray()));
    }

    /**
     * Several evaluations side by side, e.g. one per model on the same test set.
     *
     * @param evaluations name to evaluation, in row order
     * @return columns {@code model, examples, accuracy, average loss, top-1 error, top-5 error}
     */
    public static Table table(Map<String, Evaluation> evaluations) {
        StringColumn model = StringColumn.create("model");
        IntColumn examples = IntColumn.create("examples");
        DoubleColumn accuracy = DoubleColumn.create("accuracy");
        DoubleColumn loss = DoubleColumn.create("average loss");
        DoubleColumn top1 = DoubleColumn.create("top-1 error");
        DoubleColumn top5 = DoubleColumn.create("top-5 error");
        evaluations.forEach((name, e) -> {
            model.append(name);
            examples.append(e.size());
            accuracy.append(e.accuracy());
            loss.append(e.meanLoss().orElse(Double.NaN));
            top1.append(e.topKError(1));
            top5.append(e.classNames().size() > 5 ? e.topKError(5) : Double.NaN);
        });
        return Table.create("evaluations", model, examples, accuracy, loss, top1, top5);
    }

    /**
     * A grid of the first misclassified images with their true and predicted labels.
     *
     * @param images the evaluated images, {@code [N, C, H, W]} or {@code [N, H, W]}, in the same order
     * @param limit how many to show at most
     * @return the figure
     */
    public Figure misclassifiedGrid(NDArray images, int limit) {
        if (images.getShape().get(0) != size()) {
            throw new IllegalArgumentException(
                    "the evaluation has " + size() + " examples but images has " + images.getShape().get(0));
        }
        int[] wrong = misclassified(limit);
        if (wrong.length == 0) {
            throw new IllegalArgumentException("nothing to show: every example is classified correctly");
        }
        // Copy only the selected images to Java, not the whole set.
        try (NDArray selected = images.get(images.getManager().create(wrong))) {
            int[] labels = labels();
            int[] predicted = predicted();
            return ImageGrid.of(selected)
                    .labels(java.util.Arrays.stream(wrong).map(i -> labels[i]).toArray())
                    .predicted(java.util.Arrays.stream(wrong).map(i -> predicted[i]).toArray())
                    .classNames(classNames())
                    .title("Misclassified examples")
                    .figure();
        }
    }

    /**
     * Indices of misclassified examples, in dataset order.
     *
     * @param limit how many at most
     * @return example indices where prediction and label differ
     */
    public int[] misclassified(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, got " + limit);
        }
        return IntStream.range(0, labels.length)
                .filter(i -> predicted[i] != labels[i])
                .limit(limit)
                .toArray();
    }

    /**
     * The scores of one example.
     *
     * @param index example index
     * @return its C scores, a copy
     */
    public float[] scores(int index) {
        int classes = classNames.size();
        return Arrays.copyOfRange(scores, index * classes, (index + 1) * classes);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        long correct = Math.round(accuracy() * labels.length);
        text.append(String.format("accuracy %.4f (%d/%d)", accuracy(), correct, labels.length));
        if (classNames.size() > 5) {
            text.append(String.format(", top-5 error %.4f", topKError(5)));
        }
        if (meanLoss != null) {
            text.append(String.format(", mean loss %.4f", meanLoss));
        }
        return text.toString();
    }

    @Override
    public Map<String, String> toMimeBundle() {
        Map<String, String> bundle = new LinkedHashMap<>();
        bundle.put("text/html", "<p>" + Html.escape(toString()) + "</p>" + Html.table(perClass()));
        bundle.put("text/plain", toString() + "\n" + Html.text(perClass()));
        return bundle;
    }

    private int argmax(int row) {
        int classes = classNames.size();
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (scores[row * classes + c] > scores[row * classes + best]) {
                best = c;
            }
        }
        return best;
    }

    static int[] toIntLabels(NDArray labels) {
        long[] shape = labels.getShape().getShape();
        boolean column = shape.length == 2 && shape[1] == 1;
        if (shape.length != 1 && !column) {
            throw new IllegalArgumentException(
                    "labels must have shape [N] (class indices), got "
                            + labels.getShape()
                            + "; for one-hot labels use labels.argMax(1)");
        }
        double[] values = labels.toType(DataType.FLOAT64, false).toDoubleArray();
        int[] result = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] != Math.rint(values[i])) {
                throw new IllegalArgumentException(
                        "labels must be whole class indices, found " + values[i] + " at index " + i);
            }
            result[i] = (int) values[i];
        }
        return result;
    }

    private static void requireNonEmpty(int n) {
        if (n == 0) {
            throw new IllegalArgumentException("nothing to evaluate: got 0 examples");
        }
    }

    private static List<String> defaultNames(int classes) {
        return IntStream.range(0, classes).mapToObj(String::valueOf).collect(Collectors.toList());
    }
}
