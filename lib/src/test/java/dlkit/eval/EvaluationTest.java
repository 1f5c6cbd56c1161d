package dlkit.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.loss.Loss;
import dlkit.engine.Engines;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class EvaluationTest {

    // Seven examples, three classes. Predicted (argmax) per row: 0 1 1 2 2 1 1.
    static final float[][] SCORES = {
        {2, 1, 0}, // label 0, right
        {0.1f, 0.5f, 0.4f}, // label 0, wrong (true class ranks 3rd)
        {0, 3, 1}, // label 1, right
        {1, 0, 2}, // label 1, wrong (ranks 3rd)
        {0, 1, 5}, // label 2, right
        {0, 2, 1}, // label 2, wrong (ranks 2nd)
        {0, 3, 0}, // label 0, wrong (ranks 2nd, tied with class 2)
    };
    static final int[] LABELS = {0, 0, 1, 1, 2, 2, 0};
    static final List<String> NAMES = List.of("cat", "dog", "bird");

    private final Evaluation eval = Evaluation.of(SCORES, LABELS, NAMES);

    @Test
    void accuracyAndTopK() {
        assertEquals(3.0 / 7, eval.accuracy(), 1e-12);
        assertEquals(4.0 / 7, eval.topKError(1), 1e-12);
        assertEquals(2.0 / 7, eval.topKError(2), 1e-12); // rows 1 and 3 rank the truth 3rd
        assertEquals(0.0, eval.topKError(3), 1e-12);
        assertArrayEquals(new int[] {0, 1, 1, 2, 2, 1, 1}, eval.predicted());
        assertTrue(eval.meanLoss().isEmpty());
        assertEquals(0.25, eval.withMeanLoss(0.25).meanLoss().getAsDouble());
    }

    @Test
    void confusionCountsAndNormalised() {
        Confusion confusion = eval.confusion();
        assertArrayEquals(new int[] {1, 2, 0}, confusion.counts()[0]);
        assertArrayEquals(new int[] {0, 1, 1}, confusion.counts()[1]);
        assertArrayEquals(new int[] {0, 1, 1}, confusion.counts()[2]);
        assertArrayEquals(new double[] {1.0 / 3, 2.0 / 3, 0}, confusion.normalized()[0], 1e-12);
        assertArrayEquals(new double[] {0, 0.5, 0.5}, confusion.normalized()[2], 1e-12);
        Table table = confusion.table();
        assertEquals(List.of("true", "cat", "dog", "bird"), table.columnNames());
        assertEquals(2, table.intColumn("dog").get(0)); // true cat, predicted dog
    }

    @Test
    void perClassPrecisionRecallF1() {
        Table perClass = eval.perClass();
        assertEquals(List.of("class", "support", "accuracy", "precision", "recall", "f1"), perClass.columnNames());
        assertEquals(List.of("cat", "dog", "bird"), perClass.stringColumn("class").asList());
        assertArrayEquals(new int[] {3, 2, 2}, perClass.intColumn("support").asIntArray());
        // cat: predicted once, right once; dog: predicted 4 times, right once; bird: 2 and 1.
        assertArrayEquals(new double[] {1.0, 0.25, 0.5}, perClass.doubleColumn("precision").asDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {1.0 / 3, 0.5, 0.5}, perClass.doubleColumn("recall").asDoubleArray(), 1e-12);
        // f1 = 2pr/(p+r): cat 2(1/3)/(4/3) = 0.5; dog 2(1/8)/(3/4) = 1/3; bird 0.5
        assertArrayEquals(new double[] {0.5, 1.0 / 3, 0.5}, perClass.doubleColumn("f1").asDoubleArray(), 1e-12);
    }

    @Test
    void mostConfusedAndMisclassified() {
        Table top = eval.mostConfused(2);
        assertEquals(2, top.rowCount());
        assertEquals(List.of("cat", "dog"), top.stringColumn("true").asList());
        assertEquals(List.of("dog", "bird"), top.stringColumn("predicted").asList());
        assertArrayEquals(new int[] {2, 1}, top.intColumn("count").asIntArray());
        assertEquals(3, eval.mostConfused(10).rowCount(), "only pairs that occur");
        assertArrayEquals(new int[] {1, 3, 5, 6}, eval.misclassified(100));
        assertArrayEquals(new int[] {1, 3}, eval.misclassified(2));
    }

    @Test
    void textAndHtml() {
        assertTrue(eval.toString().startsWith("accuracy 0.4286 (3/7)"), eval::toString);
        String html = eval.toMimeBundle().get("text/html");
        assertTrue(html.contains(">precision</th>") && html.contains("bird"), html);
    }

    @Test
    void defaultClassNamesAreIndices() {
        assertEquals(List.of("0", "1", "2"), Evaluation.of(SCORES, LABELS, null).classNames());
    }

    @Test
    void badInputIsExplained() {
        assertMessage("1 class names", () -> Evaluation.of(SCORES, LABELS, List.of("a")));
        assertMessage("6 labels", () -> Evaluation.of(SCORES, new int[] {0, 0, 1, 1, 2, 2}, NAMES));
        assertMessage("0 examples", () -> Evaluation.of(new float[0][], new int[0], null));
        assertMessage("label 3 at index 1", () -> Evaluation.of(new float[][] {{1, 0, 0}, {0, 1, 0}}, new int[] {0, 3}, null));
        assertMessage("row 1 has 2", () -> Evaluation.of(new float[][] {{1, 0, 0}, {0, 1}}, new int[] {0, 1}, null));
        assertMessage("NaN", () -> Evaluation.of(new float[][] {{1, Float.NaN}}, new int[] {0}, null));
        assertMessage("between 1 and the number of classes (3), got 4", () -> eval.topKError(4));
        assertMessage("got 0", () -> eval.topKError(0));
        assertMessage("at least 1", () -> eval.mostConfused(0));
    }

    @Test
    void ndArrayInputAndModelEvaluatorAgree() {
        Engines.startQuietly();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray scores = scores(manager);
            NDArray labels = manager.create(LABELS).toType(DataType.INT64, false);
            Evaluation fromArrays = Evaluation.of(scores, labels, NAMES);
            assertEquals(3.0 / 7, fromArrays.accuracy(), 1e-12);

            // An identity block whose "logits" are the scores, run in batches of 3 (3 + 3 + 1).
            LambdaBlock identity = new LambdaBlock(list -> list);
            identity.initialize(manager, DataType.FLOAT32, new Shape(3, 3));
            Evaluation run = ModelEvaluator.builder()
                    .optBatchSize(3)
                    .optClassNames(NAMES)
                    .build()
                    .evaluate(identity, scores, labels);
            assertArrayEquals(fromArrays.predicted(), run.predicted());
            assertEquals(fromArrays.topKError(2), run.topKError(2));
            // Mean softmax cross-entropy, by hand: log(sum exp(s)) - s[label].
            double expected = 0;
            for (int i = 0; i < SCORES.length; i++) {
                double sum = 0;
                for (float s : SCORES[i]) {
                    sum += Math.exp(s);
                }
                expected += Math.log(sum) - SCORES[i][LABELS[i]];
            }
            expected /= SCORES.length;
            assertEquals(expected, run.meanLoss().getAsDouble(), 1e-5);
            // A loss of one's own in double precision: a 0-d float32 times a Java double is a float64.
            Loss halfInDouble = new Loss("half") {
                @Override
                public NDArray evaluate(NDList l, NDList p) {
                    return Loss.softmaxCrossEntropyLoss().evaluate(l, p).mul(0.5);
                }
            };
            assertEquals(expected / 2, ModelEvaluator.builder().optLoss(halfInDouble).build()
                    .evaluate(identity, scores, labels).meanLoss().getAsDouble(), 1e-5);

            assertMessage("shape [N]", () -> Evaluation.of(scores, scores, NAMES));
            assertMessage("7 examples but labels have 2", () -> ModelEvaluator.builder().build()
                    .evaluate(identity, scores, labels.get("0:2")));
        }
    }

    @Test
    void aClassPerPositionIsEvaluatedPositionByPosition() {
        Engines.startQuietly();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray rows = scores(manager);
            NDArray labels = manager.create(LABELS).toType(DataType.FLOAT32, false);
            LambdaBlock identity = new LambdaBlock(list -> list);
            identity.initialize(manager, DataType.FLOAT32, new Shape(1, 7, 3));
            Evaluation expected = ModelEvaluator.builder().build().evaluate(identity, rows, labels);

            // A tagger: one example of 7 steps, classes last.
            Evaluation steps = ModelEvaluator.builder().optBatchSize(1).build()
                    .evaluate(identity, rows.reshape(1, 7, 3), labels.reshape(1, 7));
            assertArrayEquals(expected.predicted(), steps.predicted());
            assertEquals(expected.meanLoss().getAsDouble(), steps.meanLoss().getAsDouble(), 1e-6);

            // A segmenter: one image of 1 x 7 pixels, classes on axis 1 (channels first).
            NDArray pixels = rows.transpose().reshape(1, 3, 1, 7);
            assertEquals(1, Positions.classAxis(pixels.getShape(), new Shape(1, 1, 7)));
            Evaluation image = ModelEvaluator.builder().build().evaluate(identity, pixels, labels.reshape(1, 1, 7));
            assertArrayEquals(expected.predicted(), image.predicted());
            assertArrayEquals(expected.confusion().counts()[2], image.confusion().counts()[2]);
            assertEquals(expected.meanLoss().getAsDouble(), image.meanLoss().getAsDouble(), 1e-6);

            assertEquals(-1, Positions.classAxis(new Shape(2, 7, 3), new Shape(2, 6)));
            assertMessage("labels (1, 6)", () -> ModelEvaluator.builder().build()
                    .evaluate(identity, rows.reshape(1, 7, 3), labels.get("0:6").reshape(1, 6)));
        }
    }

    /** {@link #SCORES} as an array of shape (7, 3). */
    private static NDArray scores(NDManager manager) {
        float[] flat = new float[SCORES.length * 3];
        for (int i = 0; i < SCORES.length; i++) {
            System.arraycopy(SCORES[i], 0, flat, 3 * i, 3);
        }
        return manager.create(flat, new Shape(SCORES.length, 3));
    }

    static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), () -> "message was: " + e.getMessage());
    }
}
