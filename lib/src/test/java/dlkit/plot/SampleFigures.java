package dlkit.plot;

import dlkit.eval.Evaluation;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * Synthetic data for plot tests, and a main that saves every kind of figure for a visual check:
 * {@code java -cp ... dlkit.plot.SampleFigures target/sample-figures}.
 */
final class SampleFigures {

    static final List<String> FASHION = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private SampleFigures() {}

    /** An epoch history with the training helper's columns; validation decays slower. */
    static Table history(double rate, int epochs) {
        double[] trainLoss = new double[epochs];
        double[] valLoss = new double[epochs];
        double[] trainAcc = new double[epochs];
        double[] valAcc = new double[epochs];
        int[] epoch = new int[epochs];
        for (int e = 0; e < epochs; e++) {
            epoch[e] = e + 1;
            trainLoss[e] = 2.3 * Math.exp(-rate * (e + 1)) + 0.2;
            valLoss[e] = 2.3 * Math.exp(-rate * 0.8 * (e + 1)) + 0.3 + 0.01 * e;
            trainAcc[e] = 1 - trainLoss[e] / 2.6;
            valAcc[e] = 1 - valLoss[e] / 2.6;
        }
        return Table.create("history",
                IntColumn.create("epoch", epoch),
                DoubleColumn.create("train_loss", trainLoss),
                DoubleColumn.create("train_accuracy", trainAcc),
                DoubleColumn.create("val_loss", valLoss),
                DoubleColumn.create("val_accuracy", valAcc));
    }

    /** A noisy per-batch loss table. */
    static Table batches(int steps) {
        Random random = new Random(7);
        int[] step = new int[steps];
        int[] epoch = new int[steps];
        double[] loss = new double[steps];
        for (int i = 0; i < steps; i++) {
            step[i] = i + 1;
            epoch[i] = 1 + i / 100;
            loss[i] = (2.3 * Math.exp(-i / 120.0) + 0.25) * (1 + 0.35 * random.nextGaussian() * 0.5);
            loss[i] = Math.max(0.05, loss[i]);
        }
        return Table.create("batches", IntColumn.create("step", step), IntColumn.create("epoch", epoch),
                DoubleColumn.create("loss", loss));
    }

    /** Fake 10-class predictions: mostly right, with shirt/T-shirt and coat/pullover mix-ups. */
    static Evaluation evaluation(int n) {
        Random random = new Random(3);
        float[][] scores = new float[n][10];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
            int predicted = labels[i];
            double r = random.nextDouble();
            if (labels[i] == 6 && r < 0.35) {
                predicted = 0;
            } else if (labels[i] == 4 && r < 0.2) {
                predicted = 2;
            } else if (r < 0.06) {
                predicted = random.nextInt(10);
            }
            for (int c = 0; c < 10; c++) {
                scores[i][c] = (float) random.nextGaussian();
            }
            scores[i][predicted] += 5;
        }
        return Evaluation.of(scores, labels, FASHION);
    }

    /** Blobby 28x28 grey "images" in [0, 1]. */
    static float[] images(int n) {
        float[] pixels = new float[n * 28 * 28];
        for (int i = 0; i < n; i++) {
            double cx = 8 + (i * 5) % 12;
            double cy = 8 + (i * 3) % 12;
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    double d = Math.hypot(x - cx, y - cy);
                    pixels[i * 784 + y * 28 + x] = (float) Math.max(0, 1 - d / (6 + i % 5));
                }
            }
        }
        return pixels;
    }

    static Map<String, Table> runs() {
        Map<String, Table> runs = new LinkedHashMap<>();
        runs.put("SGD", history(0.15, 20));
        runs.put("Momentum", history(0.3, 20));
        runs.put("Adam", history(0.5, 20));
        return runs;
    }

    public static void main(String[] args) {
        Path folder = Paths.get(args.length > 0 ? args[0] : "target/sample-figures");
        Evaluation eval = evaluation(1000);
        LearningCurves.of(runs()).figure().saveTo(folder, "curves-loss", "png", "svg", "pdf");
        LearningCurves.of(runs()).metric("accuracy").title("Validation accuracy by optimizer").figure()
                .saveTo(folder, "curves-accuracy", "png", "svg");
        LearningCurves.of(batches(600)).smoothing(0.9).logScale().figure().saveTo(folder, "batches", "png", "svg");
        Figure.grid(2, LearningCurves.of(history(0.3, 15)).figure(),
                        LearningCurves.of(history(0.3, 15)).metric("accuracy").figure())
                .saveTo(folder, "grid", "png");
        Plots.groupedBar("Per-class scores", eval.perClass(), "class", "precision", "recall", "f1")
                .saveTo(folder, "per-class", "png", "svg");
        Plots.bar("Test accuracy", List.of("SGD", "Momentum", "Adam"), new double[] {0.81, 0.86, 0.88})
                .saveTo(folder, "bar", "png");
        Random random = new Random(1);
        float[][] points = new float[600][2];
        int[] labels = new int[600];
        for (int i = 0; i < 600; i++) {
            labels[i] = i % 10;
            points[i][0] = (float) (Math.cos(labels[i] * 0.63) * 3 + random.nextGaussian() * 0.6);
            points[i][1] = (float) (Math.sin(labels[i] * 0.63) * 3 + random.nextGaussian() * 0.6);
        }
        Plots.scatter("Latent space", points, labels, FASHION).saveTo(folder, "scatter", "png", "svg");
        eval.confusion().heatMap().saveTo(folder, "confusion", "png", "svg");
        eval.confusion().heatMap(true).saveTo(folder, "confusion-fractions", "png");
        int[] truth = new int[16];
        int[] predicted = new int[16];
        for (int i = 0; i < 16; i++) {
            truth[i] = i % 10;
            predicted[i] = i % 3 == 0 ? (i + 4) % 10 : i % 10;
        }
        ImageGrid.of(images(16), 16, 1, 28, 28).labels(truth).predicted(predicted).classNames(FASHION)
                .title("Test images").figure().saveTo(folder, "images", "png", "svg");
        System.out.println("saved to " + folder.toAbsolutePath());
    }
}
