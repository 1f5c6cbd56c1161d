package dlkit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class RecorderTest {

    @Test
    void aHandWrittenLoopGetsFitsHistory() {
        Recorder recorder = Recorder.start(2, 3, 30, List.of("accuracy"), false);
        for (int epoch = 1; epoch <= 2; epoch++) {
            for (int b = 0; b < 3; b++) {
                recorder.batch(1f / (epoch * 3 + b));
            }
            recorder.epochEnded(Map.of("train_loss", 0.5 / epoch, "train_accuracy", 0.4 * epoch, "lr", 0.1));
        }
        Table t = recorder.history().table();
        assertEquals(List.of("epoch", "step", "train_loss", "train_accuracy", "lr", "seconds"), t.columnNames());
        assertEquals(List.of(3, 6), t.intColumn("step").asList());
        assertEquals(0.25, t.doubleColumn("train_loss").get(1), 1e-12);
        assertEquals(6, recorder.history().batches().rowCount());
        assertTrue(recorder.history().curves().figure() != null);
    }

    @Test
    void historiesSideBySide() {
        Recorder a = Recorder.start(2, 4, 4, List.of("accuracy"), false);
        Recorder b = Recorder.start(1, 1, 4, List.of(), false);
        for (int epoch = 1; epoch <= 2; epoch++) {
            for (int i = 0; i < 4; i++) {
                a.batch(1f);
            }
            a.epochEnded(Map.of("train_loss", 1.0 / epoch, "train_accuracy", 0.5, "lr", 0.1 / epoch));
        }
        b.batch(2f);
        b.epochEnded(Map.of("train_loss", 2.0, "lr", 0.1));
        Table t = History.table(new java.util.LinkedHashMap<>(Map.of("a", a.history())));
        assertEquals(List.of("run", "epochs", "updates", "seconds", "updates/s", "sum of lr", "final train_loss",
                "final train_accuracy"), t.columnNames());
        assertEquals(8, t.intColumn("updates").get(0));
        assertEquals(4 * 0.1 + 4 * 0.05, t.doubleColumn("sum of lr").get(0), 1e-12);
        var both = new java.util.LinkedHashMap<String, History>();
        both.put("a", a.history());
        both.put("b", b.history());
        Table shared = History.table(both);
        assertEquals(List.of("a", "b"), shared.stringColumn("run").asList());
        assertEquals(List.of(0.5, 2.0), shared.doubleColumn("final train_loss").asList());
        assertTrue(!shared.containsColumn("final train_accuracy"), "only shared columns");
    }

    @Test
    void aMissingColumnIsNamed() {
        Recorder recorder = Recorder.start(1, 1, 1, List.of("accuracy"), true);
        recorder.batch(1f);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> recorder.epochEnded(Map.of("train_loss", 1.0, "train_accuracy", 0.5, "lr", 0.1)));
        assertTrue(e.getMessage().contains("'val_loss'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Recorder.start(0, 1, 1, List.of(), false));
    }
}
