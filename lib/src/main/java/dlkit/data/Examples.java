package dlkit.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import dlkit.files.Digests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/**
 * Examples held as two arrays, features and labels (or targets), with a name that identifies them
 * for the run cache: what a fit trains on when the data is not a set of images.
 *
 * <pre>{@code
 * Examples all = Examples.friedman1(2_000, 1.0, 7, manager);
 * Examples[] parts = all.split(7, 0.6, 0.2, 0.2);    // train, validation, test
 * Fit.builder().setTrainData(parts[0]).optValidation(parts[1])...
 *
 * Table iris = Table.read().csv("iris.csv");           // your own data
 * Examples flowers = Examples.fromTable(iris, "species", manager);
 * List<String> species = Examples.labelNames(iris, "species");   // class i is species.get(i)
 * }</pre>
 *
 * @param features one row per example, first axis the examples
 * @param labels one label or target (row) per example
 * @param identity what the arrays are, for the run-cache key: change it whenever the data changes
 */
public record Examples(NDArray features, NDArray labels, String identity) {

    /** Checks that features and labels hold the same number of examples. */
    public Examples {
        if (features.getShape().get(0) != labels.getShape().get(0)) {
            throw new IllegalArgumentException("features have " + features.getShape().get(0)
                    + " examples but labels have " + labels.getShape().get(0));
        }
    }

    /**
     * The number of examples.
     *
     * @return N
     */
    public int size() {
        return Math.toIntExact(features.getShape().get(0));
    }

    /**
     * Splits the examples at random into consecutive parts of the given fractions.
     *
     * @param seed the shuffle's seed
     * @param fractions the parts' shares, positive, adding up to 1 (e.g. 0.6, 0.2, 0.2)
     * @return the parts, each with its own identity
     */
    public Examples[] split(long seed, double... fractions) {
        double total = Arrays.stream(fractions).sum();
        if (fractions.length < 2 || Arrays.stream(fractions).anyMatch(f -> !(f > 0)) || Math.abs(total - 1) > 1e-9) {
            throw new IllegalArgumentException("give two or more positive fractions that add up to 1, got "
                    + Arrays.toString(fractions));
        }
        int n = size();
        int[] order = Permutations.of(n, new Random(seed));
        Examples[] parts = new Examples[fractions.length];
        int start = 0;
        double cumulative = 0;
        for (int p = 0; p < fractions.length; p++) {
            cumulative += fractions[p];
            int end = p == fractions.length - 1 ? n : (int) Math.round(n * cumulative);
            if (end <= start) {
                throw new IllegalArgumentException("part " + (p + 1) + " of the split would be empty: "
                        + n + " examples are too few for " + Arrays.toString(fractions));
            }
            int[] rows = Arrays.copyOfRange(order, start, end);
            Arrays.sort(rows);
            NDArray index = features.getManager().create(rows);
            parts[p] = new Examples(features.get(index), labels.get(index),
                    identity + String.format(Locale.ROOT, " part %d of split(seed=%d, %s)", p + 1, seed,
                            Arrays.toString(fractions)));
            start = end;
        }
        return parts;
    }

