package dlkit.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up: the kernel functions and dlkit's imports (one JShell snippet), then the user's scripts. */
class CellsTest {

    @Test
    void startUpImportsThenScriptsInOrderAndFailuresAreReported(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("first.jsh");
        Files.writeString(script, "int fromScript = 40;\n");
        Cells cells = Cells.start(KernelConfig.from(Map.of(
                "IJAVA_STARTUP_SCRIPTS_PATH", script.toString(),
                "IJAVA_STARTUP_SCRIPT", "int fromCode = fromScript + 1;\nint broken = \"text\";")));
        cells.displayInstalled();
        try {
            assertEquals(41, cells.run("fromCode"));
            assertEquals("t", cells.run("Table.create(\"t\").name()"), "dlkit's start-up imports");
            assertEquals(3, cells.run("List.of(1, 2, 3).size()"));
            // DJL's layers, for a network of one's own (checked to compile, not run: no engine here)
            cells.run("Supplier<List<Object>> layers = () -> List.of(Conv2d.builder(), Pool.maxPool2dBlock(new Shape(2, 2)),"
                    + " BatchNorm.builder(), Dropout.builder(), LSTM.builder(), GRU.builder(), Linear.builder());");
            // a dataset of one's own: DJL's Record, not java.lang.Record
            cells.run("class Squares extends RandomAccessDataset {\n"
                    + "  Squares() { super(new ArrayDataset.Builder().setSampling(8, true)); }\n"
                    + "  public Record get(NDManager m, long i) {\n"
                    + "    return new Record(new NDList(m.create((float) i)), new NDList(m.create((float) (i * i)))); }\n"
                    + "  protected long availableSize() { return 100; }\n"
                    + "  public void prepare(ai.djl.util.Progress p) {} }");
            cells.run("Runnable later = () -> eval(\"1 + 1\");"); // compiles: the kernel functions are imported
            List<String> errors = cells.takeStartupErrors();
            assertEquals(1, errors.size(), errors.toString());
            assertTrue(errors.get(0).contains("IJAVA_STARTUP_SCRIPT") && errors.get(0).contains("incompatible types"),
                    errors.get(0));
            assertEquals(List.of(), cells.takeStartupErrors(), "reported once");
        } finally {
            cells.close();
        }
    }

    @Test
    void compilerOptionsReachTheCellsCode() {
        Cells cells = Cells.start(KernelConfig.from(Map.of("IJAVA_COMPILER_OPTS", "-parameters")));
        cells.displayInstalled();
        try {
            cells.run("class P { void m(int alpha) {} }");
            assertEquals("alpha", cells.run("P.class.getDeclaredMethods()[0].getParameters()[0].getName()"),
                    "-parameters keeps parameter names (IJava's own example)");
        } finally {
            cells.close();
        }
    }

    @Test
    void aCellImportingAStartUpPackageAgainKeepsTheOthers() {
        Cells cells = Cells.start(KernelConfig.from(Map.of()));
        cells.displayInstalled();
        try {
            cells.run("import java.util.*;\nimport tech.tablesaw.api.*;");
            assertEquals("x3", cells.run("new File(\"x\").getName() + Stream.of(1, 2, 3).count()"));
        } finally {
            cells.close();
        }
    }

    @Test
    void aNotebooksOwnImportWinsOverTheStartUpImportsExceptTheJdks() {
        Cells cells = Cells.start(KernelConfig.from(Map.of()));
        cells.displayInstalled();
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            // Tribuo's Model, Trainer and Dataset share their names with DJL's start-up imports
            cells.run("import org.tribuo.*;");
            assertEquals("org.tribuo.Model", cells.run("Model.class.getName()"));
            assertEquals("org.tribuo.Trainer", cells.run("Trainer.class.getName()"));
            assertEquals("ai.djl.ndarray.types.Shape", cells.run("Shape.class.getName()"), "names it does not share stay");
            String note = printed.toString(StandardCharsets.UTF_8);
            assertTrue(note.contains("import org.tribuo.*: Dataset, Model, Trainer now name this package's;"
                    + " the kernel's start-up imports had ai.djl.training.dataset.Dataset, ai.djl.Model,"), note);
            // a JDK package keeps Java's rule: an ambiguous name is an error that names both
            cells.run("import java.awt.*;");
            CellError e = assertThrows(CellError.class, () -> cells.run("Shape.class.getName()"));
            assertTrue(e.getMessage().contains("reference to Shape is ambiguous"), e.getMessage());
        } finally {
            System.setOut(out);
            cells.close();
        }
    }
}
