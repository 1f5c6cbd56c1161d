package dlkit.train;

import ai.djl.nn.Block;
import ai.djl.nn.norm.Dropout;
import dlkit.engine.TorchOps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One line per session for a model with DJL's {@code Dropout} on a processor where libtorch draws
 * its dropout mask one value at a time: its fast path needs MKL on an Intel processor. There the
 * mask can cost more than the convolutions, and {@link dlkit.models.UniformDropout} is the same
 * layer, drawn several times faster.
 */
final class DropoutAdvice {

    static final String TEXT = "dlkit: this model uses DJL's Dropout, whose random mask libtorch draws one value"
            + " at a time on this processor (its fast path is for Intel's); new UniformDropout(rate) from"
            + " dlkit.models is the same layer, drawn several times faster.";

    private static final AtomicBoolean GIVEN = new AtomicBoolean();

    private DropoutAdvice() {}

    /** Prints {@link #TEXT} the first time a fit of this session applies. */
    static void giveOnce(Block block) {
        if (!GIVEN.get() && applies(block, cpuinfo(), System.getProperty("os.arch", ""))
                && GIVEN.compareAndSet(false, true)) {
            Progress.message(TEXT);
        }
    }

    /**
     * Whether the advice applies to {@code block} on a machine with this {@code /proc/cpuinfo} (empty
     * where there is none) and {@code os.arch}: only where the vendor is known not to be Intel.
     */
    static boolean applies(Block block, String cpuinfo, String arch) {
        boolean otherVendor = cpuinfo.contains("vendor_id")
                ? !cpuinfo.contains("GenuineIntel")
                : arch.startsWith("aarch64") || arch.startsWith("arm");
        return otherVendor && TorchOps.contains(block, Dropout.class);
    }

    private static String cpuinfo() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return ""; // not Linux: the architecture decides
        }
    }
}
