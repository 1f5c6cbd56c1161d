package dlkit.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Chrome trace written by libtorch's profiler ({@code JniUtils.stopProfile}): how long the
 * recorded stretch took, and how much of it was spent inside native operations (top-level ones:
 * an operation that runs inside another, as a kernel inside its autograd node, counts once).
 * The rest is the time between operations: Java, JNI and the loop around them. Also how much of
 * the inside time went to convolutions, forward and backward.
 */
final class NativeTrace {

    private NativeTrace() {}

    /** Milliseconds per batch: the recorded stretch, inside top-level operations, inside convolutions. */
    record PerBatch(double spanMs, double insideMs, double convolutionMs) {}

    static PerBatch read(Path trace, int batches) throws IOException {
        Map<String, List<double[]>> byThread = new HashMap<>();
        try (Reader in = Files.newBufferedReader(trace)) {
            JsonArray events = JsonParser.parseReader(in).getAsJsonArray();
            for (JsonElement element : events) {
                JsonObject e = element.getAsJsonObject();
                if (e.has("ph") && e.get("ph").getAsString().equals("X")) {
                    byThread.computeIfAbsent(e.get("tid").getAsString(), k -> new ArrayList<>())
                            .add(new double[] {e.get("ts").getAsDouble(), e.get("dur").getAsDouble(),
                                    e.get("name").getAsString().toLowerCase(java.util.Locale.ROOT).contains("conv") ? 1 : 0});
                }
            }
        }
        double first = Double.MAX_VALUE;
        double last = -Double.MAX_VALUE;
        double inside = 0;
        double convolution = 0;
        for (List<double[]> events : byThread.values()) {
            // By start, the longer first: an event that starts before the current top-level one ends is nested in it.
            events.sort(Comparator.<double[]>comparingDouble(e -> e[0]).thenComparingDouble(e -> -e[1]));
            double end = -Double.MAX_VALUE;
            for (double[] e : events) {
                first = Math.min(first, e[0]);
                last = Math.max(last, e[0] + e[1]);
                if (e[0] >= end) {
                    inside += e[1];
                    convolution += e[2] * e[1];
                    end = e[0] + e[1];
                }
            }
        }
        if (inside == 0) {
            throw new IOException(trace + " holds no operations: was the profiler on while the batches ran?");
        }
        double perBatch = 1e3 * batches;
        return new PerBatch((last - first) / perBatch, inside / perBatch, convolution / perBatch);
    }
}
