package dlkit.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.LoggerFactory;

/**
 * libtorch operations that DJL 0.35 does not expose, for dlkit's training loop:
 *
 * <ul>
 *   <li>{@link #adam}: libtorch's multi-tensor Adam/AdamW kernels ({@code _fused_adam_}, {@code
 *       _fused_adamw_}): one native call updates every parameter of a model in a single vectorised
 *       pass, with no temporary arrays. DJL's per-parameter Adam allocates about five
 *       parameter-sized temporaries per call; on the MNIST CNN (3.2 M parameters) its step takes
 *       13-28 ms against 2.3-2.9 ms fused, on the 100 k-parameter MLP 0.28 against 0.14 ms.
 *   <li>{@link #channelsLast}: an image batch in the channels-last memory layout (NHWC; same shape
 *       and values), which libtorch's oneDNN convolutions use without reordering the data on every
 *       call, and which the following layers keep.
 *   <li>{@link #isContiguous}: whether an array's memory is in plain row-major order, which DJL
 *       does not tell, so its memory can be read directly.
 *   <li>{@link #crossEntropy}: softmax cross-entropy as PyTorch computes it (log-softmax and NLL,
 *       two kernels forward and two backward), where DJL's {@code SoftmaxCrossEntropyLoss} runs
 *       log-softmax, index building, a gather, negation and mean, each with its backward.
 *   <li>{@link #dropout}: a dropout mask from a quarter as many random draws as values (libtorch
 *       draws random numbers one at a time on the CPU).
 * </ul>
 *
 * <p>DJL has no call for an arbitrary libtorch operator, but it loads TorchScript modules and runs
 * their methods. The module here is a few lines of TorchScript source (the resource {@code
 * TorchOps.torchscript}); this class packs it into the archive format libtorch loads (a zip holding
 * the source, the pickled module object and a format version) in memory, so no Python or file is
 * involved. libtorch compiles the source when it loads the archive, so a libtorch without these
 * operators fails there, once, and {@link #available()} is false: callers then use DJL's own
 * operations. System property {@code dlkit.torchops=false} turns them off (for comparisons).
 * Measurements: benchmarks/PERFORMANCE.md.
 */
public final class TorchOps {

    private static final String NAME = "TorchOps";

    /** A second module, because a module has one forward and dropout must be recorded for autograd too. */
    private static final String DROPOUT_NAME = "TorchDropout";

    private TorchOps() {}

    /** The loaded modules, null when the engine cannot run them (then {@link #available()} is false). */
    private static final class Holder {
        static final PtSymbolBlock MODULE = load(NAME);
        static final PtSymbolBlock DROPOUT = load(DROPOUT_NAME);
    }

    /** Whether these operations can be used in this JVM. */
    public static boolean available() {
        return !"false".equalsIgnoreCase(System.getProperty("dlkit.torchops")) && Holder.MODULE != null
                && Holder.DROPOUT != null;
    }

    /**
     * One Adam (or AdamW, when {@code decoupled}) step on every array of {@code weights}, then zeroes
     * the gradients, in one native call. PyTorch's rule, which adds {@code eps} after dividing by
     * {@code sqrt(1 - beta2^t)}; {@code eps} here is the caller's, already scaled for that.
     *
     * @param step the step number {@code t}, from 1, shared by all parameters
     */
    public static void adam(List<NDArray> weights, List<NDArray> grads, List<NDArray> means, List<NDArray> variances,
            int step, float lr, float beta1, float beta2, float weightDecay, double eps, boolean decoupled) {
        IValue[] in = {list(weights), list(grads), list(means), list(variances), IValue.from((double) step),
                IValue.from((double) lr), IValue.from((double) beta1), IValue.from((double) beta2),
                IValue.from((double) weightDecay), IValue.from(eps), IValue.from(decoupled)};
        try (IValue out = IValueUtils.runMethod(Holder.MODULE, "adam", in)) {
            out.toLong();
        } finally {
            for (IValue v : in) {
                v.close();
            }
        }
    }

    /**
     * {@code x} (4-D: batch, channels, height, width) in the channels-last memory layout, a new
     * array in {@code manager}; other ranks are returned as they are. Values, shape and gradients
     * are unchanged: only the order of the elements in memory differs. Also returned as it is when
     * these operations are unavailable or system property {@code dlkit.channelsLast=false}.
     */
    public static NDArray channelsLast(NDArray x, NDManager manager) {
        if (x.getShape().dimension() != 4 || !available()
                || "false".equalsIgnoreCase(System.getProperty("dlkit.channelsLast"))) {
            return x;
        }
        return forward(Holder.MODULE, manager, x);
    }

    /**
     * The mean softmax cross-entropy of {@code logits} (batch, classes) against {@code labels} (one
     * class index per example, any numeric type, shape (batch) or (batch, 1)): the same value and
     * gradient as DJL's default {@code SoftmaxCrossEntropyLoss} up to float rounding, in fewer
     * native calls. A scalar array in {@code manager}, recorded for autograd when gradients are on.
     *
     * @throws IllegalStateException when {@link #available()} is false
     */
    public static NDArray crossEntropy(NDArray logits, NDArray labels, NDManager manager) {
        if (!available()) {
            throw new IllegalStateException("libtorch operations are unavailable: use DJL's loss");
        }
        return forward(Holder.MODULE, manager, logits, labels);
    }

