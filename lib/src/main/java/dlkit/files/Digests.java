package dlkit.files;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Lower-case hex digests (SHA-256 and others) of bytes, buffers, streams and files. */
public final class Digests {

    private Digests() {}

    /**
     * SHA-256 of an array.
     *
     * @param content the bytes
     * @return lower-case hex
     */
    public static String sha256(byte[] content) {
        return hex(newDigest("SHA-256").digest(content));
    }

    /**
     * SHA-256 of a buffer's remaining bytes; the buffer's position is left as it was.
     *
     * @param content the bytes
     * @return lower-case hex
     */
    public static String sha256(ByteBuffer content) {
        MessageDigest digest = newDigest("SHA-256");
        digest.update(content.duplicate());
        return hex(digest.digest());
    }

    /**
     * Adds an array's type, shape and values to a digest: what the run cache and data identities
     * hash.
     *
     * @param digest the digest to update
     * @param array the array
     */
    public static void update(MessageDigest digest, NDArray array) {
        digest.update((array.getDataType() + array.getShape().toString()).getBytes(StandardCharsets.UTF_8));
        digest.update(array.toByteBuffer());
    }

    /**
     * A digest of a whole stream, which is read to its end but not closed.
     *
     * @param algorithm a {@link MessageDigest} algorithm such as {@code SHA-256} or {@code MD5}
     * @param in the stream
     * @return lower-case hex
     * @throws IOException when reading fails
     */
    public static String of(String algorithm, InputStream in) throws IOException {
        MessageDigest digest = newDigest(algorithm);
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
        }
        return hex(digest.digest());
    }

    /**
     * A digest of a file's bytes as stored (not decompressed).
     *
     * @param algorithm a {@link MessageDigest} algorithm
     * @param file the file
     * @return lower-case hex
     * @throws IOException when reading fails
     */
    public static String ofFile(String algorithm, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(algorithm, in);
        }
    }

    /**
     * A new digest, for content fed piece by piece; finish it with {@link #hex(byte[])}.
     *
     * @param algorithm a {@link MessageDigest} algorithm such as {@code SHA-256}
     * @return a fresh digest
     * @throws IllegalStateException when this JVM lacks the algorithm
     */
    public static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is not available in this JVM", e);
        }
    }

    /**
     * Lower-case hex of a finished digest.
     *
     * @param digest the digest's bytes
     * @return lower-case hex
     */
    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
