package dlkit.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
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
 * libtorch's multi-tensor optimizer kernels ({@code _fused_adam_}, {@code _fused_adamw_}): one
 * native call updates every parameter of a model in a single vectorised pass, with no temporary
 * arrays. DJL 0.35 exposes only a per-parameter Adam that allocates about five parameter-sized
 * temporaries per call; on the MNIST CNN (3.3 M parameters) its step takes 13-28 ms against about
 * 2.3 ms fused, and 0.28 against 0.14 ms on the 100 k-parameter MLP (benchmarks/PERFORMANCE.md).
 *
 * <p>DJL has no call for an arbitrary libtorch operator, but it loads TorchScript modules and runs
 * their methods. The module here is a few lines of TorchScript source (the resource {@code
 * FusedUpdates.torchscript}); this class packs it into the archive format libtorch loads (a zip
 * holding the source, the pickled module object and a format version) in memory, so no Python or
 * file is involved. libtorch compiles the source when it loads the archive, so a libtorch without
 * these operators fails there, once, and callers fall back to per-parameter updates
 * ({@link #available()} is false). System property {@code dlkit.fused=false} turns the kernels off
 * (for comparisons).
 */
final class FusedUpdates {

    private static final String NAME = "FusedUpdates";

    private FusedUpdates() {}

    /** The loaded module, or null when the engine cannot run it (then {@link #available()} is false). */
    private static final class Holder {
        static final PtSymbolBlock MODULE = load();
    }

    /** Whether the fused kernels can be used in this JVM. */
    static boolean available() {
        return !"false".equalsIgnoreCase(System.getProperty("dlkit.fused")) && Holder.MODULE != null;
    }

    /**
     * One Adam (or AdamW, when {@code decoupled}) step on every array of {@code weights}, then zeroes
     * the gradients, in one native call. PyTorch's rule, which adds {@code eps} after dividing by
     * {@code sqrt(1 - beta2^t)}; {@code eps} here is the caller's, already scaled for that.
     *
     * @param step the step number {@code t}, from 1, shared by all parameters
     */
    static void adam(List<NDArray> weights, List<NDArray> grads, List<NDArray> means, List<NDArray> variances,
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

    private static IValue list(List<NDArray> arrays) {
        PtNDArray[] pt = new PtNDArray[arrays.size()];
        for (int i = 0; i < pt.length; i++) {
            pt[i] = (PtNDArray) arrays.get(i);
        }
        return IValue.listFrom(pt);
    }

    private static PtSymbolBlock load() {
        try {
            byte[] archive = archive(source());
            // The module holds no tensors; its manager lives as long as the JVM, like the module.
            PtNDManager manager = (PtNDManager) Engine.getEngine("PyTorch").newBaseManager();
            return JniUtils.loadModule(manager, new ByteArrayInputStream(archive), false, false);
        } catch (IOException | RuntimeException | LinkageError e) {
            // Another engine, or a libtorch without these operators: per-parameter updates still work.
            LoggerFactory.getLogger(FusedUpdates.class).info(
                    "fused optimizer kernels unavailable, updating parameters one by one: {}", e.toString());
            return null;
        }
    }

    private static String source() throws IOException {
        try (InputStream in = FusedUpdates.class.getResourceAsStream(NAME + ".torchscript")) {
            if (in == null) {
                throw new IOException("resource " + NAME + ".torchscript missing from the dlkit jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * A TorchScript archive: one folder with {@code code/__torch__.py} (the source), {@code data.pkl}
     * (the module object: an instance of {@code __torch__.FusedUpdates} with {@code training=True},
     * pickle protocol 2), {@code constants.pkl} (an empty tuple) and {@code version}. Entries are
     * stored uncompressed, as PyTorch writes them.
     */
    static byte[] archive(String source) {
        ByteArrayOutputStream pickle = new ByteArrayOutputStream();
        pickle.writeBytes(new byte[] {(byte) 0x80, 2, 'c'}); // PROTO 2, GLOBAL
        pickle.writeBytes(("__torch__\n" + NAME + "\n").getBytes(StandardCharsets.US_ASCII));
        pickle.writeBytes(new byte[] {')', (byte) 0x81, '}', 'X', 8, 0, 0, 0}); // (), NEWOBJ, {}, str of 8 bytes
        pickle.writeBytes("training".getBytes(StandardCharsets.US_ASCII));
        pickle.writeBytes(new byte[] {(byte) 0x88, 's', 'b', '.'}); // True, SETITEM, BUILD, STOP
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            store(out, "code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
            store(out, "data.pkl", pickle.toByteArray());
            store(out, "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            store(out, "version", "3\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return zip.toByteArray();
    }

    private static void store(ZipOutputStream out, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(NAME + "/" + name);
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
