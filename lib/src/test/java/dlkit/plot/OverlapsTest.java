package dlkit.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

class OverlapsTest {

    private static Table run(double scale, double shift) {
        Table t = Table.create("r", IntColumn.create("epoch"), DoubleColumn.create("val_loss"));
        for (int e = 1; e <= 20; e++) {
            t.intColumn("epoch").append(e);
            t.doubleColumn("val_loss").append(scale / e + shift);
        }
        return t;
    }

    @Test
    void aLineDrawnOverAnAlikeOneGetsGapsAndOthersStaySolid() {
        Map<String, Table> runs = new LinkedHashMap<>();
        runs.put("SGD", run(2, 0.1));
        runs.put("Adam", run(1, 0.1));
        runs.put("AdamW", run(1, 0.105)); // within 1.5% of the plot's height of Adam everywhere
        XYChart chart = (XYChart) LearningCurves.of(runs).metric("val_loss").only("validation").figure().chart();
        assertNull(chart.getSeries("SGD").getLineStyle().getDashArray());
        assertNull(chart.getSeries("Adam").getLineStyle().getDashArray());
        assertArrayEquals(Overlaps.GAPS, chart.getSeries("AdamW").getLineStyle().getDashArray());
    }

    @Test
    void linesApartSomewhereAreLeftAlone() {
        Map<String, Table> runs = new LinkedHashMap<>();
        runs.put("a", run(1, 0.1));
        Table b = run(1, 0.1);
        b.doubleColumn("val_loss").set(10, 0.8); // one epoch far off: the lines can be told apart
        runs.put("b", b);
        XYChart chart = (XYChart) LearningCurves.of(runs).metric("val_loss").only("validation").figure().chart();
        assertEquals(0, Overlaps.reveal(chart, false));
    }
}
