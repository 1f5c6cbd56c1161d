package dlkit.baseline;

import dlkit.display.Html;
import dlkit.display.MimeBundle;
import dlkit.eval.Confusion;
import dlkit.eval.Evaluation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.ConfusionMatrix;
import org.tribuo.classification.evaluation.LabelEvaluation;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Tribuo's evaluation of a classifier, in dlkit's shapes: accuracy, a per-class table and the
 * confusion matrix in class order (so {@code Plots.confusion} draws it). Every figure comes from
 * Tribuo's {@link LabelEvaluation}; {@link #tribuo()} gives the original.
 */
public final class TribuoEvaluation implements MimeBundle {

    private final LabelEvaluation evaluation;
    private final List<String> classNames;

    TribuoEvaluation(LabelEvaluation evaluation, List<String> classNames) {
        this.evaluation = evaluation;
        this.classNames = List.copyOf(classNames);
    }

    /**
     * Tribuo's own evaluation object.
     *
     * @return the evaluation
     */
    public LabelEvaluation tribuo() {
        return evaluation;
    }

    /**
     * The share of examples classified correctly.
     *
     * @return accuracy in [0, 1]
     */
    public double accuracy() {
        return evaluation.accuracy();
    }

    /**
     * Per-class results from Tribuo: columns {@code class}, {@code support}, {@code precision},
     * {@code recall}, {@code f1}, in class order (the same columns as dlkit's {@code Evaluation.perClass()}).
     *
     * @return one row per class
     */
    public Table perClass() {
        int n = classNames.size();
        int[] support = new int[n];
        double[] precision = new double[n];
        double[] recall = new double[n];
        double[] f1 = new double[n];
        ConfusionMatrix<Label> cm = evaluation.getConfusionMatrix();
        for (int c = 0; c < n; c++) {
            Label label = new Label(classNames.get(c));
            support[c] = (int) cm.support(label);
            precision[c] = evaluation.precision(label);
            recall[c] = evaluation.recall(label);
            f1[c] = evaluation.f1(label);
        }
        return Table.create("per class (Tribuo)",
                StringColumn.create("class", classNames), IntColumn.create("support", support),
                DoubleColumn.create("precision", precision), DoubleColumn.create("recall", recall),
                DoubleColumn.create("f1", f1));
    }

    /**
     * The confusion matrix in class order, rows true classes, columns predictions; built from
     * Tribuo's predictions, so its counts equal Tribuo's {@code LabelConfusionMatrix}.
     *
     * @return the matrix, ready for {@code Plots.confusion}
     */
    public Confusion confusion() {
        List<Prediction<Label>> predictions = evaluation.getPredictions();
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int c = 0; c < classNames.size(); c++) {
            index.put(classNames.get(c), c);
        }
        float[][] scores = new float[predictions.size()][classNames.size()];
        int[] labels = new int[predictions.size()];
        for (int i = 0; i < predictions.size(); i++) {
            Prediction<Label> p = predictions.get(i);
            labels[i] = index.get(p.getExample().getOutput().getLabel());
            scores[i][index.get(p.getOutput().getLabel())] = 1; // one-hot: the matrix needs only the prediction
        }
        return Evaluation.of(scores, labels, classNames).confusion();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Tribuo evaluation: accuracy %.4f on %d examples, macro F1 %.4f%n%s",
                accuracy(), evaluation.getPredictions().size(), evaluation.macroAveragedF1(), dlkit.display.Html.text(perClass()));
    }

    @Override
    public Map<String, String> toMimeBundle() {
        Map<String, String> bundle = new LinkedHashMap<>();
        bundle.put("text/plain", toString());
        bundle.put("text/html", String.format(Locale.ROOT, "<p>Tribuo evaluation: accuracy %.4f on %d examples,"
                        + " macro F1 %.4f</p>", accuracy(), evaluation.getPredictions().size(),
                evaluation.macroAveragedF1()) + Html.table(perClass()));
        return bundle;
    }
}
