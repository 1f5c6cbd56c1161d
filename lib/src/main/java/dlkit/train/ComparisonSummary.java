package dlkit.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** A {@link Comparison}'s per-configuration table and the findings written from it. */
final class ComparisonSummary {

    private ComparisonSummary() {}

    /** One row per configuration over its seeds; see {@link Comparison.Result#summary()}. */
    static Table table(Table runs, Map<String, Double> learningRates, String best) {
        StringColumn config = StringColumn.create("config");
        DoubleColumn lr = DoubleColumn.create("lr");
        IntColumn count = IntColumn.create("runs");
        IntColumn diverged = IntColumn.create("diverged");
        DoubleColumn lossMean = DoubleColumn.create("final_train_loss_mean");
        DoubleColumn lossStd = DoubleColumn.create("final_train_loss_std");
        DoubleColumn valLossMean = DoubleColumn.create("final_val_loss_mean");
        DoubleColumn bestMean = DoubleColumn.create("best_" + best + "_mean");
        DoubleColumn bestStd = DoubleColumn.create("best_" + best + "_std");
        DoubleColumn bestMin = DoubleColumn.create("best_" + best + "_min");
        DoubleColumn bestMax = DoubleColumn.create("best_" + best + "_max");
        DoubleColumn epochMean = DoubleColumn.create("best_epoch_mean");
        DoubleColumn seconds = DoubleColumn.create("seconds_per_epoch");
        for (String name : learningRates.keySet()) {
            Table mine = runs.where(runs.stringColumn("config").isEqualTo(name));
            Table ok = mine.where(mine.booleanColumn("diverged").isFalse());
            config.append(name);
            lr.append(learningRates.get(name));
            count.append(mine.rowCount());
            diverged.append(mine.rowCount() - ok.rowCount());
            DoubleColumn loss = ok.doubleColumn("final_train_loss");
            DoubleColumn value = ok.doubleColumn("best_" + best);
            lossMean.append(ok.isEmpty() ? Double.NaN : loss.mean());
            lossStd.append(ok.rowCount() < 2 ? Double.NaN : loss.standardDeviation());
            valLossMean.append(ok.isEmpty() ? Double.NaN : ok.doubleColumn("final_val_loss").mean());
            bestMean.append(ok.isEmpty() ? Double.NaN : value.mean());
            bestStd.append(ok.rowCount() < 2 ? Double.NaN : value.standardDeviation());
            bestMin.append(ok.isEmpty() ? Double.NaN : value.min());
            bestMax.append(ok.isEmpty() ? Double.NaN : value.max());
            epochMean.append(ok.isEmpty() ? Double.NaN : ok.intColumn("best_epoch").mean());
            seconds.append(mine.doubleColumn("seconds_per_epoch").removeMissing().mean());
        }
        return Table.create("comparison by configuration (mean over seeds; diverged runs left out)",
                config, lr, count, diverged, lossMean, lossStd, valLossMean, bestMean, bestStd, bestMin, bestMax,
                epochMean, seconds);
    }

    /** Sentences computed from the summary and the runs; see {@link Comparison.Result#findings()}. */
    static String findings(Table s, Table runs, List<String> ranking, String best, boolean higherIsBetter) {
        List<String> lines = new ArrayList<>();
        lines.add("ranking by best " + best + " (mean over seeds): " + String.join(" > ", ranking));
        Table ok = s.where(s.intColumn("diverged").isEqualTo(0));
        if (!ok.isEmpty()) {
            lines.add("lowest final training loss: " + ok.sortAscendingOn("final_train_loss_mean").stringColumn("config").get(0));
        }
        if (ranking.size() >= 2) {
            lines.add(lead(s, runs, ranking.get(0), ranking.get(1), best, higherIsBetter));
        }
        for (int r = 0; r < s.rowCount(); r++) {
            int diverged = s.intColumn("diverged").get(r);
            if (diverged > 0) {
                lines.add(String.format(Locale.ROOT, "%s diverged (NaN or infinite loss) in %d of %d runs",
                        s.stringColumn("config").get(r), diverged, s.intColumn("runs").get(r)));
            }
        }
        return String.join("\n", lines);
    }

