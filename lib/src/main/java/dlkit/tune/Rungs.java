package dlkit.tune;

import ai.djl.nn.Block;
import com.google.gson.reflect.TypeToken;
import dlkit.inspect.ModelSummary;
import dlkit.train.Fit;
import dlkit.train.FitListener;
import dlkit.train.History;
import dlkit.train.RunStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import tech.tablesaw.api.Table;

/**
 * Runs {@link Halving} over the fits of a search or grid. A member trains to a rung by running its
 * full-budget fit with a listener that stops it after the rung's epoch (the checkpoint stays, so the
 * next rung continues from there); what each member has shown so far is kept in a JSON file, so an
 * interrupted or repeated search decides exactly as before without training again.
 */
final class Rungs {

    /** One configuration: its name and a fresh builder of its full-budget fit per call. */
    record Member(String id, Supplier<Fit.Builder> fit) {}

    /**
     * What training has shown of one member so far.
     *
     * @param rows the history's epoch rows (column to value), first epoch first
     * @param complete whether the fit ended (budget reached, early stopping or a non-finite loss)
     * @param divergence why training stopped on a non-finite loss, or null
     * @param stopped why early stopping ended it, or null
     */
    record Standing(String id, String runKey, long parameters, List<Map<String, Double>> rows, boolean complete,
            String divergence, String stopped) {}

    /**
     * Where a member ended up.
     *
     * @param rows its epoch rows up to where it stopped
     * @param prunedAt the epoch it was pruned after, or 0 when it trained to its end
     */
    record Outcome(Standing standing, List<Map<String, Double>> rows, int prunedAt) {
        boolean pruned() {
            return prunedAt > 0;
        }
    }

    private static final String FILE = "rungs.json";

    private final Halving halving;
    private final Path file;
    private final String column;
    private final boolean lowerIsBetter;
    private final Consumer<String> status;
    private final IntFunction<FitListener> watcher;
    private final java.util.Set<Integer> trained = new java.util.HashSet<>();

    /**
     * @param folder where {@code rungs.json} is kept (one per search or grid)
     * @param column the history column that ranks members, e.g. {@code val_accuracy}
     * @param status receives one line per trained member and rung
     * @param watcher a listener for member {@code i}'s fit (progress), or null
     */
    Rungs(Halving halving, Path folder, String column, boolean lowerIsBetter, Consumer<String> status,
            IntFunction<FitListener> watcher) {
        this.halving = halving;
        this.file = folder.resolve(FILE);
        this.column = column;
        this.lowerIsBetter = lowerIsBetter;
        this.status = status;
        this.watcher = watcher;
    }

