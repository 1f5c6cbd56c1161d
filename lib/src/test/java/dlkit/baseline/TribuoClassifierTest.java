package dlkit.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dlkit.data.ImageDataset;
import dlkit.data.Normalization;
import dlkit.data.TinyImages;
import dlkit.eval.Confusion;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.ConfusionMatrix;
import tech.tablesaw.api.Table;

class TribuoClassifierTest {

    @TempDir
    Path tmp;

    @Test
    void convertsImagesPixelForPixel() {
        try (ImageDataset data = TinyImages.load(tmp, 20, 10, Normalization.CENTERED)) {
            MutableDataset<Label> ds = TribuoData.of(data.train());
            assertEquals(20, ds.size());
            assertEquals(784, ds.getFeatureMap().size());
            assertEquals(data.train().labelName(3), ds.getExample(3).getOutput().getLabel());
            float[] pixels = data.train().pixels(3);
            ds.getExample(3).forEach(f -> {
                int p = Integer.parseInt(f.getName().substring(2));
                assertEquals(pixels[p], f.getValue(), 1e-6, f.getName());
            });
            assertEquals("px000", TribuoData.featureNames(784)[0]);
            assertEquals("px783", TribuoData.featureNames(784)[783]);
        }
    }

    @Test
    void linearBaselineLearnsAndTribuoEvaluationAgreesWithItsConfusionMatrix() {
        try (ImageDataset data = TinyImages.load(tmp, 300, 100, Normalization.CENTERED)) {
            TribuoClassifier linear = TribuoClassifier.train(TribuoClassifier.linearSgd(3, 541), data.train());
            assertTrue(linear.toString().contains("LinearSGDTrainer"), linear.toString());
            assertEquals(785 * 10, linear.parameters());
            TribuoEvaluation eval = linear.evaluate(data.test());
            assertTrue(eval.accuracy() > 0.8, "accuracy " + eval.accuracy());

            Confusion confusion = eval.confusion();
            ConfusionMatrix<Label> tribuo = eval.tribuo().getConfusionMatrix();
            List<String> names = data.classNames();
            int correct = 0;
            for (int t = 0; t < names.size(); t++) {
                for (int p = 0; p < names.size(); p++) {
                    assertEquals(tribuo.confusion(new Label(names.get(p)), new Label(names.get(t))),
                            confusion.count(t, p), 0, names.get(t) + " as " + names.get(p));
                }
                correct += confusion.count(t, t);
            }
            assertEquals(correct / 100.0, eval.accuracy(), 1e-9);

            Table perClass = eval.perClass();
            assertEquals(10, perClass.rowCount());
            assertEquals(100, perClass.intColumn("support").sum(), 0);
            assertTrue(eval.toMimeBundle().get("text/html").contains("<table"));
        }
    }

    @Test
    void rejectsZeroEpochs() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TribuoClassifier.linearSgd(0, 1));
        assertTrue(e.getMessage().contains("epochs"), e.getMessage());
    }
}
