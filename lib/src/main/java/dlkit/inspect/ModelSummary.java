package dlkit.inspect;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;
import dlkit.display.Html;
import dlkit.display.MimeBundle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A table of a model's layers: path, type, output shape and parameter count, with totals.
 *
 * <pre>{@code
 * ModelSummary.of(model, new Shape(1, 784));
 * // layer           type          output shape  parameters
 * // 01Linear        Linear        (1, 128)         100,480
 * // 02LambdaBlock   LambdaBlock   (1, 128)               0
 * // 03Linear        Linear        (1, 10)            1,290
 * // total 101,770 parameters (101,770 trainable)
 * }</pre>
 *
 * <p>Every block in the tree gets a row, nested paths joined with "/"; parameters are counted
 * where they are declared, so the column sums to the total. Output shapes come from the input
 * shapes DJL records on each block when it is initialised.
 */
public final class ModelSummary implements MimeBundle {

    private final Table layers;
    private final long total;
    private final long trainable;

    private ModelSummary(Table layers, long total, long trainable) {
        this.layers = layers;
        this.total = total;
        this.trainable = trainable;
    }

    /**
     * Summarises a model's block, initialising it for the input shape if that has not happened
     * yet (as {@code trainer.initialize} would).
     *
     * @param model the model; its block must be set
     * @param inputShapes input shapes including the batch axis, e.g. {@code new Shape(1, 784)}
     * @return the summary
     */
    public static ModelSummary of(Model model, Shape... inputShapes) {
        Block block = model.getBlock();
        if (block == null) {
            throw new IllegalArgumentException(
                    "model '" + model.getName() + "' has no block: call model.setBlock(...) first");
        }
        requireShapes(inputShapes);
        if (!block.isInitialized()) {
            block.initialize(model.getNDManager(), model.getDataType() == null ? DataType.FLOAT32 : model.getDataType(), inputShapes);
        }
        return of(block, inputShapes);
    }

    /**
     * Summarises a block, initialising it for the input shape if that has not happened yet.
     *
     * <p>Summarising before training is the usual order in a notebook, so an uninitialised block
     * gets parameters from a manager of its own; {@code Fit} replaces them with freshly seeded ones
     * when it trains the block.
     *
     * @param block the block
     * @param inputShapes input shapes including the batch axis, e.g. {@code new Shape(1, 784)}
     * @return the summary
     */
    public static ModelSummary of(Block block, Shape... inputShapes) {
        requireShapes(inputShapes);
        if (!block.isInitialized()) {
            block.initialize(NDManager.newBaseManager(), DataType.FLOAT32, inputShapes);
        }
        List<Object[]> rows = new ArrayList<>();
        Shape[] recorded = block.getInputShapes();
        long batchWas = recorded.length > 0 && recorded[0].dimension() > 0 ? recorded[0].get(0) : -1;
        walk("", block, inputShapes, new Batch(batchWas, inputShapes[0].dimension() > 0 ? inputShapes[0].get(0) : -1),
                rows, true);
        long total = 0;
        for (Parameter parameter : block.getParameters().values()) {
            total += parameter.getArray().getShape().size();
        }
        long trainable = trainableParameters(block);
        Table table = Table.create(
                "model summary",
                StringColumn.create("layer", rows.stream().map(r -> (String) r[0])),
                StringColumn.create("type", rows.stream().map(r -> (String) r[1])),
                StringColumn.create("output shape", rows.stream().map(r -> (String) r[2])),
                LongColumn.create("parameters", rows.stream().mapToLong(r -> (Long) r[3]).toArray()));
        return new ModelSummary(table, total, trainable);
    }

    /** The batch size the block was initialised with, and the one asked for. */
    private record Batch(long was, long asked) {
        Shape[] apply(Shape[] recorded) {
            if (was < 0 || was == asked) {
                return recorded;
            }
            return Arrays.stream(recorded).map(s -> s.dimension() > 0 && s.get(0) == was
                    ? new Shape(asked).addAll(s.slice(1)) : s).toArray(Shape[]::new);
        }
    }

