package dlkit.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class TablesTest {

    private static Table results() {
        return Table.create("Test accuracy & loss (50% data)",
                StringColumn.create("model_name", "CNN", "ResNet"),
                DoubleColumn.create("accuracy", 0.7099999785423279, 0.9123456));
    }

    @Test
    void markdownAndLatexRoundLikeTheNotebook() {
        String md = Tables.markdown(results());
        assertTrue(md.contains("| model_name | accuracy |\n|---|---:|\n| CNN | 0.71 |\n| ResNet | 0.9123 |"), md);
        String tex = Tables.latex(results());
        assertTrue(tex.contains("\\caption{Test accuracy \\& loss (50\\% data)}"), tex);
        assertTrue(tex.contains("\\begin{tabular}{lr}\n\\toprule\nmodel\\_name & accuracy \\\\\n\\midrule\nCNN & 0.71 \\\\"), tex);
        assertTrue(tex.contains("\\bottomrule"), tex);
    }

    @Test
    void savedNextToTheFiguresWithFullPrecisionInTheCsv(@TempDir Path figures) throws Exception {
        System.setProperty("dlkit.figures", figures.toString());
        try {
            assertEquals(3, Tables.save(results(), "accuracy").size());
            assertTrue(Files.readString(figures.resolve("accuracy.csv")).contains("0.7099999785423279"));
            assertTrue(Files.readString(figures.resolve("accuracy.md")).contains("| CNN | 0.71 |"));
            assertTrue(Files.exists(figures.resolve("accuracy.tex")));
            assertThrows(IllegalArgumentException.class, () -> Tables.save(results(), "a/b"));
        } finally {
            System.clearProperty("dlkit.figures");
        }
    }
}
