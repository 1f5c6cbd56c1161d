package dlkit.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** The kernel's JShell side, without Jupyter: evaluation, is_complete, completion, %load. */
class JavaKernelTest {

    private static JavaKernel kernel;

    @BeforeAll
    static void start() {
        kernel = JavaKernel.start(KernelConfig.from(Map.of("DLKIT_STARTUP", "false")));
    }

    @Test
    void keepsResultObjects() {
        kernel.evalRaw("var list = new java.util.ArrayList<Integer>(); list.add(4);");
        Object value = kernel.evalRaw("list");
        assertTrue(value instanceof java.util.ArrayList<?>);
        assertEquals(List.of(4), value);
        assertEquals(12, kernel.evalRaw("3 * 4"));
    }

    @Test
    void compileErrorsNameTheProblem() {
        CellError error = assertThrows(CellError.class, () -> kernel.evalRaw("int bad = \"text\";"));
        assertEquals("CompilationError", error.name());
        assertTrue(error.getMessage().contains("incompatible types"), error.getMessage());
    }

    @Test
    void runtimeExceptionsKeepTheirClass() {
        CellError error = assertThrows(CellError.class, () -> kernel.evalRaw("Integer.parseInt(\"x\")"));
        assertEquals("java.lang.NumberFormatException", error.name());
    }

    @Test
    void isCompleteAnswers() {
        assertEquals(JavaKernel.IS_COMPLETE_YES, kernel.isComplete("int a = 1;"));
        assertEquals(JavaKernel.IS_COMPLETE_YES, kernel.isComplete("1 + 1"));
        assertEquals("    ", kernel.isComplete("for (int i = 0; i < 2; i++) {"));
        assertEquals(JavaKernel.IS_COMPLETE_BAD, kernel.isComplete("}}}"));
    }

    @Test
    void completesMembers() {
        var options = kernel.complete("int n = 1;\nMath.sqr", 18);
        assertTrue(options.getReplacements().contains("sqrt("), options.getReplacements().toString());
        assertEquals(16, options.getSourceStart());
    }

    @Test
    void loadsNotebookCodeCells(@TempDir Path dir) throws Exception {
        Path notebook = dir.resolve("helpers.ipynb");
        Files.writeString(notebook, "{\"cells\": [{\"cell_type\": \"markdown\", \"source\": \"# x\"},"
                + "{\"cell_type\": \"code\", \"source\": [\"int loaded = \", \"7;\"]}]}");
        assertEquals(List.of("int loaded = 7;"), MagicCommands.loadSources(notebook));
        kernel.evalCell("%load " + notebook);
        assertEquals(7, kernel.evalRaw("loaded"));
    }

    @Test
    void answersAKernelInfoRequestOverALoopbackConnection() throws Exception {
        assertTrue(ConnectionWarmup.run(kernel), "the class-data-sharing warm-up's request gets its reply");
    }

    @Test
    void heartbeatEchoesEachPingAndClosesPromptly() throws Exception {
        KernelConnectionProperties props = ConnectionWarmup.loopbackProperties();
        KernelConnection connection = new KernelConnection(props);
        connection.connect();
        try (ZContext context = new ZContext()) {
            ZMQ.Socket ping = context.createSocket(SocketType.REQ);
            ping.setReceiveTimeOut(15_000); // generous: a loaded CI machine, not the echo, sets the pace
            ping.connect("tcp://127.0.0.1:" + props.getHbPort());
            for (String word : List.of("ping", "again")) {
                assertTrue(ping.send(word));
                assertEquals(word, ping.recvStr(), "the heartbeat echoes what it gets");
            }
        }
        long start = System.nanoTime();
        connection.close();
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 3000, "closing waits for the loops (one poll timeout), not longer: " + ms + " ms");
    }
}
