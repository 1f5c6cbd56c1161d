package dlkit.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class DisplayTest {

    @Test
    void numbersShowMeaningfulDigitsOnly() {
        assertEquals("0.71", Html.number(0.7099999785423279));
        assertEquals("3", Html.number(3.0));
        assertEquals("-12", Html.number(-12));
        assertEquals("0.001", Html.number(0.001));
        assertEquals("12.35", Html.number(12.3456));
        assertEquals("1.5e-05", Html.number(1.5e-5));
        assertEquals("2.346e+05", Html.number(234567.8));
        assertEquals("NaN", Html.number(Double.NaN));
    }

    @Test
    void longTablesAreCutWideTablesScrollAndTextIsEscaped() {
        int[] values = new int[50];
        double[] halves = new double[50];
        for (int i = 0; i < 50; i++) {
            values[i] = i;
            halves[i] = i / 3.0;
        }
        Table t = Table.create("<scores>", IntColumn.create("epoch", values), DoubleColumn.create("loss", halves));
        String html = Html.table(t);
        assertTrue(html.contains("&lt;scores&gt;"), html);
        assertTrue(html.contains(">9</td>") && html.contains(">40</td>") && !html.contains(">25</td>"), html);
        assertTrue(html.contains("&hellip;"));
        assertTrue(html.contains("overflow-x:auto"));
        assertTrue(html.contains("50 rows x 2 columns"));
        assertTrue(html.contains(">0.3333</td>"), "rounded for reading");
        assertFalse(html.contains("<th></th>"), "no index column");
        String text = Html.text(t);
        assertTrue(text.startsWith("<scores>\n"), text);
        assertTrue(text.contains("..."));
        assertEquals(1 + 1 + 20 + 1 + 1, text.split("\n").length, text); // name, header, 20 rows, cut, size
    }

    @Test
    void textColumnsLineUp() {
        Table t = Table.create("t", StringColumn.create("name", "a", "longer"), DoubleColumn.create("v", 1.5, 10.25));
        String[] lines = Html.text(t).split("\n");
        assertEquals("name        v", lines[1]);
        assertEquals("a         1.5", lines[2]);
        assertEquals("longer  10.25", lines[3]);
    }

    @Test
    void withoutAKernelDisplaysPrintAndWithOneTheyGoToIt() {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            Notebook.install(null);
            assertFalse(Notebook.isActive());
            assertEquals("console", Notebook.display("epoch 1"));
            Notebook.updateDisplay("console", "epoch 2");
        } finally {
            System.setOut(old);
        }
        assertEquals("epoch 1\nepoch 2\n", out.toString(StandardCharsets.UTF_8));

        List<String> calls = new ArrayList<>();
        Notebook.install(new DisplaySink() {
            @Override
            public String display(Object value) {
                calls.add("display " + value);
                return "id7";
            }

            @Override
            public void updateDisplay(String id, Object value) {
                calls.add("update " + id + " " + value);
            }
        });
        try {
            assertTrue(Notebook.isActive());
            String id = Notebook.display("a");
            Notebook.updateDisplay(id, "b");
        } finally {
            Notebook.install(null);
        }
        assertEquals(List.of("display a", "update id7 b"), calls);
    }
}
