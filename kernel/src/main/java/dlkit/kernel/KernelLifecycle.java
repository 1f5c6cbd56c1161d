package dlkit.kernel;

import java.util.concurrent.CountDownLatch;

/**
 * When the kernel process ends, and making sure it does.
 *
 * <p>The main thread waits here; a shutdown request, a dead parent process or a lost connection
 * releases it. Exiting is forced: a cell still running, or threads started by user code, must not
 * leave an orphan JVM behind.
 */
final class KernelLifecycle {

    private static final CountDownLatch EXIT = new CountDownLatch(1);
    private static volatile String reason = "";

    /** How long shutdown hooks get before the JVM is halted. */
    static final long HALT_AFTER_MS = 3000;

    private KernelLifecycle() {}

    /**
     * Says in the running cell why the kernel goes when something other than the kernel ends the JVM:
     * {@code System.exit} in library code, which {@link ExitGuard} cannot rewrite.
     */
    static void explainUnexpectedExit() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (EXIT.getCount() == 0) {
                return; // the kernel's own exit: shutdown request, parent gone
            }
            String why = "dlkit kernel: the JVM is exiting because System.exit was called outside cell code (in a"
                    + " library), which the kernel cannot stop; all variables are lost. Restart the kernel to go on.";
            CellOutput.log().println(why);
            CellOutput cell = CellOutput.current();
            if (cell != null) {
                cell.note(why);
            }
        }, "kernel-exit-note"));
    }

    /** Asks the main thread to end the process. */
    static void requestExit(String why) {
        if (EXIT.getCount() > 0) {
            reason = why;
            EXIT.countDown();
        }
    }

    /** Blocks until {@link #requestExit} is called; returns the reason. */
    static String awaitExit() {
        while (true) {
            try {
                EXIT.await();
                return reason;
            } catch (InterruptedException ignored) {
                // Only an exit request ends the wait.
            }
        }
    }

    /** Exits now; halts if shutdown hooks or the exit itself take too long. */
    static void exit(int status) {
        Thread halter = new Thread(() -> {
            try {
                Thread.sleep(HALT_AFTER_MS);
            } catch (InterruptedException ignored) {
                // Halt anyway.
            }
            Runtime.getRuntime().halt(status);
        }, "kernel-halt");
        halter.setDaemon(true);
        halter.start();
        System.exit(status);
    }

    /**
     * Watches the process that started the kernel; when it dies the kernel exits.
     *
     * <p>Jupyter sets {@code JPY_PARENT_PID}; otherwise the JVM's parent process is watched.
     */
    static void watchParent() {
        ProcessHandle parent = parentHandle();
        if (parent == null) {
            requestExit("parent process already ended");
            return;
        }
        Thread watcher = new Thread(() -> {
            while (parent.isAlive()) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
            requestExit("parent process " + parent.pid() + " ended");
        }, "kernel-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static ProcessHandle parentHandle() {
        String env = System.getenv("JPY_PARENT_PID");
        if (env != null && !env.isBlank()) {
            try {
                // A parent that is gone already gives null: the kernel then exits at once.
                return ProcessHandle.of(Long.parseLong(env.trim())).filter(ProcessHandle::isAlive).orElse(null);
            } catch (NumberFormatException ignored) {
                // Fall back to the direct parent.
            }
        }
        return ProcessHandle.current().parent().orElse(null);
    }
}
