package dlkit.kernel;

import java.nio.charset.StandardCharsets;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.JupyterIO;

/** JJava's notebook streams, with attach/detach visible to the kernel. */
final class KernelIO extends JupyterIO {

    KernelIO() {
        super(StandardCharsets.UTF_8);
    }

    /** Routes stdout, stderr, stdin and displays to the request being executed. */
    void attach(ShellReplyEnvironment env, boolean stdinEnabled) {
        setEnv(env);
        setJupyterInEnabled(stdinEnabled);
    }

    /** Flushes what the cell printed and stops routing to its request. */
    void detach(ShellReplyEnvironment env) {
        out.flush();
        err.flush();
        retractEnv(env);
    }
}
