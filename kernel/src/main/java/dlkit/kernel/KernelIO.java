package dlkit.kernel;

import java.nio.charset.StandardCharsets;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.JupyterIO;

/**
 * JJava's notebook input stream ({@code System.in} in a cell asks the notebook for a line), with
 * attach/detach visible to the kernel. Printed output does not go through here: see {@link CellOutput}.
 */
final class KernelIO extends JupyterIO {

    KernelIO() {
        super(StandardCharsets.UTF_8);
    }

    /** Routes stdin requests to the request being executed. */
    void attach(ShellReplyEnvironment env, boolean stdinEnabled) {
        setEnv(env);
        setJupyterInEnabled(stdinEnabled);
    }

    /** Stops routing to the request. */
    void detach(ShellReplyEnvironment env) {
        retractEnv(env);
    }
}
