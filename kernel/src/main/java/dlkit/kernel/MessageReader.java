package dlkit.kernel;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import org.dflib.jjava.jupyter.kernel.ExpressionValue;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.KernelTimestamp;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.ReplyType;
import org.dflib.jjava.jupyter.messages.adapters.ExpressionValueAdapter;
import org.dflib.jjava.jupyter.messages.adapters.HeaderAdapter;
import org.dflib.jjava.jupyter.messages.adapters.HistoryEntryAdapter;
import org.dflib.jjava.jupyter.messages.adapters.HistoryRequestAdapter;
import org.dflib.jjava.jupyter.messages.adapters.KernelTimestampAdapter;
import org.dflib.jjava.jupyter.messages.adapters.MessageTypeAdapter;
import org.dflib.jjava.jupyter.messages.adapters.PublishStatusAdapter;
import org.dflib.jjava.jupyter.messages.adapters.ReplyTypeAdapter;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.zeromq.ZMQ;

/**
 * Reads one request from a shell or control socket and accepts it only if it is whole and signed.
 *
 * <p>All frames of a multipart message are taken off the socket first, so a malformed message
 * (no delimiter, too few frames, a bad signature, JSON that does not parse) is dropped whole and
 * the next request is read from its own first frame: JJava's reader, reading frame by frame, read
 * into the next message after a short one and stopped its loop on a bad signature, after which the
 * kernel answered nothing. Signatures are compared in constant time, as ipykernel does.
 */
final class MessageReader {

    private static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    private static final Type MAP = new TypeToken<Map<String, Object>>() {}.getType();
    private static final Gson REPLY_GSON = new GsonBuilder()
            .registerTypeAdapter(HistoryEntry.class, HistoryEntryAdapter.INSTANCE)
            .registerTypeAdapter(ExpressionValue.class, ExpressionValueAdapter.INSTANCE)
            .create();
    private static final Gson GSON = new GsonBuilder()
            .registerTypeAdapter(KernelTimestamp.class, KernelTimestampAdapter.INSTANCE)
            .registerTypeAdapter(Header.class, HeaderAdapter.INSTANCE)
            .registerTypeAdapter(MessageType.class, MessageTypeAdapter.INSTANCE)
            .registerTypeAdapter(PublishStatus.class, PublishStatusAdapter.INSTANCE)
            .registerTypeAdapter(HistoryRequest.class, HistoryRequestAdapter.INSTANCE)
            .registerTypeHierarchyAdapter(ReplyType.class, new ReplyTypeAdapter(REPLY_GSON))
            .create();

    private final HMACGenerator hmac;
    private long dropped;

    MessageReader(HMACGenerator hmac) {
        this.hmac = hmac;
    }

    /** Messages dropped so far. */
    long dropped() {
        return dropped;
    }

    /**
     * Reads every frame of the next message and parses it.
     *
     * @return the message, or null when it was dropped (the reason is logged)
     */
    Message<?> read(ZMQ.Socket socket, String channel) {
        List<byte[]> frames = new ArrayList<>();
        do {
            byte[] frame = socket.recv();
            if (frame == null) {
                break;
            }
            frames.add(frame);
        } while (socket.hasReceiveMore());
        try {
            return parse(frames);
        } catch (RuntimeException e) {
            dropped++;
            CellOutput.log().println("dlkit kernel: dropped a message on " + channel + ": " + e.getMessage());
            return null;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Message<?> parse(List<byte[]> frames) {
        int delimiter = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (Arrays.equals(DELIMITER, frames.get(i))) {
                delimiter = i;
                break;
            }
        }
        if (delimiter < 0) {
            throw new IllegalArgumentException("no <IDS|MSG> delimiter among " + frames.size() + " frames");
        }
        if (frames.size() < delimiter + 6) {
            throw new IllegalArgumentException("too few frames: " + (frames.size() - delimiter - 1)
                    + " after the delimiter, 5 needed (signature, header, parent, metadata, content)");
        }
        byte[] signature = frames.get(delimiter + 1);
        byte[] header = frames.get(delimiter + 2);
        byte[] parent = frames.get(delimiter + 3);
        byte[] metadata = frames.get(delimiter + 4);
        byte[] content = frames.get(delimiter + 5);
        String expected = hmac.calculateSignature(header, parent, metadata, content);
        if (expected != null && !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), signature)) {
            throw new IllegalArgumentException(signature.length == 0 ? "no signature" : "wrong signature");
        }
        try {
            Header<?> h = GSON.fromJson(text(header), Header.class);
            if (h == null || h.getType() == null) {
                throw new IllegalArgumentException("header without a message type");
            }
            Header<?> parentHeader = null;
            JsonElement parentJson = JsonParser.parseString(text(parent));
            if (parentJson.isJsonObject() && !parentJson.getAsJsonObject().isEmpty()) {
                parentHeader = GSON.fromJson(parentJson, Header.class);
            }
            Map<String, Object> meta = GSON.fromJson(text(metadata), MAP);
            Object body = GSON.fromJson(text(content), h.getType().getContentType());
            if (body == null) {
                throw new IllegalArgumentException("empty content");
            }
            if (body instanceof ErrorReply) {
                h = new Header<>(h.getId(), h.getUsername(), h.getSessionId(), h.getTimestamp(), h.getType().error(),
                        h.getVersion());
            }
            List<byte[]> identities = new ArrayList<>(frames.subList(0, delimiter));
            List<byte[]> blobs = new ArrayList<>(frames.subList(delimiter + 6, frames.size()));
            return new Message(identities, h, parentHeader, meta, body, blobs);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unreadable JSON (" + e.getClass().getSimpleName() + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
