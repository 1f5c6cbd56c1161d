package dlkit.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir Path temp;

    private List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesAndReplacesLeavingNoTemporaryFile() throws IOException {
        Path file = temp.resolve("new/dir/metrics.json");
        AtomicFiles.writeString(file, "{\"a\": 1} é");
        assertEquals("{\"a\": 1} é", Files.readString(file));
        AtomicFiles.write(file, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
        assertEquals(List.of("metrics.json"), names(file.getParent()));
    }

    @Test
    void finishedFilesAreReadableByAll() throws IOException {
        Path file = temp.resolve("figure.png");
        AtomicFiles.write(file, new byte[] {42});
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
    }

    @Test
    void temporaryFileIsHiddenNamedAfterTheTargetAndMovedIntoPlace() throws IOException {
        Path target = temp.resolve("sub/train.gz");
        Files.createDirectories(target.getParent());
        Files.writeString(target, "old");
        Path part = AtomicFiles.tempFileFor(target);
        String name = part.getFileName().toString();
        assertEquals(target.getParent(), part.getParent());
        assertTrue(name.startsWith(".train.gz.") && name.endsWith(AtomicFiles.PART_SUFFIX), name);
        Files.writeString(part, "new");
        AtomicFiles.moveIntoPlace(part, target);
        assertEquals("new", Files.readString(target));
        assertFalse(Files.exists(part));
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("d"));
        Path target = Files.createDirectories(dir.resolve("taken")); // a non-empty directory cannot be replaced
        Files.writeString(target.resolve("inside"), "x");
        assertThrows(FileSystemException.class, () -> AtomicFiles.writeString(target, "text"));
        assertTrue(Files.isDirectory(target));
        assertEquals(List.of("taken"), names(dir));
    }

    @Test
    void writesThroughASymlinkedDirectory(@TempDir Path tmp) throws IOException {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        Path link = Files.createSymbolicLink(tmp.resolve("linked"), shared);
        AtomicFiles.writeString(link.resolve("a.txt"), "ok");
        assertEquals("ok", Files.readString(shared.resolve("a.txt")));
        assertEquals(link, AtomicFiles.createDirectories(link));
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.createDirectories(file));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
        Path dangling = Files.createSymbolicLink(tmp.resolve("dangling"), tmp.resolve("missing"));
        e = assertThrows(IOException.class, () -> AtomicFiles.createDirectories(dangling));
        assertTrue(e.getMessage().contains("is a link to"), e.getMessage());
    }
}