    /**
     * Every example of a DJL dataset (an {@code ArrayDataset}, or a {@code RandomAccessDataset} of
     * one's own) read into two arrays, e.g. to evaluate a model trained on it, or to split it. Each
     * record's data and labels are stacked along a new first axis. The identity names the dataset's
     * class and hashes the values, so the run cache sees any change of the data.
     *
     * @param dataset examples of one data array and one label array each
     * @param manager where the arrays live
     * @return features {@code [N, ...]} and labels {@code [N, ...]}
     * @throws IllegalArgumentException for an empty dataset, or records of several data or label
     *     arrays (which two arrays cannot hold)
     * @throws UncheckedIOException when the dataset cannot read an example
     */
    public static Examples fromDataset(RandomAccessDataset dataset, NDManager manager) {
        long n = dataset.size();
        String name = dataset.getClass().getSimpleName();
        if (n == 0) {
            throw new IllegalArgumentException("the dataset " + name + " has no examples");
        }
        try (NDManager work = manager.newSubManager()) {
            NDList features = new NDList();
            NDList labels = new NDList();
            for (long i = 0; i < n; i++) {
                Record r;
                try {
                    r = dataset.get(work, i);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read example " + i + " of the dataset " + name, e);
                }
                if (r.getData().size() != 1 || r.getLabels().size() != 1) {
                    throw new IllegalArgumentException("example " + i + " of the dataset " + name + " has "
                            + r.getData().size() + " data and " + r.getLabels().size() + " label arrays; Examples"
                            + " holds one of each (stack or concatenate them in the dataset's get)");
                }
                features.add(r.getData().head());
                labels.add(r.getLabels().head());
            }
            NDArray x = NDArrays.stack(features);
            NDArray y = NDArrays.stack(labels);
            x.attach(manager);
            y.attach(manager);
            MessageDigest sha = Digests.newDigest("SHA-256");
            Digests.update(sha, x);
            Digests.update(sha, y);
            String identity = String.format(Locale.ROOT, "dataset %s (%d examples) sha256:%s", dataset.getClass().getName(),
                    n, Digests.hex(sha.digest()));
            return new Examples(x, y, identity);
        }
    }

    /**
     * Examples from a table (a CSV file read with {@code Table.read().csv(path)}, say): every other
     * column becomes a float32 feature (numbers as they are, true/false as 1/0), the label column the
     * labels. Numeric labels stay numbers: regression targets, or class indices when whole. Text
     * labels become class indices, in the order of {@link #labelNames}. The identity names the table
     * and hashes its values, so the run cache sees any change of the data.
     *
     * @param table the examples, one per row
     * @param labelColumn the column to predict
     * @param manager where the arrays live
     * @return features {@code [rows, columns - 1]} and labels {@code [rows]}
     * @throws IllegalArgumentException naming a missing label column, a text feature column or a
     *     column with missing values, and what to do about it
     */
    public static Examples fromTable(Table table, String labelColumn, NDManager manager) {
        return TableExamples.fromTable(table, labelColumn, manager);
    }

    /**
     * The table with each named column replaced, where it stood, by one 0/1 column per value it
     * holds ({@code colour=blue}, {@code colour=red}, in sorted order), as pandas' {@code get_dummies}
     * does: categories such as a colour or a port become features {@link #fromTable} takes. A row
     * with a missing value gets 0 in all of them.
     *
     * @param table the table; it is not changed
     * @param columns the columns to encode (text, or numbers that stand for categories)
     * @return a new table
     * @throws IllegalArgumentException naming a column the table does not have
     */
    public static Table oneHot(Table table, String... columns) {
        return TableExamples.oneHot(table, columns);
    }

    /**
     * The examples with each feature standardised by another part's statistics (usually the
     * training part's, so validation and test data get the same shift and scale): {@code (x -
     * mean) / std} per feature, as scikit-learn's {@code StandardScaler} does. A feature constant in
     * the reference is only shifted. Tables of features on different scales (prices beside ages)
     * train far better this way.
     *
     * @param reference the examples whose mean and standard deviation are used, e.g. {@code parts[0]}
     * @return new examples in the same manager, with their own identity
     */
    public Examples standardized(Examples reference) {
        try (NDManager scratch = features.getManager().newSubManager()) {
            NDArray ref = reference.features().toType(ai.djl.ndarray.types.DataType.FLOAT32, true);
            ref.attach(scratch);
            NDArray mean = ref.mean(new int[] {0});
            NDArray std = ref.sub(mean).square().mean(new int[] {0}).sqrt();
            NDArray scale = std.eq(0).toType(std.getDataType(), false).add(std); // constant feature: divide by 1
            NDArray scaled = features.toType(ai.djl.ndarray.types.DataType.FLOAT32, true).sub(mean).div(scale);
            scaled.attach(features.getManager());
            return new Examples(scaled, labels, identity + " standardized by " + reference.identity());
        }
    }

