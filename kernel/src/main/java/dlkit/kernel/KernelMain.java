package dlkit.kernel;

import java.nio.file.Files;
import java.nio.file.Path;

import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/**
 * Entry point: {@code java -cp ... dlkit.kernel.KernelMain <connection-file>}.
 *
 * <p>Jupyter starts it through the installed kernelspec (environment/install-kernel.sh).
 */
public final class KernelMain {

    /** The process's own stderr (the kernel log), before cells' output is routed to the notebook. */
    private static final java.io.PrintStream LOG = System.err;

    private KernelMain() {}

    /**
     * Runs the kernel until Jupyter shuts it down or goes away.
     *
     * @param args the connection file Jupyter wrote
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--warmup")) {
            warmup();
            return;
        }
        if (args.length >= 1 && args[0].equals("--eval-timing")) {
            EvalTiming.run(args);
            System.exit(0);
        }
        if (args.length != 1) {
            System.err.println("usage: java -cp <classpath> dlkit.kernel.KernelMain <connection-file.json>");
            System.exit(2);
        }
        trace("main");
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.setProperty("java.awt.headless", "true");
        JavaKernel kernel = JavaKernel.start(KernelConfig.fromEnvironment()); // JShell first: see Cells
        trace("kernel constructed");
        CellOutput.install();
        KernelLifecycle.watchParent();
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));

        Display.install(kernel);
        Kernel.install(kernel);
        System.setIn(kernel.input());
        KernelLifecycle.explainUnexpectedExit();
        KernelConnection connection = new KernelConnection(props);
        kernel.becomeHandlerForConnection(connection);
        kernel.onStartup();
        connection.connect();
        trace("connected");
        installInterruptSignal(kernel);

        String reason = KernelLifecycle.awaitExit();
        System.err.println("dlkit kernel exiting: " + reason);
        try {
            connection.close();
        } catch (RuntimeException ignored) {
            // Exiting anyway.
        }
        KernelLifecycle.exit(0);
    }

    /**
     * Runs typical cells, then one request over a loopback connection ({@link ConnectionWarmup}),
     * so a class-data-sharing archive recorded during this run ({@code -XX:ArchiveClassesAtExit})
     * holds what a real session loads; see bin/dlkit-kernel.
     */
    private static void warmup() {
        JavaKernel kernel = JavaKernel.start(KernelConfig.fromEnvironment());
        Display.install(kernel);
        Kernel.install(kernel);
        String[] cells = {
            "1 + 1",
            "System.out.println(\"warm-up\");",
            "int warm = 3; warm * 2",
            "Table.create(\"t\", IntColumn.create(\"a\", 1, 2, 3))",
            "XYChart c = new XYChartBuilder().width(200).height(100).build(); c.addSeries(\"s\", new double[] {1, 2}, new double[] {3, 4}); c",
        };
        for (String cell : cells) {
            kernel.resultData(kernel.evalRaw(cell));
        }
        try {
            kernel.evalRaw("undefinedThing(");
        } catch (CellError expected) {
            // Compile errors are part of a normal session too.
        }
        kernel.complete("System.out.prin", 15);
        kernel.isComplete("for (int i = 0; i < 3; i++) {");
        try {
            if (!ConnectionWarmup.run(kernel)) {
                System.err.println("dlkit kernel warm-up: no reply on the loopback connection");
            }
        } catch (Exception e) {
            System.err.println("dlkit kernel warm-up: the loopback connection failed (" + e + "); the archive"
                    + " lacks the protocol's classes, which only makes the start slower");
        }
        System.out.println("dlkit kernel warm-up done");
        System.exit(0);
    }

    /** With DLKIT_KERNEL_TRACE set, prints start-up milestones (ms since JVM start) to stderr. */
    static void trace(String what) {
        if (System.getenv("DLKIT_KERNEL_TRACE") != null) {
            long ms = System.currentTimeMillis() - ProcessHandle.current().info().startInstant()
                    .map(java.time.Instant::toEpochMilli).orElse(System.currentTimeMillis());
            LOG.println("dlkit-kernel trace: " + what + " at " + ms + " ms");
        }
    }

    /** SIGINT (interrupt_mode "signal" front ends, Ctrl-C) interrupts the cell instead of killing the JVM. */
    @SuppressWarnings("restriction")
    private static void installInterruptSignal(JavaKernel kernel) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> kernel.interrupt());
        } catch (IllegalArgumentException | LinkageError e) {
            System.err.println("SIGINT handler not installed: " + e);
        }
    }
}
