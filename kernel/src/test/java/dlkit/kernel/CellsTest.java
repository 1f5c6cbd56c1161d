package dlkit.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
