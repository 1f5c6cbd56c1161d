package dlkit.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /** Sentences computed from the summary; see {@link Comparison.Result#findings()}. */
    static String findings(Table s, List<String> ranking, String best, boolean higherIsBetter) {
        List<String> lines = new ArrayList<>();
        lines.add("ranking by best " + best + " (mean over seeds): " + String.join(" > ", ranking));
        Table ok = s.where(s.intColumn("diverged").isEqualTo(0));
        if (!ok.isEmpty()) {
            lines.add("lowest final training loss: " + ok.sortAscendingOn("final_train_loss_mean").stringColumn("config").get(0));
        }
        if (ranking.size() >= 2) {
            Row first = row(s, ranking.get(0));
            Row second = row(s, ranking.get(1));
            double gap = first.getDouble("best_" + best + "_mean") - second.getDouble("best_" + best + "_mean");
            boolean accuracy = best.endsWith("accuracy");
            String amount = accuracy ? String.format(Locale.ROOT, "%.2f points", 100 * Math.abs(gap))
                    : dlkit.display.Html.number(Math.abs(gap));
            boolean oneSeed = first.getInt("runs") - first.getInt("diverged") < 2;
            boolean overlap = higherIsBetter
                    ? first.getDouble("best_" + best + "_min") <= second.getDouble("best_" + best + "_max")
                    : first.getDouble("best_" + best + "_max") >= second.getDouble("best_" + best + "_min");
            lines.add(String.format(Locale.ROOT, "%s leads %s by %s of %s; %s", ranking.get(0), ranking.get(1), amount,
                    best, oneSeed ? "with one seed the spread between seeds is unknown"
                            : overlap ? "their seed ranges overlap, so the lead is within seed-to-seed noise"
                            : "their seed ranges do not overlap"));
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
