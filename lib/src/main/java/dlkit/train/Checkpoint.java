package dlkit.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dlkit.files.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The end-of-epoch checkpoint of a run: one file, written atomically, with everything a resume
 * needs: parameters, optimizer state, epoch, step, elapsed seconds, history, the schedule's
 * state and early stopping's. The random state needs no bytes: shuffling and the engine seed are functions of (seed,
 * epoch), and the seed is in the run key, which the checkpoint names.
 */
final class Checkpoint {

    private static final String MAGIC = "dlkit-checkpoint";

    /** Where training stood after the checkpoint's epoch. */
    record State(int epoch, int step, double seconds, History history) {}

    private Checkpoint() {}

    static void write(Path file, String key, State state, Schedule.Plan plan, EarlyStopping.Watch watch, Block block,
            StatefulOptimizer optimizer, Map<String, String> idToName) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(MAGIC);
            out.writeInt(Fit.CACHE_FORMAT);
            out.writeUTF(key);
            out.writeInt(state.epoch());
            out.writeInt(state.step());
            out.writeDouble(state.seconds());
            out.writeUTF(plan.state());
            out.writeBoolean(watch != null);
            if (watch != null) {
                watch.save(out);
            }
            writeString(out, state.history().epochsCsv());
            writeString(out, state.history().batchesCsv());
            block.saveParameters(out);
            optimizer.save(idToName, out);
            out.writeUTF("end");
        }
        AtomicFiles.write(file, bytes.toByteArray());
    }

    /**
     * Restores parameters, optimizer and schedule from a checkpoint of the run {@code key}.
     *
     * @return where training stood
     * @throws IOException if the file is not a complete checkpoint of this run
     */
    static State read(Path file, String key, Block block, NDManager manager, StatefulOptimizer optimizer,
            Map<String, String> nameToId, Schedule.Plan plan, EarlyStopping.Watch watch) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            if (!MAGIC.equals(in.readUTF()) || in.readInt() != Fit.CACHE_FORMAT || !key.equals(in.readUTF())) {
                throw new IOException("not a checkpoint of this run");
            }
            int epoch = in.readInt();
            int step = in.readInt();
            double seconds = in.readDouble();
            String planState = in.readUTF();
            if (in.readBoolean() != (watch != null)) {
                throw new IOException("the checkpoint's early stopping does not match this fit");
            }
            if (watch != null) {
                watch.load(in);
            }
            History history = History.fromCsv(readString(in), readString(in));
            try {
                block.loadParameters(manager, in);
            } catch (MalformedModelException e) {
                throw new IOException("parameters do not fit the model: " + e.getMessage(), e);
            }
            optimizer.load(nameToId, manager, in);
            if (!"end".equals(in.readUTF())) {
                throw new IOException("checkpoint is truncated");
            }
            plan.restore(planState);
            return new State(epoch, step, seconds, history);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