    /**
     * Whether the leader's lead over the second could be seed-to-seed noise. Every configuration
     * trains with the same seeds, and a seed fixes the initial weights and the batch order, so the
     * runs pair up by seed; the test is the Wilcoxon signed-rank test of the paired differences,
     * which assumes no distribution for them. With n seeds the smallest
     * possible two-sided p is 2 / 2^n, so fewer than 6 seeds can never give p < 0.05: the sentence
     * says so rather than let a lead in every seed of three read as evidence.
     */
    static String lead(Table s, Table runs, String first, String second, String best, boolean higherIsBetter) {
        String column = "best_" + best;
        double gap = row(s, first).getDouble(column + "_mean") - row(s, second).getDouble(column + "_mean");
        String amount = best.endsWith("accuracy") ? String.format(Locale.ROOT, "%.2f points", 100 * Math.abs(gap))
                : dlkit.display.Html.number(Math.abs(gap));
        String head = String.format(Locale.ROOT, "%s leads %s by %s of %s", first, second, amount, best);
        double[] d = pairedDifferences(runs, column, first, second, higherIsBetter);
        if (d.length < 2) {
            return head + "; with " + (d.length == 0 ? "no seed" : "one seed") + " trained by both, the spread"
                    + " between seeds is unknown";
        }
        int ahead = 0;
        for (double x : d) {
            ahead += x > 0 ? 1 : 0;
        }
        double p = signedRankP(d);
        String verdict = p < 0.05 ? "a lead this consistent is unlikely to be seed-to-seed noise"
                : "the lead may be seed-to-seed noise" + (d.length < 6 ? String.format(Locale.ROOT,
                        " (with %d seeds no lead can reach p < 0.05: that takes at least 6)", d.length) : "");
        return String.format(Locale.ROOT, "%s, ahead in %d of %d seeds (runs paired by seed); a Wilcoxon"
                + " signed-rank test over the seeds gives p = %.3g: %s", head, ahead, d.length, p, verdict);
    }

    /** first minus second (sign turned so that positive is better), per seed where neither diverged. */
    private static double[] pairedDifferences(Table runs, String column, String first, String second, boolean higherIsBetter) {
        Map<Integer, Double> firstBySeed = new TreeMap<>();
        List<Double> d = new ArrayList<>();
        for (Row r : runs) {
            if (r.getString("config").equals(first) && !r.getBoolean("diverged")) {
                firstBySeed.put(r.getInt("seed"), r.getDouble(column));
            }
        }
        for (Row r : runs) {
            Double a = firstBySeed.get(r.getInt("seed"));
            if (r.getString("config").equals(second) && !r.getBoolean("diverged") && a != null
                    && !Double.isNaN(a) && !Double.isNaN(r.getDouble(column))) {
                d.add((higherIsBetter ? 1 : -1) * (a - r.getDouble(column)));
            }
        }
        return d.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * The two-sided p of the Wilcoxon signed-rank test of paired differences (Commons Math: exact
     * up to 30 pairs, the normal approximation beyond), at most 1. Zero differences are left out,
     * as Wilcoxon's test does; Commons Math would rank them with the negative ones.
     */
    static double signedRankP(double[] d) {
        double[] nonZero = Arrays.stream(d).filter(x -> x != 0).toArray();
        if (nonZero.length == 0) {
            return 1;
        }
        return Math.min(1, new WilcoxonSignedRankTest().wilcoxonSignedRankTest(nonZero, new double[nonZero.length],
                nonZero.length <= 30));
    }

    /** Differences of two summaries' means; see {@link Comparison.Result#changeFrom}. */
    static Table change(Table now, Table then, String best) {
        StringColumn config = StringColumn.create("config");
        DoubleColumn train = DoubleColumn.create("final_train_loss_change");
        DoubleColumn val = DoubleColumn.create("final_val_loss_change");
        DoubleColumn metric = DoubleColumn.create("best_" + best + "_change");
        for (int r = 0; r < now.rowCount(); r++) {
            String name = now.stringColumn("config").get(r);
            if (!then.stringColumn("config").contains(name)) {
                continue;
            }
            Row old = row(then, name);
            config.append(name);
            train.append(now.doubleColumn("final_train_loss_mean").getDouble(r) - old.getDouble("final_train_loss_mean"));
            val.append(now.doubleColumn("final_val_loss_mean").getDouble(r) - old.getDouble("final_val_loss_mean"));
            metric.append(now.doubleColumn("best_" + best + "_mean").getDouble(r) - old.getDouble("best_" + best + "_mean"));
        }
        return Table.create("change from the other comparison (this minus that)", config, train, val, metric);
    }

    /** The summary row of a configuration. */
    static Row row(Table summary, String config) {
        Row row = new Row(summary);
        row.at(summary.stringColumn("config").indexOf(config));
        return row;
    }
}
