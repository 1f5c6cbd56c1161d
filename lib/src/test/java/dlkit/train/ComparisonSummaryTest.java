package dlkit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class ComparisonSummaryTest {

    @Test
    void signedRankTestIsExactForFewSeeds() {
        assertEquals(2.0 / 8, ComparisonSummary.signedRankP(new double[] {0.0013, 0.0022, 0.0014}), 1e-12);
        assertEquals(2.0 / 64, ComparisonSummary.signedRankP(new double[] {1, 2, 3, 4, 5, 6}), 1e-12);
        assertEquals(1.0, ComparisonSummary.signedRankP(new double[] {0, 0, 0}), 1e-12, "all tied");
        assertEquals(2.0 / 8, ComparisonSummary.signedRankP(new double[] {0, 0.001, 0.002, 0.003}), 1e-12,
                "a tied seed is left out, not counted against the leader");
        // ranks 3, 1, 2 with signs +, -, +: rank sums of at least 5 are {2,3} and {1,2,3}, 2 of 8, twice
        assertEquals(4.0 / 8, ComparisonSummary.signedRankP(new double[] {3, -1, 2}), 1e-12);
        double[] many = new double[31];
        java.util.Arrays.fill(many, 0.001);
        many[0] = -0.001;
        double approximate = ComparisonSummary.signedRankP(many);
        assertTrue(approximate > 0 && approximate < 1e-4, "31 pairs, 30 ahead (normal approximation): p " + approximate);
    }

    @Test
    void aLeadInEveryOneOfThreeSeedsIsCalledPossibleNoise() {
        Table runs = runs(new double[] {0.9205, 0.9212, 0.9204}, new double[] {0.9192, 0.9190, 0.9190});
        String lead = lead(runs);
        assertTrue(lead.startsWith("A leads B by 0.16 points of val_accuracy, ahead in 3 of 3 seeds"), lead);
        assertTrue(lead.contains("p = 0.250: the lead may be seed-to-seed noise (with 3 seeds no lead can reach"
                + " p < 0.05: that takes at least 6)"), lead);
    }

    @Test
    void aLeadInEveryOneOfSixSeedsIsCalledUnlikelyNoise() {
        Table runs = runs(new double[] {0.93, 0.94, 0.93, 0.95, 0.94, 0.93}, new double[] {0.92, 0.92, 0.91, 0.92, 0.93, 0.92});
        String lead = lead(runs);
        assertTrue(lead.contains("ahead in 6 of 6 seeds"), lead);
        assertTrue(lead.contains("p = 0.0313: a lead this consistent is unlikely to be seed-to-seed noise"), lead);
    }

    @Test
    void aDivergedRunLeavesItsSeedOutOfThePairs() {
        Table runs = runs(new double[] {0.95, 0.94}, new double[] {0.90, 0.91});
        runs.booleanColumn("diverged").set(3, true); // B's second seed
        String lead = lead(runs);
        assertTrue(lead.endsWith("with one seed trained by both, the spread between seeds is unknown"), lead);
    }

    @Test
    void lowerIsBetterTurnsTheSign() {
        Table runs = runs(new double[] {0.10, 0.11, 0.12}, new double[] {0.20, 0.21, 0.22});
        Map<String, Double> rates = new LinkedHashMap<>();
        rates.put("A", 0.1);
        rates.put("B", 0.1);
        Table summary = ComparisonSummary.table(runs, rates, "val_accuracy");
        String lead = ComparisonSummary.lead(summary, runs, "A", "B", "val_accuracy", false);
        assertTrue(lead.contains("ahead in 3 of 3 seeds"), lead);
    }

    private static String lead(Table runs) {
        Map<String, Double> rates = new LinkedHashMap<>();
        rates.put("A", 0.1);
        rates.put("B", 0.1);
        Table summary = ComparisonSummary.table(runs, rates, "val_accuracy");
        String findings = ComparisonSummary.findings(summary, runs, List.of("A", "B"), "val_accuracy", true);
        assertTrue(findings.startsWith("ranking by best val_accuracy (mean over seeds): A > B"), findings);
        return findings.split("\n")[2];
    }

    /** Configurations A and B, one run per seed 1..n, with the given best values. */
    private static Table runs(double[] a, double[] b) {
        Table t = Table.create("runs", StringColumn.create("config"), IntColumn.create("seed"),
                DoubleColumn.create("final_train_loss"), DoubleColumn.create("final_val_loss"),
                DoubleColumn.create("best_val_accuracy"), IntColumn.create("best_epoch"),
                DoubleColumn.create("seconds_per_epoch"), BooleanColumn.create("diverged"));
        for (int c = 0; c < 2; c++) {
            double[] values = c == 0 ? a : b;
            for (int i = 0; i < values.length; i++) {
                t.stringColumn("config").append(c == 0 ? "A" : "B");
                t.intColumn("seed").append(i + 1);
                t.doubleColumn("final_train_loss").append(0.1);
                t.doubleColumn("final_val_loss").append(0.2);
                t.doubleColumn("best_val_accuracy").append(values[i]);
                t.intColumn("best_epoch").append(1);
                t.doubleColumn("seconds_per_epoch").append(1.0);
                t.booleanColumn("diverged").append(false);
            }
        }
        return t;
    }
}
