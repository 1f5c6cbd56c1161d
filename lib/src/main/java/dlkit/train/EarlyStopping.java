package dlkit.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Stops a fit when a history column has not improved for some epochs, as Keras's {@code
 * EarlyStopping} does, and can give back the best epoch's parameters.
 *
 * <pre>{@code
 * Fit.builder()...optEpochs(100)
 *         .optEarlyStopping(EarlyStopping.on("val_loss").optPatience(10).optRestoreBest(true))
 * }</pre>
 *
 * <p>An epoch improves when its value beats the best so far by more than the minimum change (lower
 * is better for losses and errors, higher for the others, as {@link History#lowerIsBetter} decides
 * from the column's name; {@link #optLowerIsBetter} says it for a name it gets wrong). After
 * {@code patience} epochs without improvement the fit stops: the history ends there and {@link
 * Run#stoppedEarly()} says when and why. With {@code restoreBest} the run's model holds the best
 * epoch's parameters (the history still shows every epoch trained). A checkpoint keeps the state,
 * so an interrupted fit resumes it exactly.
 */
public final class EarlyStopping {

    private final String column;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBest;
    private final boolean lowerIsBetter;

    private EarlyStopping(String column, int patience, double minDelta, boolean restoreBest, boolean lowerIsBetter) {
        this.column = column;
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBest = restoreBest;
        this.lowerIsBetter = lowerIsBetter;
    }

    /**
     * Watches a history column, with patience 5, no minimum change and no restoring.
     *
     * @param column e.g. {@code val_loss} or {@code val_accuracy}
     * @return the rule
     */
    public static EarlyStopping on(String column) {
        if (column == null || column.isBlank()) {
            throw new IllegalArgumentException("EarlyStopping: name a history column, e.g. val_loss");
        }
        return new EarlyStopping(column, 5, 0, false, History.lowerIsBetter(column));
    }

    /**
     * Sets how many epochs without improvement are tolerated (default 5).
     *
     * @param epochs at least 1
     * @return a new rule
     */
    public EarlyStopping optPatience(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("EarlyStopping: patience must be at least 1 epoch, got " + epochs);
        }
        return new EarlyStopping(column, epochs, minDelta, restoreBest, lowerIsBetter);
    }

    /**
     * Sets how much better than the best an epoch must be to count as an improvement (default 0).
     *
     * @param delta at least 0, in the column's unit
     * @return a new rule
     */
    public EarlyStopping optMinDelta(double delta) {
        if (!(delta >= 0)) {
            throw new IllegalArgumentException("EarlyStopping: minimum change must be >= 0, got " + delta);
        }
        return new EarlyStopping(column, patience, delta, restoreBest, lowerIsBetter);
    }

    /**
     * Gives the run the best epoch's parameters instead of the last epoch's (default off).
     *
     * @param restore whether to restore them
     * @return a new rule
     */
    public EarlyStopping optRestoreBest(boolean restore) {
        return new EarlyStopping(column, patience, minDelta, restore, lowerIsBetter);
    }

    /**
     * Says which way the column improves, for a name that {@link History#lowerIsBetter} reads
     * wrongly (by default: lower for losses and errors, higher for the others).
     *
     * @param lower true when lower values are better
     * @return a new rule
     */
    public EarlyStopping optLowerIsBetter(boolean lower) {
        return new EarlyStopping(column, patience, minDelta, restoreBest, lower);
    }

    /** The watched column. */
    String column() {
        return column;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "EarlyStopping(%s %s, patience=%d, minDelta=%s, restoreBest=%s)", column,
                lowerIsBetter ? "lower is better" : "higher is better", patience, minDelta, restoreBest);
    }

    /** The rule applied to one fit: best so far, epochs since, the best parameters. */
    final class Watch {
        private double best = Double.NaN;
        private int bestEpoch;
        private int badEpochs;
        private byte[] bestParameters;

        /**
         * Records an epoch's value.
         *
         * @return true when training should stop after this epoch
         */
        boolean epochEnded(int epoch, double value, Block block) {
            boolean better = Double.isNaN(best)
                    || (lowerIsBetter ? value < best - minDelta : value > best + minDelta);
            if (better && !Double.isNaN(value)) {
                best = value;
                bestEpoch = epoch;
                badEpochs = 0;
                if (restoreBest) {
                    bestParameters = parameters(block);
                }
                return false;
            }
            return ++badEpochs >= patience;
        }

        /** Puts the best epoch's parameters back, when asked to. */
        void finish(Block block, NDManager manager) {
            if (restoreBest && bestParameters != null) {
                try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bestParameters))) {
                    block.loadParameters(manager, in);
                } catch (IOException | MalformedModelException e) {
                    throw new IllegalStateException("could not restore the best epoch's parameters", e);
                }
            }
        }

        int bestEpoch() {
            return bestEpoch;
        }

        String why(int epoch) {
            return String.format(Locale.ROOT, "stopped early after epoch %d: %s has not improved for %d epochs"
                    + " (best %s at epoch %d, %s)%s", epoch, column, patience, dlkit.display.Html.number(best), bestEpoch,
                    lowerIsBetter ? "lower is better" : "higher is better",
                    restoreBest ? "; the model holds epoch " + bestEpoch + "'s parameters" : "");
        }

        /** State for a checkpoint. */
        void save(DataOutputStream out) throws IOException {
            out.writeDouble(best);
            out.writeInt(bestEpoch);
            out.writeInt(badEpochs);
            out.writeInt(bestParameters == null ? -1 : bestParameters.length);
            if (bestParameters != null) {
                out.write(bestParameters);
            }
        }

        void load(DataInputStream in) throws IOException {
            best = in.readDouble();
            bestEpoch = in.readInt();
            badEpochs = in.readInt();
            int length = in.readInt();
            bestParameters = length < 0 ? null : in.readNBytes(length);
        }

        private byte[] parameters(Block block) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                block.saveParameters(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }
    }
}