    /**
     * A sequential block's children see the shapes that the asked-for input gives; other children
     * the shapes they were initialised with (Fit's batch replaced by the asked-for one), since only
     * a sequential block says how its children are wired.
     */
    private static void walk(String path, Block block, Shape[] inputs, Batch batch, List<Object[]> rows, boolean root) {
        long own = 0;
        for (Pair<String, Parameter> parameter : block.getDirectParameters()) {
            own += parameter.getValue().getArray().getShape().size();
        }
        if (root) {
            if (own > 0 || block.getChildren().isEmpty()) {
                rows.add(new Object[] {"(model)", typeName(block), shapes(block, inputs), own});
            }
        } else {
            rows.add(new Object[] {path, typeName(block), shapes(block, inputs), own});
        }
        Shape[] flowing = block instanceof SequentialBlock ? inputs : null;
        for (Pair<String, Block> child : block.getChildren()) {
            Block childBlock = child.getValue();
            Shape[] childInputs = flowing != null ? flowing
                    : childBlock.isInitialized() ? batch.apply(childBlock.getInputShapes()) : null;
            String childPath = path.isEmpty() ? child.getKey() : path + "/" + child.getKey();
            walk(childPath, childBlock, childInputs, batch, rows, false);
            flowing = flowing == null ? null : outputShapes(childBlock, flowing);
        }
    }

    private static String shapes(Block block, Shape[] inputs) {
        Shape[] out = inputs == null ? null : outputShapes(block, inputs);
        return out == null ? "?" : Arrays.stream(out).map(Shape::toString).collect(Collectors.joining(", "));
    }

    /** Null where a block cannot infer shapes without running; the parameter count still holds. */
    private static Shape[] outputShapes(Block block, Shape[] inputs) {
        try {
            return block.getOutputShapes(inputs);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String typeName(Block block) {
        return LayerNames.of(block);
    }

    private static void requireShapes(Shape[] inputShapes) {
        if (inputShapes == null || inputShapes.length == 0) {
            throw new IllegalArgumentException(
                    "give the input shape including the batch axis, e.g. new Shape(1, 784) or new Shape(1, 1, 28, 28)");
        }
    }

    /**
     * The layers table: {@code layer}, {@code type}, {@code output shape}, {@code parameters}.
     *
     * @return a copy of the table
     */
    public Table layers() {
        return layers.copy();
    }

    /**
     * The number of parameters (scalars) in the model.
     *
     * @return the total
     */
    public long totalParameters() {
        return total;
    }

    /**
     * The number of parameters that training updates (not frozen).
     *
     * @return the trainable total
     */
    public long trainableParameters() {
        return trainable;
    }

    private String totals() {
        return String.format("total %,d parameters (%,d trainable)", total, trainable);
    }

    @Override
    public String toString() {
        return layers.printAll() + "\n" + totals();
    }

    @Override
    public Map<String, String> toMimeBundle() {
        Map<String, String> bundle = new LinkedHashMap<>();
        bundle.put("text/html", Html.table(layers) + "<p>" + Html.escape(totals()) + "</p>");
        bundle.put("text/plain", toString());
        return bundle;
    }

    /**
     * Several models' sizes side by side.
     *
     * @param models name to (uninitialised or initialised) block, in row order
     * @param inputShape one batch's input shape, e.g. {@code new Shape(1, 3, 32, 32)}
     * @return columns {@code model, parameters} (trainable) and {@code total parameters}
     */
    public static Table table(Map<String, ? extends Block> models, Shape inputShape) {
        StringColumn name = StringColumn.create("model");
        LongColumn trainable = LongColumn.create("parameters");
        LongColumn total = LongColumn.create("total parameters");
        models.forEach((k, block) -> {
            ModelSummary s = of(block, inputShape);
            name.append(k);
            trainable.append(s.trainableParameters());
            total.append(s.totalParameters());
        });
        return Table.create("model sizes", name, trainable, total);
    }

    /**
     * Counts the values a fit trains: the elements of every parameter that requires a gradient
     * (not batch-norm running statistics, not frozen layers).
     *
     * @param block an initialised block
     * @return the number of trainable values
     */
    public static long trainableParameters(Block block) {
        long count = 0;
        for (Parameter p : block.getParameters().values()) {
            if (p.requiresGradient()) {
                count += p.getArray().getShape().size();
            }
        }
        return count;
    }
}
