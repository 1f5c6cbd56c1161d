package dlkit.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes that either happen completely or not at all: a temporary file, then a rename. */
final class AtomicFiles {

    private AtomicFiles() {}

    /**
     * Replaces a file's content atomically.
     *
     * @param target the file
     * @param text its new content
     * @throws IOException when the directory is not writable
     */
    static void writeString(Path target, String text) throws IOException {
        Path temp = tempFileFor(target);
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            moveIntoPlace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * A new, empty temporary file next to the target, so that the final rename stays on one file
     * system; hidden and named after the target so that a leftover is easy to recognise.
     *
     * @param target the file that will be replaced
     * @return the temporary file
     * @throws IOException when the directory is not writable
     */
    static Path tempFileFor(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", PART_SUFFIX);
        try {
            // temporary files are private (0600); the finished file should read like any other
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its defaults apply
        }
        return temp;
    }

    /** Suffix of temporary files, so that leftovers of an interrupted run can be cleaned. */
    static final String PART_SUFFIX = ".part";

    /**
     * Renames a finished temporary file over the target in one step.
     *
     * @param temp the finished file
     * @param target the file to create or replace
     * @throws IOException when the rename fails
     */
    static void moveIntoPlace(Path temp, Path target) throws IOException {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
