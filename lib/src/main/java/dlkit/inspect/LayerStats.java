package dlkit.inspect;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dlkit.display.Html;
import dlkit.display.MimeBundle;
import dlkit.engine.NoGradient;
import dlkit.plot.Figure;
import dlkit.plot.LearningCurves;
import java.util.ArrayList;
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

    private LayerStats(Table table) {
        this.table = table;
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
            try (GradientCollector collector = gradients ? Engine.getInstance().newGradientCollector() : null;
                    NoGradient scope = gradients ? null : NoGradient.open()) {
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
                return new LayerStats(table(layers, outputs, grads));
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
            kind.append(LayerNames.of(layers.get(i).getValue()));
            NDArray out = outputs.get(i);
            shape.append(out.getShape().toString());
            double[] s = describe(out.toType(DataType.FLOAT32, false).toFloatArray());
            for (int k = 0; k < stats.length; k++) {
                columns.get(stats[k]).append(s[k]);
            }
            if (!grads.isEmpty()) {
                double[] g = describe(grads.get(i).toType(DataType.FLOAT32, false).toFloatArray());
                columns.get("grad_mean").append(g[0]);
                columns.get("grad_variance").append(g[1]);
                columns.get("grad_norm").append(g[4]);
            }
        }
        Table t = Table.create("layer statistics", depth, name, kind, shape);
        columns.values().forEach(t::addColumns);
        return t;
    }

    /** {mean, variance, fraction zero, fraction saturated, L2 norm}. */
    private static double[] describe(float[] v) {
        double sum = 0;
        double sq = 0;
        int zeros = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            sum += x;
            sq += (double) x * x;
            zeros += x == 0 ? 1 : 0;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        int n = v.length;
        double mean = sum / n;
        double variance = Math.max(0, sq / n - mean * mean);
        double saturated = Double.NaN;
        if (min >= 0 && max <= 1) {
            int count = 0;
            for (float x : v) {
                count += x <= 0.01 || x >= 0.99 ? 1 : 0;
            }
            saturated = count / (double) n;
        } else if (min >= -1 && max <= 1) {
            int count = 0;
            for (float x : v) {
                count += Math.abs(x) >= 0.99 ? 1 : 0;
            }
            saturated = count / (double) n;
        }
        return new double[] {mean, variance, zeros / (double) n, saturated, Math.sqrt(sq)};
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
     * @return a new table
     */
    public Table only(String kind) {
        return table.where(table.stringColumn("kind").isEqualTo(kind));
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
                .title(column.replace('_', ' ') + " by depth");
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