    /**
     * Dropout of {@code x} in training: each value kept with probability {@code keep} and scaled by
     * its inverse, else zeroed; a new array in {@code manager}, recorded for autograd. libtorch draws
     * random numbers one at a time on the CPU, so the mask is read from 64-bit random words cut into
     * four 16-bit numbers each: a quarter of the draws of one uniform number per value. The keep
     * probability is therefore a multiple of 1/65536 (the nearest to {@code keep}).
     *
     * @param x an array on the CPU (the module draws its random words there)
     * @param keep in (0, 1]: at least 1/65536
     * @throws IllegalStateException when {@link #available()} is false
     */
    public static NDArray dropout(NDArray x, float keep, NDManager manager) {
        if (!available()) {
            throw new IllegalStateException("libtorch operations are unavailable: use DJL's dropout");
        }
        // A value is kept when its 16-bit number (0 to 65535) is below kept; the kept values are
        // scaled by the inverse of that probability, so that the expected output is the input. The
        // module shifts each 16-bit part of a word to the top and compares the whole word (signed)
        // with a bound whose lower 48 bits are all ones: the lower bits cannot change the result.
        long kept = Math.max(1, Math.min(65536, Math.round(keep * 65536.0)));
        try (NDArray settings = manager.create(new float[] {kept - 1, 65536f / kept})) {
            return forward(Holder.DROPOUT, manager, x, settings);
        }
    }

    /**
     * A module's forward (the main module's: a channels-last copy of one array, or the cross-entropy
     * of two). Run in training mode because DJL runs other methods in PyTorch's inference mode, whose
     * results cannot be saved for a backward pass.
     */
    private static NDArray forward(PtSymbolBlock module, NDManager manager, NDArray... inputs) {
        NDArray out = IValueUtils.forward(module, new NDList(inputs), true).singletonOrThrow();
        out.attach(manager);
        return out;
    }

    /**
     * Whether {@code x}'s elements lie in row-major order without gaps, so that its memory can be read
     * as it is; false when these operations are unavailable.
     */
    public static boolean isContiguous(NDArray x) {
        if (!available() || !(x instanceof PtNDArray pt)) {
            return false;
        }
        IValue in = IValue.from(pt);
        try (IValue out = IValueUtils.runMethod(Holder.MODULE, "contiguous", in)) {
            return out.toBoolean();
        } finally {
            in.close();
        }
    }

    /**
     * Whether {@code block} contains a convolution, i.e. whether {@link #channelsLast} input pays
     * off: a network that flattens its images first (an MLP) only pays for the copy.
     */
    public static boolean hasConvolution(Block block) {
        return contains(block, Convolution.class);
    }

    /**
     * Whether {@code block} or any block nested in it is a {@code type}.
     *
     * @param block the network
     * @param type the kind of layer, e.g. {@code BatchNorm.class}
     * @return true if one is found
     */
    public static boolean contains(Block block, Class<? extends Block> type) {
        return type.isInstance(block) || block.getChildren().values().stream().anyMatch(b -> contains(b, type));
    }

    private static IValue list(List<NDArray> arrays) {
        PtNDArray[] pt = new PtNDArray[arrays.size()];
        for (int i = 0; i < pt.length; i++) {
            pt[i] = (PtNDArray) arrays.get(i);
        }
        return IValue.listFrom(pt);
    }

    private static PtSymbolBlock load(String name) {
        try {
            byte[] archive = archive(name, source(name));
            // The module holds no tensors; its manager lives as long as the JVM, like the module.
            PtNDManager manager = (PtNDManager) Engine.getEngine("PyTorch").newBaseManager();
            return JniUtils.loadModule(manager, new ByteArrayInputStream(archive), false, false);
        } catch (IOException | RuntimeException | LinkageError e) {
            // Another engine, or a libtorch without these operators: per-parameter updates still work.
            LoggerFactory.getLogger(TorchOps.class).info(
                    "libtorch operations unavailable, using DJL's: {}", e.toString());
            return null;
        }
    }

    private static String source(String name) throws IOException {
        try (InputStream in = TorchOps.class.getResourceAsStream(name + ".torchscript")) {
            if (in == null) {
                throw new IOException("resource " + name + ".torchscript missing from the dlkit jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * A TorchScript archive of module {@code name}: one folder with {@code code/__torch__.py} (the
     * source), {@code data.pkl} (the module object: an instance of {@code __torch__.<name>} with
     * {@code training=True}, pickle protocol 2), {@code constants.pkl} (an empty tuple) and {@code
     * version}. Entries are stored uncompressed, as PyTorch writes them.
     */
    static byte[] archive(String name, String source) {
        ByteArrayOutputStream pickle = new ByteArrayOutputStream();
        pickle.writeBytes(new byte[] {(byte) 0x80, 2, 'c'}); // PROTO 2, GLOBAL
        pickle.writeBytes(("__torch__\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        pickle.writeBytes(new byte[] {')', (byte) 0x81, '}', 'X', 8, 0, 0, 0}); // (), NEWOBJ, {}, str of 8 bytes
        pickle.writeBytes("training".getBytes(StandardCharsets.US_ASCII));
        pickle.writeBytes(new byte[] {(byte) 0x88, 's', 'b', '.'}); // True, SETITEM, BUILD, STOP
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            store(out, name + "/code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
            store(out, name + "/data.pkl", pickle.toByteArray());
            store(out, name + "/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            store(out, name + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return zip.toByteArray();
    }

    private static void store(ZipOutputStream out, String path, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(path);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        out.putNextEntry(entry);
        out.write(data);
        out.closeEntry();
    }
}
