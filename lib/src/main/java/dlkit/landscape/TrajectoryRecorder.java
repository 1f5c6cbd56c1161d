package dlkit.landscape;

import ai.djl.nn.Block;
import dlkit.files.AtomicFiles;
import dlkit.train.FitListener;
import dlkit.train.History;
import dlkit.train.Run;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Records a {@link Trajectory} while {@code Fit} trains: the initial parameters, then {@code
 * perEpoch} snapshots per epoch, evenly spread over the epoch's batches.
 *
 * <p><b>Run cache.</b> A fit found in the run cache returns without training, so no listener is
 * called. The recorder therefore stores its snapshots inside the run's own cache entry, in {@code
 * runs/<name>-<key>/trajectory-<perEpoch>/epoch-NNNN.bin} (one file per epoch, each written
 * atomically right after its epoch), and {@link #trajectory(Run)} reads them back on a cache hit.
 * Keyed by the run's directory, the trajectory can never belong to another configuration, and the
 * training itself stays cached by {@code Fit} as usual. A run resumed from a checkpoint reloads the
 * epochs recorded before the interruption. With {@code optCache(false)} the trajectory lives in
 * memory only.
 */
public final class TrajectoryRecorder implements FitListener {

    private static final String MAGIC = "dlkit-trajectory";
    private static final int FORMAT = 1;

    private final Block block;
    private final int perEpoch;
    private ParameterLayout layout;
    private String key;
    private Path folder;
    private boolean[] snapshotAfter;
    private int batchesPerEpoch;
    private final List<float[]> points = new ArrayList<>();
    private final List<Double> epochs = new ArrayList<>();
    private int epochStart;

    TrajectoryRecorder(Block block, int perEpoch) {
        if (block == null) {
            throw new IllegalArgumentException("give the block that Fit trains");
        }
        if (perEpoch < 1) {
            throw new IllegalArgumentException("snapshots per epoch must be at least 1, got " + perEpoch);
        }
        this.block = block;
        this.perEpoch = perEpoch;
    }

    @Override
    public void onStart(Start start) {
        if (start.block() != block) {
            throw new IllegalArgumentException("this trajectory recorder was made for another block:"
                    + " pass the block given to setBlock to Trajectory.recorder");
        }
        layout = ParameterLayout.of(block);
        key = start.key();
        folder = start.directory() == null ? null : start.directory().resolve("trajectory-" + perEpoch);
        batchesPerEpoch = start.batchesPerEpoch();
        snapshotAfter = new boolean[batchesPerEpoch + 1];
        int count = Math.min(perEpoch, batchesPerEpoch);
        for (int j = 1; j <= count; j++) {
            snapshotAfter[(int) Math.round((double) j * batchesPerEpoch / count)] = true;
        }
        points.clear();
        epochs.clear();
        try {
            if (start.firstEpoch() == 1) {
                deleteStoredEpochs();
                add(0);
                epochStart = 0;
                storeEpoch(0);
            } else {
                for (int e = 0; e < start.firstEpoch(); e++) {
                    readEpoch(folder, e, key, layout, points, epochs);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not store the trajectory in " + folder, e);
        }
        epochStart = points.size();
    }

    @Override
    public void onBatch(int epoch, int batch, int step, float loss) {
        if (batch < snapshotAfter.length && snapshotAfter[batch]) {
            add(epoch - 1 + (double) batch / batchesPerEpoch);
        }
    }

    @Override
    public void onEpoch(int epoch, History history, Block trained) {
        try {
            storeEpoch(epoch);
        } catch (IOException e) {
            throw new UncheckedIOException("could not store the trajectory in " + folder, e);
        }
        epochStart = points.size();
    }

    /**
     * The trajectory of a run: the one just recorded, or the one stored with a cached run.
     *
     * @param run the run returned by the fit this recorder listened to
     * @return the trajectory, at least the initial snapshot
     * @throws IllegalStateException if the run was trained without this recorder (with these
     *     snapshots per epoch) and so has no stored trajectory
     */
    public Trajectory trajectory(Run run) {
        if (key != null && key.equals(run.key()) && !run.fromCache()) {
            return Trajectory.of(layout, points, toArray(epochs));
        }
        Path dir = run.directory().map(d -> d.resolve("trajectory-" + perEpoch)).orElse(null);
        if (dir == null) {
            throw new IllegalStateException("run " + run.key() + " was not recorded: add this recorder with"
                    + " addListener(recorder) before run()");
        }
        ParameterLayout runLayout = ParameterLayout.of(run.block());
        List<float[]> stored = new ArrayList<>();
        List<Double> storedEpochs = new ArrayList<>();
        try {
            for (int e = 0; e <= run.history().epochs(); e++) {
                readEpoch(dir, e, run.key(), runLayout, stored, storedEpochs);
            }
        } catch (IOException e) {
            throw new IllegalStateException("run " + run.directory().get().getFileName() + " has no complete trajectory"
                    + " recorded at " + perEpoch + " snapshot(s) per epoch (" + e.getMessage() + "). It was trained"
                    + " without this recorder: add optRetrain() to the fit once to record it.", e);
        }
        return Trajectory.of(runLayout, stored, toArray(storedEpochs));
    }

    private void add(double epoch) {
        points.add(layout.read(block));
        epochs.add(epoch);
    }

    private void storeEpoch(int epoch) throws IOException {
        if (folder == null) {
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(key);
            out.writeInt(layout.size());
            out.writeInt(points.size() - epochStart);
            ByteBuffer values = ByteBuffer.allocate(4 * layout.size());
            for (int i = epochStart; i < points.size(); i++) {
                out.writeDouble(epochs.get(i));
                values.clear();
                values.asFloatBuffer().put(points.get(i));
                out.write(values.array());
            }
        }
        AtomicFiles.createDirectories(folder);
        AtomicFiles.write(epochFile(folder, epoch), bytes.toByteArray());
    }

    private void deleteStoredEpochs() throws IOException {
        if (folder == null || !Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().matches("epoch-\\d+\\.bin")) {
                    Files.delete(f);
                }
            }
        }
    }

    private static void readEpoch(Path dir, int epoch, String key, ParameterLayout layout,
            List<float[]> points, List<Double> epochs) throws IOException {
        Path file = epochFile(dir, epoch);
        if (!Files.exists(file)) {
            throw new IOException("no snapshots stored for epoch " + epoch);
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(Files.readAllBytes(file)))) {
            if (!MAGIC.equals(in.readUTF()) || in.readInt() != FORMAT || !key.equals(in.readUTF())) {
                throw new IOException(file.getFileName() + " belongs to another run or format");
            }
            int size = in.readInt();
            if (size != layout.size()) {
                throw new IOException(String.format(Locale.ROOT, "%s holds %,d parameters per snapshot but the"
                        + " model has %,d", file.getFileName(), size, layout.size()));
            }
            int count = in.readInt();
            byte[] values = new byte[4 * size];
            for (int i = 0; i < count; i++) {
                epochs.add(in.readDouble());
                in.readFully(values);
                float[] point = new float[size];
                ByteBuffer.wrap(values).asFloatBuffer().get(point);
                points.add(point);
            }
        }
    }

    private static Path epochFile(Path dir, int epoch) {
        return dir.resolve(String.format(Locale.ROOT, "epoch-%04d.bin", epoch));
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Override
    public String toString() {
        return "TrajectoryRecorder(perEpoch=" + perEpoch + ", snapshots=" + points.size() + ")";
    }
}
