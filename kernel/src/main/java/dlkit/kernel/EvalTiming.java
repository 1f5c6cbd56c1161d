package dlkit.kernel;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import jdk.jshell.JShell;
import jdk.jshell.SnippetEvent;

/**
 * The evaluation part of a round trip, without Jupyter's messages: {@code dlkit-kernel
 * --eval-timing jshell|kernel [cells]} evaluates {@code 1 + 1} as many times as the kernel
 * benchmark sends it (after the same 5 warm-ups) and prints the median milliseconds. {@code jshell}
 * is the JDK's JShell alone (no class path, no imports: the floor under any JShell kernel);
 * {@code kernel} is this kernel's own evaluation with its imports. benchmarks/kernel.sh prints both
 * beside the round trips.
 */
final class EvalTiming {
    private static final int WARM_UPS = 5;

    private EvalTiming() {}

    static void run(String[] args) {
        String what = args.length > 1 ? args[1] : "";
        int cells = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Runnable eval;
        switch (what) {
            case "jshell" -> {
                JShell jshell = JShell.builder().executionEngine("local").build();
                eval = () -> {
                    List<SnippetEvent> events = jshell.eval("1 + 1");
                    events.forEach(event -> jshell.drop(event.snippet())); // as the kernel does
                };
            }
            case "kernel" -> {
                JavaKernel kernel = JavaKernel.start(KernelConfig.fromEnvironment());
                eval = () -> kernel.evalRaw("1 + 1");
            }
            default -> throw new IllegalArgumentException(
                    "usage: dlkit-kernel --eval-timing jshell|kernel [cells], got '" + what + "'");
        }
        double[] ms = new double[cells];
        for (int i = -WARM_UPS; i < cells; i++) {
            long start = System.nanoTime();
            eval.run();
            if (i >= 0) {
                ms[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "%s %d %.2f %.2f%n", what, cells, ms[cells / 2], ms[0]);
    }
}
