package dlkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import dlkit.engine.Engines;
import dlkit.models.Mlp;
import dlkit.train.Fit;
import dlkit.train.Run;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/** A student's own CSV file, read with Tablesaw, trains like any other examples. */
class ExamplesTableTest {

    private static Table csv(String text) {
        return Table.read().csv(CsvReadOptions.builder(new StringReader(text)).tableName("flowers"));
    }

    private static final String FLOWERS = """
            length,width,spiky,species
            1.0,0.5,true,rose
            5.0,2.5,false,lily
            1.2,0.4,true,rose
            4.8,2.6,false,lily
            3.0,3.0,false,daisy
            3.1,2.9,false,daisy
            """;

    @Test
    void numbersAndTrueFalseAreFeaturesTextLabelsAreClassIndices() {
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            Table t = csv(FLOWERS);
            Examples e = Examples.fromTable(t, "species", m);
            assertEquals(new Shape(6, 3), e.features().getShape());
            assertArrayEquals(new float[] {1f, 0.5f, 1f}, e.features().get(0).toFloatArray());
            assertEquals(List.of("daisy", "lily", "rose"), Examples.labelNames(t, "species"));
            assertArrayEquals(new float[] {2, 1, 2, 1, 0, 0}, e.labels().toFloatArray());
            assertTrue(e.identity().startsWith("table 'flowers' (6 rows, label species) sha256:"), e.identity());
            Table changed = csv(FLOWERS.replace("3.1,2.9", "3.1,2.8"));
            assertNotEquals(e.identity(), Examples.fromTable(changed, "species", m).identity(), "a changed value");
            try (Run run = Fit.builder().setBlock(Mlp.builder().setHidden(8).setOutputs(3).build()).setTrainData(e)
                    .setLoss(Loss.softmaxCrossEntropyLoss()).addEvaluator(new Accuracy()).optEpochs(2).optBatchSize(3)
                    .optProgress(false).optCache(false).build().run()) {
                assertEquals(2, run.history().epochs());
            }
        }
    }

    @Test
    void numericLabelsStayNumbers() {
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            Examples e = Examples.fromTable(csv("a,b,price\n1,2,10.5\n3,4,20.25\n"), "price", m);
            assertArrayEquals(new float[] {10.5f, 20.25f}, e.labels().toFloatArray());
        }
    }

    @Test
    void standardizedByTheTrainingPartsStatistics() {
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            Examples train = Examples.fromTable(csv("size,rooms,floor,price\n100,3,2,1\n200,5,2,2\n300,7,2,3\n"), "price", m);
            Examples test = Examples.fromTable(csv("size,rooms,floor,price\n400,9,5,4\n"), "price", m);
            Examples scaledTrain = train.standardized(train);
            float s = (float) Math.sqrt(2.0 / 3.0); // population std of (-1, 0, 1)
            assertArrayEquals(new float[] {-1 / s, -1 / s, 0, 0, 0, 0, 1 / s, 1 / s, 0}, scaledTrain.features().toFloatArray(), 1e-5f);
            // the test part moves by the training part's mean and scale; a constant feature only shifts
            assertArrayEquals(new float[] {2 / s, 2 / s, 3}, test.standardized(train).features().toFloatArray(), 1e-5f);
            assertArrayEquals(train.labels().toFloatArray(), scaledTrain.labels().toFloatArray());
            assertTrue(test.standardized(train).identity().endsWith("standardized by " + train.identity()));
        }
    }

    @Test
    void examplesGoToACsvFileAndComeBackTheSame(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            Examples generated = Examples.friedman1(50, 1.0, 3, m);
            java.nio.file.Path file = dir.resolve("friedman.csv");
            generated.toTable("y").write().csv(file.toFile());
            Examples read = Examples.fromTable(Table.read().csv(file.toFile()), "y", m);
            assertArrayEquals(generated.features().toFloatArray(), read.features().toFloatArray());
            assertArrayEquals(generated.labels().toFloatArray(), read.labels().toFloatArray());
            assertThrows(IllegalArgumentException.class, () -> new Examples(m.zeros(new Shape(2, 2, 2)), m.zeros(new Shape(2)),
                    "3-d").toTable("y"));
        }
    }

    @Test
    void sineWavesAreSequencesWithTheirNextValue() {
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            Examples clean = Examples.sineWaves(30, 8, 0.0, 5, m);
            assertEquals(new Shape(30, 8, 1), clean.features().getShape());
            assertEquals(new Shape(30, 1), clean.labels().getShape());
            float[] x = clean.features().toFloatArray();
            float[] y = clean.labels().toFloatArray();
            for (int i = 0; i < 30; i++) { // sin(p + 2.4) from sin(p) and sin(p + 0.3): the wave continues
                double phase = Math.atan2(x[i * 8] * Math.sin(0.3), x[i * 8 + 1] - x[i * 8] * Math.cos(0.3));
                assertEquals(Math.sin(phase + 2.4), y[i], 1e-5);
            }
            assertArrayEquals(y, Examples.sineWaves(30, 8, 0.5, 5, m).labels().toFloatArray(), "noise only on the inputs");
            assertThrows(IllegalArgumentException.class, () -> Examples.sineWaves(0, 8, 0.1, 1, m));
        }
    }

    @Test
    void textFeaturesBecomeOneColumnPerValueWhereTheyStood() {
        Engines.startQuietly();
        Table t = csv("colour,size,kind\nred,1,a\nblue,2,b\n,3,a\nred,4,b\n");
        Table encoded = Examples.oneHot(t, "colour");
        assertEquals(List.of("colour=blue", "colour=red", "size", "kind"), encoded.columnNames());
        assertEquals(List.of(0, 1, 0, 0), encoded.intColumn("colour=blue").asList());
        assertEquals(List.of(1, 0, 0, 1), encoded.intColumn("colour=red").asList(), "a missing colour is 0 in both");
        assertEquals(List.of("colour", "size", "kind"), t.columnNames(), "the table itself is unchanged");
        try (NDManager m = NDManager.newBaseManager()) {
            Examples examples = Examples.fromTable(encoded, "kind", m);
            assertArrayEquals(new float[] {0, 1, 1, 1, 0, 2}, examples.features().get("0:2").toFloatArray());
        }
        assertThrows(IllegalArgumentException.class, () -> Examples.oneHot(t, "shape"));
    }

    @Test
    void mistakesNameTheColumn() {
        Engines.startQuietly();
        try (NDManager m = NDManager.newBaseManager()) {
            Table t = csv(FLOWERS);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> Examples.fromTable(t, "colour", m))
                    .getMessage().contains("no column 'colour'; its columns are [length, width, spiky, species]"));
            String text = assertThrows(IllegalArgumentException.class, () -> Examples.fromTable(t, "length", m)).getMessage();
            assertTrue(text.contains("column 'species' holds string") && text.contains("table.removeColumns(\"species\")")
                    && text.contains("Examples.oneHot(table, \"species\")"), text);
            Table dated = csv("day,y\n2026-12-01,0\n2026-12-02,1\n");
            String date = assertThrows(IllegalArgumentException.class, () -> Examples.fromTable(dated, "y", m)).getMessage();
            assertTrue(date.contains("holds local_date") && date.contains("day of the year") && !date.contains("oneHot"), date);
            Table gaps = csv("a,b,y\n1,,0\n2,3,1\n");
            assertTrue(assertThrows(IllegalArgumentException.class, () -> Examples.fromTable(gaps, "y", m))
                    .getMessage().contains("column 'b' has 1 missing values"));
        }
    }
}