    /**
     * The examples as a table, one row each: features {@code x1, x2, ...}, then the labels. {@code
     * table.write().csv(path)} saves them as a CSV file, and {@link #fromTable} reads that back to
     * the same values.
     *
     * @param labelName the labels' column name, e.g. {@code "y"}
     * @return a new table named {@code examples}
     * @throws IllegalArgumentException unless the features are {@code [rows, columns]} and the labels {@code [rows]}
     */
    public Table toTable(String labelName) {
        Shape shape = features.getShape();
        if (shape.dimension() != 2 || labels.getShape().dimension() != 1) {
            throw new IllegalArgumentException("a table needs features (rows, columns) and one label per row; these"
                    + " examples have features " + shape + " and labels " + labels.getShape());
        }
        int rows = size();
        int columns = Math.toIntExact(shape.get(1));
        float[] x = features.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        float[] y = labels.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        Table table = Table.create("examples");
        for (int j = 0; j < columns; j++) {
            float[] column = new float[rows];
            for (int i = 0; i < rows; i++) {
                column[i] = x[i * columns + j];
            }
            table.addColumns(DoubleColumn.create("x" + (j + 1), column));
        }
        return table.addColumns(DoubleColumn.create(labelName, y));
    }

    /**
     * The classes of a text label column, sorted: class index {@code i} of {@link #fromTable} is
     * name {@code i}.
     *
     * @param table the table
     * @param labelColumn its label column
     * @return the distinct labels, sorted
     */
    public static List<String> labelNames(Table table, String labelColumn) {
        return table.column(labelColumn).asStringColumn().unique().asList().stream().sorted().toList();
    }

