package dlkit.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hex digests of buffers, streams and files. */
final class Digests {

    private Digests() {}

    /**
     * SHA-256 of a buffer's remaining bytes; the buffer's position is left as it was.
     *
     * @param content the bytes
     * @return lower-case hex
     */
    static String sha256(ByteBuffer content) {
        MessageDigest digest = digest("SHA-256");
        digest.update(content.duplicate());
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * A digest of a whole stream, which is read to its end but not closed.
     *
     * @param algorithm a {@link MessageDigest} algorithm such as {@code SHA-256} or {@code MD5}
     * @param in the stream
     * @return lower-case hex
     * @throws IOException when reading fails
     */
    static String of(String algorithm, InputStream in) throws IOException {
        MessageDigest digest = digest(algorithm);
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * A digest of a file's bytes as stored (not decompressed).
     *
     * @param algorithm a {@link MessageDigest} algorithm
     * @param file the file
     * @return lower-case hex
     * @throws IOException when reading fails
     */
    static String ofFile(String algorithm, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(algorithm, in);
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is not available in this JVM", e);
        }
    }
}
