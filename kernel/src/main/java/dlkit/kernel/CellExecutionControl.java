package dlkit.kernel;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;

import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * JShell's in-process execution, extended so the kernel gets result objects, not just strings.
 *
 * <p>JShell keeps every top-level variable (including the {@code $1} temporaries of expressions)
 * as a static field of the snippet's wrapper class; this control remembers the wrapper class of
 * the snippet it ran last so the kernel can read the real object. Stopping is JShell's own: on
 * JDK 17 {@code Thread.stop}, on JDK 21+ a stop check woven into every loop of snippet code plus
 * {@code Thread.interrupt}.
 */
final class CellExecutionControl extends LocalExecutionControl {

    private volatile Class<?> lastWrapper;
    private volatile boolean stopped;

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        Class<?> wrapper = doitMethod.getDeclaringClass();
        lastWrapper = wrapper;
        try {
            return super.invoke(doitMethod);
        } catch (ExecutionControl.StoppedException e) {
            stopped = true;
            throw e;
        } finally {
            lastWrapper = wrapper; // an eval(...) inside the snippet ran its own snippets meanwhile
        }
    }

    /** Cell classes are loaded with their {@code System.exit} calls replaced (see {@link ExitGuard}). */
    @Override
    public void load(ClassBytecodes[] classes) throws ClassInstallException, NotImplementedException,
            EngineTerminationException {
        super.load(ExitGuard.rewrite(classes));
    }

    /** Clears the per-cell state before a snippet runs. */
    void reset() {
        lastWrapper = null;
        stopped = false;
    }

    /** True when the last snippet was stopped (interrupt or timeout). */
    boolean wasStopped() {
        return stopped;
    }

    /** The wrapper class of the last snippet that ran, or null. */
    Class<?> lastWrapper() {
        return lastWrapper;
    }

    /**
     * Reads a top-level variable from a snippet wrapper class.
     *
     * @return the value, or {@code NO_VALUE} when the field cannot be read
     */
    static Object readField(Class<?> wrapper, String name) {
        if (wrapper == null) {
            return NO_VALUE;
        }
        try {
            Field field = wrapper.getDeclaredField(name);
            field.setAccessible(true);
            return field.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return NO_VALUE;
        }
    }

    /** Marker for "no object could be read". */
    static final Object NO_VALUE = new Object();

    /** Hands JShell a single shared instance so the kernel can talk to it. */
    static final class Provider implements ExecutionControlProvider {
        private final CellExecutionControl control = new CellExecutionControl();

        CellExecutionControl control() {
            return control;
        }

        @Override
        public String name() {
            return "dlkit-local";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            return control;
        }
    }
}
