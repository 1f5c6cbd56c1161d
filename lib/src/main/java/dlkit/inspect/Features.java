package dlkit.inspect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dlkit.data.ImageSet;
import dlkit.display.ProgressLine;
import dlkit.engine.NoGradient;
import dlkit.files.AtomicFiles;
import dlkit.files.ProjectDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The activations of a layer for a whole image set ("deep features"), and a file to take them
 * elsewhere.
 *
 * <pre>{@code
 * NDArray features = Features.extract(cnn.features(), mnist.test());   // [10000, 490]
 * Features.saveNpz("mnist-test-490", features, mnist.test());   // features/mnist-test-490.npz
 * // Python: d = numpy.load("mnist-test-490.npz"); d["features"].shape == (10000, 490); d["labels"]
 * }</pre>
 *
 * <p>Why NPZ: one file holding both arrays under names, float32 values exactly as computed,
 * readable by {@code numpy.load} (so by scikit-learn, PyTorch, JAX) and by DJL's {@code
 * NDList.decode}; text formats would be about five times larger and round the values.
 */
public final class Features {

    private static final int BATCH = 1000;

    private Features() {}

    /**
     * Runs a block in inference mode (no dropout, batch-norm running statistics) over every image.
     *
     * @param block an initialised block, e.g. the part of a trained network that ends at the
     *     feature layer
     * @param images the images
     * @return the block's outputs, one row per image, float32, in the images' manager
     */
    public static NDArray extract(Block block, ImageSet images) {
        return extract(block, images.images());
    }

    /**
     * Runs a block in inference mode over the first axis of {@code inputs}, a thousand at a time.
     *
     * @param block an initialised block
     * @param inputs the inputs, first axis the examples
     * @return the outputs, one row (flattened) per example, float32, in the inputs' manager
     */
    public static NDArray extract(Block block, NDArray inputs) {
        // a new SequentialBlock around trained layers has their parameters but no input shape of its own
        boolean ready = block.isInitialized() || (!block.getParameters().isEmpty()
                && block.getParameters().values().stream().allMatch(ai.djl.nn.Parameter::isInitialized));
        if (!ready) {
            throw new IllegalStateException("Features.extract: the block is not initialised: train the network"
                    + " (or load its parameters) first, then extract from it");
        }
        long n = inputs.getShape().get(0);
        if (n == 0) {
            throw new IllegalArgumentException("Features.extract: no inputs (first axis is 0)");
        }
        NDManager manager = inputs.getManager();
        List<NDArray> parts = new ArrayList<>();
        try (NDManager scratch = manager.newSubManager();
                NoGradient scope = NoGradient.open(block)) { // inference: no autograd graph
            ParameterStore parameters = new ParameterStore(scratch, false);
            ProgressLine progress = ProgressLine.start("features", n, "images");
            for (long from = 0; from < n; from += BATCH) {
                NDArray x = inputs.get(new NDIndex("{}:{}", from, Math.min(n, from + BATCH)));
                x.attach(scratch);
                NDArray out = block.forward(parameters, new NDList(x), false).singletonOrThrow();
                NDArray rows = out.stopGradient().reshape(out.getShape().get(0), -1).toType(DataType.FLOAT32, false);
                rows.attach(scratch);
                parts.add(rows);
                progress.advance(out.getShape().get(0));
            }
            progress.done();
            NDArray all = parts.size() == 1 ? parts.get(0).duplicate() : NDArrays.concat(new NDList(parts), 0);
            all.attach(manager);
            return all;
        }
    }

    /**
     * The folder {@link #saveNpz(String, NDArray, ImageSet)} writes to: {@code -Ddlkit.features}, else
     * {@code DLKIT_FEATURES}, else {@code features/} in the project root (as {@code figures/} for figures).
     *
     * @return the folder (created when something is saved)
     */
    public static Path folder() {
        return ProjectDir.locate("features", "dlkit.features", "DLKIT_FEATURES").path();
    }

    /**
     * Writes features and their labels to {@code <folder()>/<name>.npz}; see {@link #saveNpz(Path,
     * NDArray, ImageSet)}.
     *
     * @param name the file name without extension, e.g. {@code "mnist-test-490"}
     * @param features [N, D] features
     * @param images the images the features came from, for their labels
     * @return the file written
     */
    public static Path saveNpz(String name, NDArray features, ImageSet images) {
        if (name.isBlank() || name.contains("/") || name.contains("\\")) {
            throw new IllegalArgumentException("Features.saveNpz: give a plain file name such as \"mnist-test-490\","
                    + " got \"" + name + "\" (use saveNpz(Path, ...) for another folder)");
        }
        return saveNpz(folder().resolve(name + ".npz"), features, images);
    }

    /**
     * Writes features and their labels to one NumPy {@code .npz} file, atomically: arrays {@code
     * features} (float32 [N, D]) and {@code labels} (int32 [N]).
     *
     * @param file the file to write (its folder is created)
     * @param features [N, D] features, e.g. from {@link #extract(Block, ImageSet)}
     * @param images the images the features came from, for their labels
     * @return the file
     */
    public static Path saveNpz(Path file, NDArray features, ImageSet images) {
        if (features.getShape().dimension() != 2 || features.getShape().get(0) != images.size()) {
            throw new IllegalArgumentException("Features.saveNpz: features must be [" + images.size()
                    + ", D], one row per image, got " + features.getShape());
        }
        try (NDManager scratch = features.getManager().newSubManager()) {
            NDArray f = features.toType(DataType.FLOAT32, true);
            f.attach(scratch);
            f.setName("features");
            NDArray labels = images.labels().toType(DataType.INT32, true);
            labels.attach(scratch);
            labels.setName("labels");
            byte[] bytes = new NDList(f, labels).encode(NDList.Encoding.NPZ);
            AtomicFiles.write(file, bytes);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
