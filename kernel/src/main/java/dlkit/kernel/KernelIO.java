package dlkit.kernel;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.JupyterIO;

/**
 * JJava's notebook input stream ({@code System.in} in a cell asks the notebook for a line), with
 * attach/detach visible to the kernel. Printed output does not go through here: see {@link CellOutput}.
 */
final class KernelIO extends JupyterIO {

    private volatile boolean stdinEnabled;
    private volatile boolean explained;

    KernelIO() {
        super(StandardCharsets.UTF_8);
    }

    /** Routes stdin requests to the request being executed. */
    void attach(ShellReplyEnvironment env, boolean stdinEnabled) {
        setEnv(env);
        setJupyterInEnabled(stdinEnabled);
        this.stdinEnabled = stdinEnabled;
        explained = false;
    }

    /**
     * {@code System.in} for cells. A request without stdin (nbconvert and nbclient send those)
     * reads end of input at once; {@code Scanner} then only says "No line found", so the cell's
     * stderr says why first, once per cell.
     */
    InputStream input() {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                explain();
                return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                explain();
                return super.read(b, off, len);
            }
        };
    }

    private void explain() {
        if (!stdinEnabled && !explained) {
            explained = true;
            System.err.println("System.in: this front end sends no input (its request has allow_stdin off, as"
                    + " nbconvert and nbclient run notebooks), so reading gives end of input.");
        }
    }

    /** Stops routing to the request. */
    void detach(ShellReplyEnvironment env) {
        retractEnv(env);
    }
}
