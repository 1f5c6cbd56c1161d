package dlkit.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigestsTest {

    // Known answers: FIPS 180-2 "abc" and RFC 1321 "abc".
    private static final String SHA256_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String MD5_ABC = "900150983cd24fb0d6963f7d28e17f72";
    private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);

    @TempDir Path temp;

    @Test
    void everyFormGivesTheKnownDigest() throws IOException {
        assertEquals(SHA256_ABC, Digests.sha256(ABC));
        assertEquals(SHA256_ABC, Digests.of("SHA-256", new ByteArrayInputStream(ABC)));
        assertEquals(MD5_ABC, Digests.ofFile("MD5", Files.write(temp.resolve("abc"), ABC)));
        var digest = Digests.newDigest("SHA-256");
        digest.update(ABC, 0, 1);
        digest.update(ABC, 1, 2);
        assertEquals(SHA256_ABC, Digests.hex(digest.digest()));
    }

    @Test
    void bufferPositionIsLeftAsItWas() {
        ByteBuffer buffer = ByteBuffer.wrap("xabc".getBytes(StandardCharsets.US_ASCII));
        buffer.position(1);
        assertEquals(SHA256_ABC, Digests.sha256(buffer));
        assertEquals(1, buffer.position());
    }

    @Test
    void unknownAlgorithmIsNamed() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Digests.newDigest("SHA-999"));
        assertEquals("SHA-999 is not available in this JVM", e.getMessage());
    }
}
