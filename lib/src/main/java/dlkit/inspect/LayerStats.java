package dlkit.inspect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dlkit.display.Html;
import dlkit.display.MimeBundle;
import dlkit.engine.Gradients;
import dlkit.engine.NoGradient;
import dlkit.models.Init;
import dlkit.plot.Figure;
import dlkit.plot.LearningCurves;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What happens inside a network on one batch: for every layer's output, its mean, variance,
 * fraction of zeros, fraction saturated and norm, and the same for the gradient of the loss with
 * respect to that output, as a table and plots by depth.
 *
 * <pre>{@code
 * LayerStats stats = LayerStats.of(block, batch.images(), batch.labels(), Loss.softmaxCrossEntropyLoss());
 * stats.table()                                   // depth, layer, variance, grad_variance, ...
 * stats.figure("variance")                        // by depth, log scale
 * LayerStats.figure(Map.of("He", he, "Xavier", xavier), "variance")   // several networks compared
 * }</pre>
 *
 * <p>Layers are the blocks of nested {@link SequentialBlock}s in order (any other block counts as
 * one layer). The forward pass runs in inference mode (no dropout). Gradients need the whole chain
 * of outputs: each layer's output is cut from the graph and fed to the next layer as a fresh array,
 * and the backward pass runs layer by layer from the loss down, so each cut receives the gradient
 * the layer above passes it, exactly as one backward pass would.
 *
 * <p>"Saturated" is a value within 1% of an activation's limit: |y| &gt;= 0.99 for outputs in [-1, 1]
 * (tanh), y &lt;= 0.01 or y &gt;= 0.99 for outputs in [0, 1] (sigmoid); NaN for unbounded outputs.
 */
public final class LayerStats implements MimeBundle {

    private final Table table;
    /** E[x^2] of the network's inputs: where the forward prediction starts. */
    private final double inputSecondMoment;

    private LayerStats(Table table, double inputSecondMoment) {
        this.table = table;
        this.inputSecondMoment = inputSecondMoment;
    }

    /**
     * Statistics of every layer's output on one batch (no gradients).
     *
     * @param block an initialised network
     * @param inputs one batch of inputs
     * @return the statistics
     */
    public static LayerStats of(Block block, NDArray inputs) {
        return of(block, inputs, null, null);
    }

    /**
     * Statistics of every layer's output and of the loss's gradient with respect to it, on one batch.
     *
     * @param block an initialised network
     * @param inputs one batch of inputs
     * @param labels the batch's labels, or null for outputs only
     * @param loss the loss whose gradient is measured, or null for outputs only
     * @return the statistics
     */
    public static LayerStats of(Block block, NDArray inputs, NDArray labels, Loss loss) {
        if (!block.isInitialized()) {
            throw new IllegalStateException("the block is not initialised: train it or initialise it first");
        }
        List<Pair<String, Block>> layers = new ArrayList<>();
        flatten("", block, layers);
        boolean gradients = labels != null && loss != null;
        try (NDManager m = inputs.getManager().newSubManager()) {
            ParameterStore ps = new ParameterStore(m, false);
            List<NDArray> cuts = new ArrayList<>(); // the input of each layer, as a leaf
            List<NDArray> outputs = new ArrayList<>();
            NDArray h = inputs;
            try (Gradients collector = gradients ? Gradients.open() : null;
                    NoGradient scope = gradients ? null : NoGradient.open(block)) {
                for (Pair<String, Block> layer : layers) {
                    NDArray in = h.stopGradient();
                    in.attach(m);
                    if (gradients) {
                        in.setRequiresGradient(true);
                    }
                    cuts.add(in);
                    h = layer.getValue().forward(ps, new NDList(in), false).singletonOrThrow();
                    outputs.add(h);
                }
                List<NDArray> grads = new ArrayList<>();
                if (gradients) {
                    NDArray last = h.stopGradient();
                    last.attach(m);
                    last.setRequiresGradient(true);
                    collector.backward(loss.evaluate(new NDList(labels), new NDList(last)));
                    NDArray upstream = last.getGradient().duplicate();
                    for (int i = layers.size() - 1; i >= 0; i--) {
                        grads.add(0, upstream);
                        // d loss / d input of layer i, from the gradient at its output
                        collector.backward(outputs.get(i).mul(upstream).sum());
                        upstream = cuts.get(i).getGradient().duplicate();
                    }
                }
                double moment;
                try (NDArray squares = inputs.toType(DataType.FLOAT64, true).square(); NDArray mean = squares.mean()) {
                    moment = mean.getDouble();
                }
                return new LayerStats(table(layers, outputs, grads), moment);
            }
        }
    }