    /**
     * Friedman's regression benchmark #1 (Friedman 1991): ten features uniform in [0, 1], of which
     * five matter, {@code y = 10 sin(pi x1 x2) + 20 (x3 - 0.5)^2 + 10 x4 + 5 x5 + noise}, noise
     * normal with the given standard deviation. Its targets have a variance of about 24, so an R²
     * near 1 - noise² / 24 is the best any model can do.
     *
     * @param n how many examples
     * @param noise the noise's standard deviation (1.0 in the benchmark)
     * @param seed the generator's seed
     * @param manager where the arrays live
     * @return features {@code [n, 10]} and targets {@code [n]}
     */
    public static Examples friedman1(int n, double noise, long seed, NDManager manager) {
        Random random = new Random(seed);
        float[] x = new float[n * 10];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 10; j++) {
                x[i * 10 + j] = random.nextFloat();
            }
            double[] v = new double[5];
            for (int j = 0; j < 5; j++) {
                v[j] = x[i * 10 + j];
            }
            y[i] = (float) (10 * Math.sin(Math.PI * v[0] * v[1]) + 20 * (v[2] - 0.5) * (v[2] - 0.5) + 10 * v[3] + 5 * v[4]
                    + noise * random.nextGaussian());
        }
        return new Examples(manager.create(x, new Shape(n, 10)), manager.create(y),
                String.format(Locale.ROOT, "friedman1(n=%d, noise=%s, seed=%d)", n, noise, seed));
    }

    /**
     * A sequence-regression task: each example is {@code steps} samples of a sine wave, {@code
     * sin(phase + 0.3 t)} for t = 0, 1, ..., with a phase uniform in [0, 2 pi) and normal noise
     * added, and its target is the wave's next value without noise. The phase is all there is to
     * learn, and a model that reads the samples in order can find it (R² near 1 for small noise).
     *
     * @param n how many sequences
     * @param steps samples per sequence
     * @param noise the noise's standard deviation
     * @param seed the generator's seed
     * @param manager where the arrays live
     * @return features {@code [n, steps, 1]} (one value per step, batch first) and targets {@code [n, 1]}
     */
    public static Examples sineWaves(int n, int steps, double noise, long seed, NDManager manager) {
        if (n < 1 || steps < 1 || !(noise >= 0)) {
            throw new IllegalArgumentException("sineWaves needs n >= 1, steps >= 1 and noise >= 0, got "
                    + n + ", " + steps + ", " + noise);
        }
        Random random = new Random(seed);
        float[] x = new float[n * steps];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double phase = 2 * Math.PI * random.nextDouble();
            for (int t = 0; t < steps; t++) {
                x[i * steps + t] = (float) (Math.sin(phase + 0.3 * t) + noise * random.nextGaussian());
            }
            y[i] = (float) Math.sin(phase + 0.3 * steps);
        }
        return new Examples(manager.create(x, new Shape(n, steps, 1)), manager.create(y, new Shape(n, 1)),
                String.format(Locale.ROOT, "sineWaves(n=%d, steps=%d, noise=%s, seed=%d)", n, steps, noise, seed));
    }

    /**
     * A set-regression task: each example is a set of {@code size} points in 3-D with coordinates
     * drawn from N(0, 1), and each point's target is its squared distance to the centroid of its
     * own set, plus normal noise: a per-element target that depends on the whole set. With no noise
     * the targets have mean 3(1 - 1/size); the noise's variance is the lowest MSE any model can
     * reach.
     *
     * @param sets how many sets (examples)
     * @param size points per set
     * @param noise the noise's standard deviation
     * @param seed the generator's seed
     * @param manager where the arrays live
     * @return features {@code [sets, size, 3]} and targets {@code [sets, size]}
     */
    public static Examples centroidDistances(int sets, int size, double noise, long seed, NDManager manager) {
        if (sets < 1 || size < 1 || !(noise >= 0)) {
            throw new IllegalArgumentException("centroidDistances needs sets >= 1, size >= 1 and noise >= 0, got "
                    + sets + ", " + size + ", " + noise);
        }
        Random random = new Random(seed);
        float[] x = new float[sets * size * 3];
        float[] y = new float[sets * size];
        for (int s = 0; s < sets; s++) {
            double[] centroid = new double[3];
            for (int i = 0; i < size * 3; i++) {
                x[s * size * 3 + i] = (float) random.nextGaussian();
                centroid[i % 3] += x[s * size * 3 + i] / size;
            }
            for (int i = 0; i < size; i++) {
                double d2 = 0;
                for (int c = 0; c < 3; c++) {
                    double d = x[(s * size + i) * 3 + c] - centroid[c];
                    d2 += d * d;
                }
                y[s * size + i] = (float) (d2 + noise * random.nextGaussian());
            }
        }
        return new Examples(manager.create(x, new Shape(sets, size, 3)), manager.create(y, new Shape(sets, size)),
                String.format(Locale.ROOT, "centroidDistances(sets=%d, size=%d, noise=%s, seed=%d)", sets, size, noise,
                        seed));
    }

    /**
     * The same sets with the elements of each set in a new random order, features and labels
     * moved together: axis 1 of both is the element axis.
     *
     * @param seed the shuffle's seed
     * @return the shuffled examples, with their own identity
     */
    public Examples permuteElements(long seed) {
        int sets = size();
        int elements = Math.toIntExact(features.getShape().get(1));
        if (labels.getShape().dimension() < 2 || labels.getShape().get(1) != elements) {
            throw new IllegalArgumentException("permuteElements needs per-element labels (sets, " + elements
                    + ", ...), got " + labels.getShape());
        }
        Random random = new Random(seed);
        int[][] orders = new int[sets][];
        for (int s = 0; s < sets; s++) {
            orders[s] = Permutations.of(elements, random);
        }
        return new Examples(permute(features, orders), permute(labels, orders),
                identity + String.format(Locale.ROOT, " with elements shuffled (seed %d)", seed));
    }

    /** Reorders axis 1 of every example: a new array in the same manager. */
    private static NDArray permute(NDArray a, int[][] orders) {
        Shape shape = a.getShape();
        int elements = Math.toIntExact(shape.get(1));
        int width = Math.toIntExact(shape.size() / (shape.get(0) * elements)); // values per element
        try (NDArray floats = a.toType(ai.djl.ndarray.types.DataType.FLOAT32, true)) {
            float[] in = floats.toFloatArray();
            float[] out = new float[in.length];
            for (int s = 0; s < orders.length; s++) {
                for (int i = 0; i < elements; i++) {
                    System.arraycopy(in, (s * elements + orders[s][i]) * width, out, (s * elements + i) * width, width);
                }
            }
            return a.getManager().create(out, shape);
        }
    }

    @Override
    public String toString() {
        return identity + ": " + size() + " examples, features " + features.getShape().slice(1) + ", labels "
                + labels.getShape().slice(1);
    }
}
