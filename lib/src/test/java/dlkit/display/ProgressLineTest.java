package dlkit.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    @Test
    void oneLineUpdatedInPlaceInANotebook() {
        List<String> shown = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        Notebook.install(new DisplaySink() {
            @Override
            public String display(Object value) {
                shown.add(((MimeBundle) value).toMimeBundle().get("text/plain"));
                ids.add("new");
                return "p1";
            }

            @Override
            public void updateDisplay(String id, Object value) {
                shown.add(((MimeBundle) value).toMimeBundle().get("text/plain"));
                ids.add(id);
            }
        });
        try {
            ProgressLine progress = ProgressLine.start("loss surface", 3, "points");
            progress.step();
            progress.advance(2);
            progress.done();
        } finally {
            Notebook.install(null);
        }
        assertEquals("loss surface: 3 points to go", shown.get(0));
        assertTrue(shown.get(shown.size() - 1).matches("loss surface: 3 points in \\d+\\.\\d s"), shown.toString());
        assertEquals(List.of("new", "p1"), List.of(ids.get(0), ids.get(ids.size() - 1)), "one output, updated");
    }
}
