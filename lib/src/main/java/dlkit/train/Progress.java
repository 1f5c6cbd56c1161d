package dlkit.train;

import dlkit.display.MimeBundle;
import dlkit.display.Notebook;
import dlkit.display.ProgressLine;
import java.util.List;
import java.util.Locale;

/**
 * Shows training progress: in a notebook one output updated in place (throttled to every half
 * second, so updates cost no measurable time) and optionally a learning-curve chart refreshed each
 * epoch; in a console or headless run one concise line per epoch, never {@code \r} tricks.
 */
final class Progress {

    private static final long UPDATE_NANOS = 500_000_000L;

    private final boolean rich;
    private final boolean chart;
    private final int epochs;
    private final int batchesPerEpoch;
    private final List<String> columns;
    private String displayId;
    private String chartId;
    private long lastUpdate;
    private long epochStart;
    private int epochFirstBatch;

    Progress(int epochs, int batchesPerEpoch, List<String> columns, boolean chart) {
        this.rich = Notebook.isActive();
        this.chart = chart;
        this.epochs = epochs;
        this.batchesPerEpoch = batchesPerEpoch;
        this.columns = columns;
    }

    void epochStarted(int epoch, int firstBatch) {
        epochStart = System.nanoTime();
        epochFirstBatch = firstBatch;
        if (rich && displayId == null) {
            displayId = Notebook.display(view("epoch " + epoch + "/" + epochs + " starting"));
        }
    }

    /** Called after every batch; costs one clock read unless an update is due. */
    void batch(int epoch, int batch, float runningLoss, long examples) {
        if (!rich) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastUpdate < UPDATE_NANOS) {
            return;
        }
        lastUpdate = now;
        double seconds = (now - epochStart) / 1e9;
        int done = batch - epochFirstBatch;
        double left = done > 0 ? seconds / done * (batchesPerEpoch - batch) : Double.NaN;
        String text =
                String.format(
                        Locale.ROOT,
                        "epoch %d/%d  batch %d/%d  loss %.4f  %,.0f ex/s  epoch left %s",
                        epoch,
                        epochs,
                        batch,
                        batchesPerEpoch,
                        runningLoss,
                        examples / Math.max(seconds, 1e-9),
                        Double.isNaN(left) ? "?" : String.format(Locale.ROOT, "%.0f s", left));
        Notebook.updateDisplay(displayId, view(text));
    }

    void epochEnded(History history, long examples, double epochSeconds) {
        int epoch = history.epochs();
        double total = history.value("seconds", epoch);
        double perEpoch = total / epoch;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs));
        for (String c : columns) {
            if (c.equals("epoch") || c.equals("step") || c.equals("seconds")) {
                continue;
            }
            line.append("  ").append(c).append(' ').append(History.format(c, history.value(c, epoch)));
        }
        if (epoch < epochs) {
            line.append(String.format(Locale.ROOT, "  %.1f s  %,.0f ex/s this epoch  ~%.0f s left", total,
                    examples / Math.max(epochSeconds, 1e-9), perEpoch * (epochs - epoch)));
        } else {
            // The last line speaks for the whole fit: every epoch's examples over all the time so far.
            line.append(String.format(Locale.ROOT, "  %.1f s in all  %,.0f ex/s overall", total,
                    examples * (double) epoch / Math.max(total, 1e-9)));
        }
        if (rich) {
            Notebook.updateDisplay(displayId, view(line.toString()));
            if (chart) {
                Object c = history.curves().figure().withoutExport(); // redrawn every epoch
                if (chartId == null) {
                    chartId = Notebook.display(c);
                } else {
                    Notebook.updateDisplay(chartId, c);
                }
            }
        } else {
            System.out.println(line);
        }
    }

    static void message(String text) {
        System.out.println(text);
    }

    private static MimeBundle view(String text) {
        return ProgressLine.view(text);
    }
}
