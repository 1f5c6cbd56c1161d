package dlkit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import dlkit.display.DisplaySink;
import dlkit.display.MimeBundle;
import dlkit.display.Notebook;
import dlkit.engine.Engines;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

class ProgressTest {

    private static Fit.Builder fit(NDArray[] data) {
        return Fit.builder().setBlock(Synthetic.mlp()).setTrainData(data[0], data[1])
                .setLoss(Loss.softmaxCrossEntropyLoss()).optValidation(data[0], data[1])
                .optEpochs(3).optBatchSize(16).optCache(false);
    }

    @Test
    void consoleGetsOneLinePerEpochWithoutCarriageReturns() {
        Engines.startQuietly();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] data = Synthetic.blobs(m, 64, 4);
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            fit(data).build().run().close();
        } finally {
            System.setOut(old);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"));
        List<String> lines = text.lines().filter(l -> l.startsWith("epoch ")).toList();
        assertEquals(3, lines.size(), text);
        assertTrue(lines.get(0).startsWith("epoch 1/3  train_loss "), lines.get(0));
        assertTrue(lines.get(0).contains("val_loss") && lines.get(0).contains("ex/s"), lines.get(0));
    }

    @Test
    void notebookGetsOneOutputUpdatedInPlaceAndAChart() {
        Engines.startQuietly();
        List<String> calls = new ArrayList<>();
        Notebook.install(new DisplaySink() {
            int next;

            @Override
            public String display(Object value) {
                calls.add("display " + kind(value));
                return "id" + next++;
            }

            @Override
            public void updateDisplay(String id, Object value) {
                calls.add("update " + id + " " + kind(value));
            }
        });
        try (NDManager m = NDManager.newBaseManager()) {
            fit(Synthetic.blobs(m, 64, 4)).optChart(true).build().run().close();
        } finally {
            Notebook.install(null);
        }
        assertEquals("display text", calls.get(0));
        assertEquals(1, calls.stream().filter(c -> c.equals("display text")).count(), calls::toString);
        assertEquals(1, calls.stream().filter(c -> c.equals("display chart")).count(), calls::toString);
        assertEquals(2, calls.stream().filter(c -> c.startsWith("update") && c.endsWith("chart")).count(), calls::toString);
        assertTrue(calls.stream().anyMatch(c -> c.equals("update id0 text")), calls::toString);
    }

    private static String kind(Object value) {
        if (value instanceof XYChart || value instanceof dlkit.plot.Figure) {
            return "chart";
        }
        return value instanceof MimeBundle ? "text" : value.getClass().getSimpleName();
    }
}