    List<Outcome> run(List<Member> members) {
        trained.clear();
        int n = members.size();
        int[] budget = new int[n];
        for (int i = 0; i < n; i++) {
            Fit fit = members.get(i).fit().get().build();
            if (!fit.caches()) {
                throw new IllegalArgumentException("pruning continues each configuration from its checkpoint in the"
                        + " run cache, but " + members.get(i).id() + "'s fit has optCache(false): remove it,"
                        + " or search without optPruning");
            }
            budget[i] = fit.epochs();
        }
        Map<String, Standing> state = load();
        Standing[] known = new Standing[n];
        for (int i = 0; i < n; i++) {
            Standing s = state.get(members.get(i).id());
            // a stored standing counts only while the member's fit is still the computation it came from
            known[i] = s != null && s.runKey().equals(members.get(i).fit().get().build().key()) ? s : null;
        }
        List<Integer> rungs = halving.rungs(java.util.Arrays.stream(budget).max().orElse(1));
        int[] prunedAt = new int[n];
        List<Integer> alive = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            alive.add(i);
        }
        for (int k = 0; k < rungs.size(); k++) {
            int rung = rungs.get(k);
            List<Integer> due = new ArrayList<>();
            for (int i : alive) {
                int target = Math.min(rung, budget[i]);
                if (known[i] == null || !known[i].complete() && known[i].rows().size() < target) {
                    due.add(i);
                }
            }
            if (!due.isEmpty()) {
                status.accept(String.format(Locale.ROOT, "rung %d/%d (%d %s): training %d of %d", k + 1, rungs.size(),
                        rung, rung == 1 ? "epoch" : "epochs", due.size(), alive.size()));
                train(due, members, rung, budget, known, state);
            }
            if (k == rungs.size() - 1) {
                break;
            }
            List<Integer> ranked = new ArrayList<>(alive);
            ranked.sort(Comparator.comparingDouble((Integer i) -> rankValue(known[i], Math.min(rung, budget[i]))));
            List<Integer> kept = ranked.subList(0, halving.survivors(ranked.size()));
            for (int i : alive) {
                boolean ended = known[i].complete() && known[i].rows().size() <= rung;
                if (!kept.contains(i) && !ended && budget[i] > rung) {
                    prunedAt[i] = rung;
                }
            }
            alive = new ArrayList<>(kept);
            alive.sort(Comparator.naturalOrder()); // train in the members' order
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Map<String, Double>> rows = known[i].rows();
            outcomes.add(new Outcome(known[i], prunedAt[i] > 0 ? rows.subList(0, prunedAt[i]) : rows, prunedAt[i]));
        }
        return outcomes;
    }

    /** The ranked column's value after epoch {@code target}, or at the last epoch when it ended sooner. */
    private double score(Standing s, int target) {
        if (s.rows().isEmpty()) {
            return Double.NaN;
        }
        Map<String, Double> row = s.rows().get(Math.min(target, s.rows().size()) - 1);
        if (!row.containsKey(column)) {
            throw new IllegalArgumentException("pruning ranks configurations by '" + column + "', which their history"
                    + " does not have; its columns are " + row.keySet() + " (add validation data or compare another column)");
        }
        return row.get(column);
    }

    /** Smaller is better here; a member with no finite score ranks last. */
    private double rankValue(Standing s, int target) {
        double v = score(s, target);
        if (!Double.isFinite(v)) {
            return Double.POSITIVE_INFINITY;
        }
        return lowerIsBetter ? v : -v;
    }

    /**
     * How many members the last {@link #run} trained (or continued), as opposed to read back.
     *
     * @return the count
     */
    int trained() {
        return trained.size();
    }

    /** Trains the due members to the rung, several at a time where that pays, recording each in order. */
    private void train(List<Integer> due, List<Member> members, int rung, int[] budget, Standing[] known,
            Map<String, Standing> state) {
        List<Fit> fits = new ArrayList<>();
        for (int i : due) {
            Fit.Builder b = members.get(i).fit().get();
            FitListener watch = watcher == null ? null : watcher.apply(i);
            if (watch != null) {
                b.addListener(watch);
            }
            if (rung < budget[i]) {
                b.addListener(new PauseAt(members.get(i).id(), rung));
            }
            fits.add(b.build());
        }
        int[] next = {0};
        Fit.runEach(fits, run -> {
            int i = due.get(next[0]++);
            Standing ended = new Standing(members.get(i).id(), run.key(), ModelSummary.trainableParameters(run.block()),
                    rows(run.history()), true, run.divergence().orElse(null), run.stoppedEarly().orElse(null));
            // a run read back whole (under another name, say) trained nothing
            record(i, ended, !run.fromCache(), Math.min(rung, budget[i]), known, state);
        }, e -> {
            if (!(e instanceof Paused p)) {
                throw e;
            }
            int i = due.get(next[0]++);
            record(i, p.standing, true, Math.min(rung, budget[i]), known, state);
        });
    }

    private void record(int i, Standing standing, boolean trainedNow, int target, Standing[] known,
            Map<String, Standing> state) {
        if (trainedNow) {
            trained.add(i);
        }
        known[i] = standing;
        state.put(standing.id(), standing);
        save(state);
        status.accept(String.format(Locale.ROOT, "%s -> %s %.4f after epoch %d", standing.id(), column,
                score(standing, target), Math.min(target, standing.rows().size())));
    }

    /** The history's epoch rows as plain maps (stored as JSON). */
    static List<Map<String, Double>> rows(History history) {
        Table t = history.table();
        List<Map<String, Double>> rows = new ArrayList<>();
        for (int r = 0; r < t.rowCount(); r++) {
            Map<String, Double> row = new LinkedHashMap<>();
            for (String c : t.columnNames()) {
                row.put(c, t.numberColumn(c).getDouble(r));
            }
            rows.add(row);
        }
        return rows;
    }

    /** Stops a fit after an epoch; Fit keeps that epoch's checkpoint, so running it again continues. */
    private static final class PauseAt implements FitListener {
        private final String id;
        private final int epoch;
        private String key;

        PauseAt(String id, int epoch) {
            this.id = id;
            this.epoch = epoch;
        }

        @Override
        public void onStart(Start start) {
            key = start.key();
        }

        @Override
        public void onEpoch(int at, History history, Block block) {
            // at > epoch only when a checkpoint from further on was resumed: its history still holds the rung
            if (at >= epoch) {
                throw new Paused(new Standing(id, key, ModelSummary.trainableParameters(block), rows(history), false, null, null));
            }
        }
    }

    /** Not an error: how {@link PauseAt} ends a fit at a rung. */
    private static final class Paused extends RuntimeException {
        private final transient Standing standing;

        Paused(Standing standing) {
            super("paused at a rung", null, false, false);
            this.standing = standing;
        }
    }

    private Map<String, Standing> load() {
        Map<String, Standing> state = new LinkedHashMap<>();
        try {
            List<Standing> list = RunStore.readJson(file, new TypeToken<List<Standing>>() {}.getType());
            for (Standing s : list != null ? list : List.<Standing>of()) {
                state.put(s.id(), s);
            }
        } catch (IOException | RuntimeException e) {
            status.accept("warning: " + file + " is unreadable (" + e.getMessage() + "); the rungs are decided again"
                    + " (paused configurations continue from their checkpoints)");
        }
        return state;
    }

    private void save(Map<String, Standing> state) {
        try {
            RunStore.writeJson(file, new ArrayList<>(state.values()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the rungs to " + file, e);
        }
    }
}
