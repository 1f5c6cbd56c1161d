package dlkit.engine;

import java.nio.file.Path;

/**
 * What {@link Engines#start()} loaded; {@link #toString()} is the one-line report.
 *
 * @param engine engine name, e.g. {@code PyTorch}
 * @param engineVersion version of the native engine
 * @param djlVersion version of DJL
 * @param device default device, e.g. {@code cpu()}
 * @param threads intra-op threads
 * @param interopThreads inter-op threads
 * @param offline whether DJL is in offline mode
 * @param cacheDir where DJL keeps unpacked natives
 */
public record EngineInfo(
        String engine,
        String engineVersion,
        String djlVersion,
        String device,
        int threads,
        int interopThreads,
        boolean offline,
        Path cacheDir) {

    @Override
    public String toString() {
        return String.format(
                "dlkit: %s %s (DJL %s) on %s, %d thread%s + %d inter-op, %s, natives in %s",
                engine,
                engineVersion,
                djlVersion,
                device,
                threads,
                threads == 1 ? "" : "s",
                interopThreads,
                offline ? "offline" : "ONLINE (downloads allowed)",
                cacheDir);
    }
}
