package dlkit.landscape;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The path a model's parameters took during training: flat parameter snapshots, each with the
 * (fractional) epoch it was taken at; snapshot 0 is usually the initial weights at epoch 0.
 *
 * <pre>{@code
 * TrajectoryRecorder recorder = Trajectory.recorder(mlp, 4);     // 4 snapshots per epoch
 * try (Run run = Fit.builder().setBlock(mlp)...addListener(recorder).build().run()) {
 *     Trajectory path = recorder.trajectory(run);                 // also after a cache hit
 * }
 * }</pre>
 */
public final class Trajectory {

    private final ParameterLayout layout;
    private final List<float[]> points;
    private final double[] epochs;

    private Trajectory(ParameterLayout layout, List<float[]> points, double[] epochs) {
        this.layout = layout;
        this.points = points;
        this.epochs = epochs;
    }

    /**
     * Wraps snapshots taken by other means.
     *
     * @param layout the layout the snapshots follow
     * @param points flat parameter vectors, in training order (not copied: do not change them)
     * @param epochs the fractional epoch of each snapshot
     * @return the trajectory
     * @throws IllegalArgumentException if it is empty, lengths disagree or a snapshot has the wrong
     *     length
     */
    public static Trajectory of(ParameterLayout layout, List<float[]> points, double[] epochs) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("a trajectory needs at least one snapshot, got none");
        }
        if (epochs.length != points.size()) {
            throw new IllegalArgumentException("got " + points.size() + " snapshots but " + epochs.length
                    + " epoch positions: give one per snapshot");
        }
        for (int i = 0; i < points.size(); i++) {
            layout.requireLength(points.get(i), "snapshot " + i);
        }
        return new Trajectory(layout, List.copyOf(points), epochs.clone());
    }

    /**
     * A listener for {@code Fit.Builder.addListener} that snapshots the block's parameters before
     * training and {@code perEpoch} times per epoch, evenly spread over its batches.
     *
     * @param block the block given to {@code Fit.Builder.setBlock}
     * @param perEpoch snapshots per epoch, at least 1 (capped at the number of batches)
     * @return the recorder
     */
    public static TrajectoryRecorder recorder(Block block, int perEpoch) {
        return new TrajectoryRecorder(block, perEpoch);
    }

    /**
     * The layout the snapshots follow.
     *
     * @return the parameter layout
     */
    public ParameterLayout layout() {
        return layout;
    }

    /**
     * Number of snapshots.
     *
     * @return the count
     */
    public int size() {
        return points.size();
    }

    /**
     * One snapshot.
     *
     * @param index from 0 to {@link #size()} - 1
     * @return the flat parameters (a copy)
     */
    public float[] point(int index) {
        return points.get(index).clone();
    }

    /**
     * The first snapshot (the initial weights when recorded from the start).
     *
     * @return the flat parameters (a copy)
     */
    public float[] first() {
        return point(0);
    }

    /**
     * The last snapshot (the trained weights).
     *
     * @return the flat parameters (a copy)
     */
    public float[] last() {
        return point(points.size() - 1);
    }

    /**
     * The snapshots as rows of a matrix, e.g. for {@code Pca.fit(rows, 2, manager)}.
     *
     * @return [size][parameters], copies
     */
    public float[][] rows() {
        float[][] rows = new float[points.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = points.get(i).clone();
        }
        return rows;
    }

    /**
     * When each snapshot was taken.
     *
     * @return fractional epochs: 0 before training, 1 at the end of the first epoch
     */
    public double[] epochs() {
        return epochs.clone();
    }

    /**
     * The snapshots at or before an epoch, e.g. to look at the first part of training only.
     *
     * @param epoch the last fractional epoch to keep
     * @return a shorter trajectory
     */
    public Trajectory until(double epoch) {
        List<float[]> kept = new ArrayList<>();
        for (int i = 0; i < points.size() && epochs[i] <= epoch + 1e-9; i++) {
            kept.add(points.get(i));
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("no snapshot at or before epoch " + epoch
                    + "; the first is at epoch " + epochs[0]);
        }
        double[] keptEpochs = java.util.Arrays.copyOf(epochs, kept.size());
        return new Trajectory(layout, List.copyOf(kept), keptEpochs);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Trajectory(%d snapshots of %,d parameters, epochs %s to %s)",
                points.size(), layout.size(), trim(epochs[0]), trim(epochs[epochs.length - 1]));
    }

    private static String trim(double epoch) {
        return epoch == Math.rint(epoch) ? String.valueOf((long) epoch) : String.format(Locale.ROOT, "%.2f", epoch);
    }
}
