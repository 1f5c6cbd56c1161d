package dlkit.display;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Progress of long work that is not training (a loss-surface grid, feature extraction, a download):
 * in a notebook one line updated in place at most twice a second, in a console a line every 10
 * seconds and one at the end. Cheap when called often: a clock read per call.
 *
 * <pre>{@code
 * ProgressLine progress = ProgressLine.start("loss surface", 625, "points");
 * for (...) { ...; progress.step(); }
 * progress.done();                 // loss surface: 625 points in 41.2 s
 * }</pre>
 */
public final class ProgressLine {

    private static final long NOTEBOOK_NANOS = 500_000_000L;
    private static final long CONSOLE_NANOS = 10_000_000_000L;

    private final String what;
    private final long total;
    private final String unit;
    private final boolean rich = Notebook.isActive();
    private final long start = System.nanoTime();
    private long done;
    private long lastShown = start;
    private String displayId;

    private ProgressLine(String what, long total, String unit) {
        this.what = what;
        this.total = total;
        this.unit = unit;
        if (rich) { // a console gets its first line after 10 s, so quick work prints one line
            show(what + ": " + String.format(Locale.ROOT, "%,d", total) + " " + unit + " to go");
        }
    }

    /**
     * Starts a progress line.
     *
     * @param what the work, e.g. {@code "loss surface"}
     * @param total how many units of work, or 0 when unknown
     * @param unit e.g. {@code "points"}, {@code "images"}, {@code "MB"}
     * @return the progress line
     */
    public static ProgressLine start(String what, long total, String unit) {
        return new ProgressLine(what, total, unit);
    }

    /** One more unit done. */
    public void step() {
        advance(1);
    }

    /**
     * More units done.
     *
     * @param units how many
     */
    public void advance(long units) {
        done += units;
        long now = System.nanoTime();
        if (now - lastShown >= (rich ? NOTEBOOK_NANOS : CONSOLE_NANOS)) {
            lastShown = now;
            double seconds = (now - start) / 1e9;
            String left = total > 0 && done > 0 && done < total
                    ? String.format(Locale.ROOT, ", about %.0f s left", seconds / done * (total - done)) : "";
            show(String.format(Locale.ROOT, "%s: %,d%s %s, %.0f s%s", what, done,
                    total > 0 ? "/" + String.format(Locale.ROOT, "%,d", total) : "", unit, seconds, left));
        }
    }

    /** The work is finished: shows how much took how long. */
    public void done() {
        double seconds = (System.nanoTime() - start) / 1e9;
        show(String.format(Locale.ROOT, "%s: %,d %s in %.1f s", what, done, unit, seconds));
    }

    private void show(String text) {
        if (!rich) {
            System.out.println(text);
            return;
        }
        MimeBundle view = view(text);
        if (displayId == null) {
            displayId = Notebook.display(view);
        } else {
            Notebook.updateDisplay(displayId, view);
        }
    }

    /**
     * A progress line as notebook output: its text, and HTML in a {@code pre} that wraps only
     * between words (the classic notebook's stylesheet breaks {@code pre} text anywhere: "0.5 s in
     * al" / "l").
     *
     * @param text the line
     * @return the output, for {@link Notebook#display} and {@link Notebook#updateDisplay}
     */
    public static MimeBundle view(String text) {
        return () -> {
            Map<String, String> bundle = new LinkedHashMap<>();
            bundle.put("text/plain", text);
            bundle.put("text/html", "<pre class=\"dlkit-progress\" style=\"white-space: pre-wrap; word-break: normal;"
                    + " overflow-wrap: normal\">" + Html.escape(text) + "</pre>");
            return bundle;
        };
    }
}
