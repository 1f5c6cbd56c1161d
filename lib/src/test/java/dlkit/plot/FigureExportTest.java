package dlkit.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dlkit.display.DisplaySink;
import dlkit.display.Notebook;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FigureExportTest {

    @TempDir Path figures;

    @BeforeEach
    void inANotebook() {
        System.setProperty("dlkit.figures", figures.toString());
        Notebook.install(new DisplaySink() {
            @Override
            public String display(Object value) {
                return "id";
            }

            @Override
            public void updateDisplay(String id, Object value) {}
        });
    }

    @AfterEach
    void restore() {
        Notebook.install(null);
        System.clearProperty("dlkit.figures");
    }

    private static Figure titled(String title) {
        return Figure.of(title, 200, 100, (g, w, h) -> g.drawLine(0, 0, w, h));
    }

    private long files() throws Exception {
        try (Stream<Path> s = Files.list(figures)) {
            return s.count();
        }
    }

    @Test
    void aShownFigureIsExportedUnderItsTitle() throws Exception {
        titled("Accuracy by epoch (test set)").toMimeBundle();
        assertTrue(Files.size(figures.resolve("accuracy-by-epoch-test-set.png")) > 0);
        assertTrue(Files.size(figures.resolve("accuracy-by-epoch-test-set.svg")) > 0);
        titled("Accuracy by epoch (test set)").toMimeBundle();
        assertEquals(2, files(), "showing it again overwrites the same files");
        assertEquals("figure", titled("").exportName());
    }

    @Test
    void savedAndProgressFiguresAreNotExportedAgain() throws Exception {
        Figure saved = titled("Loss");
        saved.save("my-loss");
        saved.toMimeBundle();
        titled("Live curves").withoutExport().toMimeBundle();
        assertTrue(Files.exists(figures.resolve("my-loss.png")));
        assertFalse(Files.exists(figures.resolve("loss.png")));
        assertEquals(2, files());
    }

    @Test
    void nothingIsExportedOutsideANotebook() throws Exception {
        Notebook.install(null);
        titled("Console").toMimeBundle();
        assertEquals(0, files());
    }
}