    private static void flatten(String path, Block block, List<Pair<String, Block>> into) {
        if (block instanceof SequentialBlock && !block.getChildren().isEmpty()) {
            for (Pair<String, Block> child : block.getChildren()) {
                flatten(path.isEmpty() ? child.getKey() : path + "/" + child.getKey(), child.getValue(), into);
            }
        } else {
            into.add(new Pair<>(path.isEmpty() ? "(model)" : path, block));
        }
    }

    private static Table table(List<Pair<String, Block>> layers, List<NDArray> outputs, List<NDArray> grads) {
        int n = layers.size();
        IntColumn depth = IntColumn.create("depth");
        StringColumn name = StringColumn.create("layer");
        StringColumn kind = StringColumn.create("kind");
        StringColumn shape = StringColumn.create("output shape");
        IntColumn fanIn = IntColumn.create("fan_in");
        IntColumn fanOut = IntColumn.create("fan_out");
        String[] stats = {"mean", "variance", "fraction_zero", "fraction_saturated", "norm"};
        Map<String, DoubleColumn> columns = new LinkedHashMap<>();
        for (String s : stats) {
            columns.put(s, DoubleColumn.create(s));
        }
        if (!grads.isEmpty()) {
            for (String s : new String[] {"grad_mean", "grad_variance", "grad_norm"}) {
                columns.put(s, DoubleColumn.create(s));
            }
        }
        for (int i = 0; i < n; i++) {
            depth.append(i + 1);
            name.append(layers.get(i).getKey());
            String layerKind = LayerNames.of(layers.get(i).getValue());
            kind.append(layerKind);
            NDArray out = outputs.get(i);
            shape.append(out.getShape().toString());
            long[] fans = fans(layers.get(i).getValue());
            if (fans == null) {
                fanIn.appendMissing();
                fanOut.appendMissing();
            } else {
                fanIn.append(Math.toIntExact(fans[0]));
                fanOut.append(Math.toIntExact(fans[1]));
            }
            double[] s = describe(out.toType(DataType.FLOAT32, false).toFloatArray(), layerKind);
            for (int k = 0; k < stats.length; k++) {
                columns.get(stats[k]).append(s[k]);
            }
            if (!grads.isEmpty()) {
                double[] g = describe(grads.get(i).toType(DataType.FLOAT32, false).toFloatArray(), "gradient");
                columns.get("grad_mean").append(g[0]);
                columns.get("grad_variance").append(g[1]);
                columns.get("grad_norm").append(g[4]);
            }
        }
        Table t = Table.create("layer statistics", depth, name, kind, shape, fanIn, fanOut);
        columns.values().forEach(t::addColumns);
        return t;
    }

    /** A weight layer's {fan-in, fan-out} from its weight's shape (out, in, kernel...); null for others. */
    private static long[] fans(Block layer) {
        for (Pair<String, Parameter> p : layer.getDirectParameters()) {
            if (p.getValue().getType() == Parameter.Type.WEIGHT && p.getValue().getArray() != null) {
                long[] shape = p.getValue().getArray().getShape().getShape();
                if (shape.length >= 2) {
                    long kernel = 1;
                    for (int d = 2; d < shape.length; d++) {
                        kernel *= shape[d];
                    }
                    return new long[] {shape[1] * kernel, shape[0] * kernel};
                }
            }
        }
        return null;
    }

    /**
     * {mean, variance, fraction zero, fraction saturated, L2 norm}; saturated counts sigmoid
     * outputs within 0.01 of 0 or 1 and tanh outputs within 0.01 of -1 or 1 (NaN for other
     * kinds); a variance or norm that overflowed float32 is infinite.
     */
    private static double[] describe(float[] v, String kind) {
        boolean sigmoid = kind.equals("Sigmoid");
        double sum = 0;
        double sq = 0;
        int zeros = 0;
        int saturated = 0;
        boolean overflow = false;
        for (float x : v) {
            overflow |= Float.isInfinite(x);
            sum += x;
            sq += (double) x * x;
            zeros += x == 0 ? 1 : 0;
            saturated += (sigmoid ? x <= 0.01 || x >= 0.99 : Math.abs(x) >= 0.99) ? 1 : 0;
        }
        int n = v.length;
        double mean = sum / n;
        double variance = overflow ? Double.POSITIVE_INFINITY : Math.max(0, sq / n - mean * mean);
        double fraction = sigmoid || kind.equals("Tanh") ? saturated / (double) n : Double.NaN;
        double norm = overflow ? Double.POSITIVE_INFINITY : Math.sqrt(sq);
        return new double[] {mean, variance, zeros / (double) n, fraction, norm};
    }

