package dlkit.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The one entry point that prepares DJL for notebooks and scripts.
 *
 * <pre>{@code
 * EngineInfo info = Engines.start();   // prints: dlkit: PyTorch 2.7.1 (DJL 0.35.1) on cpu(), 2 threads ...
 * }</pre>
 *
 * <p>{@link #start()} must run before anything else touches DJL, because DJL reads its settings
 * (offline mode, cache directory, thread counts) once, when the engine is first loaded. It is
 * idempotent: later calls return the same {@link EngineInfo} without printing again.
 *
 * <p>What it sets, unless the user already set it (as a system property or environment variable):
 *
 * <ul>
 *   <li>{@code ai.djl.offline=true}: DJL never downloads natives or models. The PyTorch natives come
 *       from the {@code pytorch-native-cpu} jar on the classpath.
 *   <li>{@code ai.djl.default_engine=PyTorch}: dlkit runs on PyTorch, even when another DJL engine
 *       (MXNet, say, added by a notebook) is on the class path; DJL would otherwise prefer that one.
 *   <li>{@code OPT_OUT_TRACKING=true}: no telemetry call on engine start.
 *   <li>{@code DJL_CACHE_DIR}: {@code ~/.djl.ai}, where the natives are unpacked once.
 *   <li>{@code ai.djl.pytorch.num_threads}: the number of available processors (override with
 *       {@code DLKIT_THREADS} / {@code -Ddlkit.threads}); one inter-op thread, since notebook
 *       models run one operator at a time and extra inter-op threads only compete for cores.
 * </ul>
 */
public final class Engines {

    static final String OFFLINE = "ai.djl.offline";
    static final String TRACKING = "OPT_OUT_TRACKING";
    static final String CACHE_DIR = "DJL_CACHE_DIR";
    static final String DEFAULT_ENGINE = "ai.djl.default_engine";
    static final String THREADS = "ai.djl.pytorch.num_threads";
    static final String INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";

    private static EngineInfo started;

    private Engines() {}

    /**
     * Configures and loads the engine, printing a one-line report the first time.
     *
     * @return what was started
     */
    public static synchronized EngineInfo start() {
        if (started == null) {
            started = load();
            System.out.println(started);
        }
        return started;
    }

    /**
     * Configures and loads the engine without printing anything.
     *
     * @return what was started
     */
    public static synchronized EngineInfo startQuietly() {
        if (started == null) {
            started = load();
        }
        return started;
    }

    /**
     * Starts the engine and prints the report; used by the setup scripts to check an installation.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        start();
    }

    private static EngineInfo load() {
        configure();
        Engine engine = Engine.getInstance();
        Device device = engine.defaultDevice();
        return new EngineInfo(
                engine.getEngineName(),
                engine.getVersion(),
                Engine.getDjlVersion(),
                device.toString(),
                Integer.getInteger(THREADS),
                Integer.getInteger(INTEROP_THREADS),
                ai.djl.util.Utils.isOfflineMode(),
                ai.djl.util.Utils.getEngineCacheDir());
    }

    /** Sets the DJL properties described in the class comment; values the user set are kept. */
    static void configure() {
        // DJL checks the DJL_OFFLINE variable before the property, so a user's explicit
        // DJL_OFFLINE=false wins; otherwise offline is on.
        if (System.getenv("DJL_OFFLINE") == null) {
            setDefault(OFFLINE, "true");
        }
        if (System.getenv(TRACKING) == null) {
            setDefault(TRACKING, "true");
        }
        if (System.getenv(CACHE_DIR) == null) {
            setDefault(CACHE_DIR, defaultCacheDir().toString());
        }
        setDefault(DEFAULT_ENGINE, "PyTorch"); // DJL reads DJL_DEFAULT_ENGINE first, so a user's choice wins
        setDefault(THREADS, String.valueOf(threads()));
        setDefault(INTEROP_THREADS, "1");
    }

    /** Threads for intra-op parallelism: DLKIT_THREADS / dlkit.threads, else every processor. */
    static int threads() {
        String configured = System.getProperty("dlkit.threads", System.getenv("DLKIT_THREADS"));
        if (configured == null || configured.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(configured.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(
                "DLKIT_THREADS / dlkit.threads must be a positive whole number, got '"
                        + configured
                        + "'. Unset it to use every processor ("
                        + Runtime.getRuntime().availableProcessors()
                        + ").");
    }

    /**
     * How many fits {@code Fit.runEach} trains at once: {@code DLKIT_PARALLEL_RUNS} / {@code
     * -Ddlkit.parallelRuns}, else one per PyTorch thread, at most 4. Each of them gets an equal
     * share of the PyTorch threads, at least one.
     *
     * @return at least 1
     * @throws IllegalArgumentException when the setting is not a positive whole number
     */
    public static int parallelRuns() {
        String configured = System.getProperty("dlkit.parallelRuns", System.getenv("DLKIT_PARALLEL_RUNS"));
        if (configured == null || configured.isBlank()) {
            return Math.min(4, startQuietly().threads());
        }
        try {
            int n = Integer.parseInt(configured.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("DLKIT_PARALLEL_RUNS / dlkit.parallelRuns must be a positive whole number"
                + " (1 trains fits one by one), got '" + configured + "'. Unset it for one fit per PyTorch thread, at"
                + " most 4.");
    }

    private static Path defaultCacheDir() {
        return Paths.get(System.getProperty("user.home"), ".djl.ai");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