    /**
     * The statistics, one row per layer: {@code depth, layer, kind, output shape, mean, variance,
     * fraction_zero, fraction_saturated, norm} and, with a loss, {@code grad_mean, grad_variance,
     * grad_norm}.
     *
     * @return a copy of the table
     */
    public Table table() {
        return table.copy();
    }

    /**
     * The rows of layers of one kind, e.g. {@code "Linear"} for the pre-activations.
     *
     * @param kind a {@code kind} value
     * @return the statistics of those layers
     */
    public LayerStats only(String kind) {
        return new LayerStats(table.where(table.stringColumn("kind").isEqualTo(kind)), inputSecondMoment);
    }

    /**
     * Adds the variances that the initialisation theory predicts for weight layers with ReLU
     * between them (He et al. 2015), as columns {@code predicted_variance} and {@code
     * predicted_grad_variance} of the weight layers' rows; {@link #figure} draws them dashed. A
     * weight layer's output z (its pre-activation) has Var[z] = fan_in * Var[w] * E[x^2], and the
     * ReLU before it halves the previous one: E[x^2] = Var[z_previous] / 2; the first layer starts
     * from the inputs' E[x^2]. Backwards, the gradient at z has fan_out * Var[w] / 2 times the
     * variance of the next layer's, starting from the measured one at the last layer. Var[w] is the
     * initialiser's ({@link Init#variance}); biases are taken to be zero.
     *
     * @param init the initialiser the network was made with
     * @return these statistics with the predictions added
     */
    public LayerStats withReluPrediction(Init init) {
        Table t = table.copy();
        int n = t.rowCount();
        double[] forward = new double[n];
        double[] backward = new double[n];
        Arrays.fill(forward, Double.NaN);
        Arrays.fill(backward, Double.NaN);
        IntColumn fanIn = t.intColumn("fan_in");
        IntColumn fanOut = t.intColumn("fan_out");
        double previous = Double.NaN;
        for (int r = 0; r < n; r++) {
            if (!fanIn.isMissing(r)) {
                double secondMoment = Double.isNaN(previous) ? inputSecondMoment : previous / 2;
                forward[r] = fanIn.get(r) * init.variance(fanIn.get(r), fanOut.get(r)) * secondMoment;
                previous = forward[r];
            }
        }
        t.addColumns(DoubleColumn.create("predicted_variance", forward));
        if (t.containsColumn("grad_variance")) {
            int next = -1;
            for (int r = n - 1; r >= 0; r--) {
                if (!fanIn.isMissing(r)) {
                    backward[r] = next < 0 ? t.doubleColumn("grad_variance").get(r)
                            : fanOut.get(next) * init.variance(fanIn.get(next), fanOut.get(next)) * backward[next] / 2;
                    next = r;
                }
            }
            t.addColumns(DoubleColumn.create("predicted_grad_variance", backward));
        }
        return new LayerStats(t, inputSecondMoment);
    }


    /**
     * One column by depth, on a log scale for variances and norms.
     *
     * @param column e.g. {@code variance} or {@code grad_variance}
     * @return the figure
     */
    public Figure figure(String column) {
        return figure(Map.of("network", this), column);
    }

    /**
     * One column by depth for several networks (e.g. one per initialisation), on a log scale for
     * variances and norms.
     *
     * @param networks legend name to statistics, in legend order
     * @param column e.g. {@code variance}
     * @return the figure
     */
    public static Figure figure(Map<String, LayerStats> networks, String column) {
        Map<String, Table> runs = new LinkedHashMap<>();
        networks.forEach((k, v) -> runs.put(k, v.table));
        LearningCurves curves = LearningCurves.of(runs).x("depth").metric(column)
                .reference("predicted_" + column, "prediction")
                .title(dlkit.plot.Style.label(column).replace("grad ", "gradient ") + " by depth");
        if (column.contains("variance") || column.contains("norm")) {
            curves.logScale();
        }
        return curves.figure();
    }

    @Override
    public String toString() {
        return Html.text(table);
    }

    @Override
    public Map<String, String> toMimeBundle() {
        Map<String, String> bundle = new LinkedHashMap<>();
        bundle.put("text/plain", toString());
        bundle.put("text/html", Html.table(table));
        return bundle;
    }
}
