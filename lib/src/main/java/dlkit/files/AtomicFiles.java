package dlkit.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes that happen completely or not at all: a temporary file next to the target, then a rename,
 * so a reader (or a run that was interrupted) never sees half a file.
 *
 * <pre>{@code
 * AtomicFiles.writeString(dir.resolve("metrics.json"), json);
 *
 * Path temp = AtomicFiles.tempFileFor(target);   // for content written by a stream
 * try {
 *     download(url, temp);
 *     AtomicFiles.moveIntoPlace(temp, target);
 * } finally {
 *     Files.deleteIfExists(temp);
 * }
 * }</pre>
 */
public final class AtomicFiles {

    /**
     * Suffix of temporary files ({@code .<target name>.<random>.part}), so that leftovers of an
     * interrupted run can be recognised and cleaned.
     */
    public static final String PART_SUFFIX = ".part";

    private AtomicFiles() {}

    /**
     * Creates or replaces a file's content atomically, creating its directory if needed.
     *
     * @param target the file
     * @param bytes its new content
     * @throws IOException when the directory is not writable
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path temp = tempFileFor(target);
        try {
            Files.write(temp, bytes);
            moveIntoPlace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Creates or replaces a text file atomically, in UTF-8.
     *
     * @param target the file
     * @param text its new content
     * @throws IOException when the directory is not writable
     */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A new, empty temporary file next to the target (so the final rename stays on one file
     * system), hidden and named after the target so that a leftover is easy to recognise. Its
     * directory is created if needed; its permissions are {@code rw-r--r--} where the file system
     * has POSIX permissions, so the finished file reads like any other.
     *
     * @param target the file that will be created or replaced
     * @return the temporary file
     * @throws IOException when the directory is not writable
     */
    public static Path tempFileFor(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", PART_SUFFIX);
        try {
            // temporary files are private (0600); the finished file should not be
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its defaults apply
        }
        return temp;
    }

    /**
     * Renames a finished temporary file over the target in one step; where the file system cannot
     * rename atomically, replaces the target with a plain move.
     *
     * @param temp the finished file
     * @param target the file to create or replace
     * @throws IOException when the move fails
     */
    public static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Creates a directory and its parents unless it exists. Unlike {@link Files#createDirectories},
     * it accepts a symbolic link to a directory (e.g. {@code data/mnist} linked to a shared copy),
     * which the JDK method rejects with a bare {@code FileAlreadyExistsException}.
     *
     * @param dir the directory
     * @return the directory
     * @throws IOException when it cannot be created, or exists and is not a directory
     */
    public static Path createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        if (Files.isSymbolicLink(dir)) {
            throw new IOException(dir + " is a link to " + Files.readSymbolicLink(dir)
                    + ", which is not a directory: fix or remove the link");
        }
        if (Files.exists(dir)) {
            throw new IOException(dir + " exists but is not a directory: move it away so it can be created");
        }
        return Files.createDirectories(dir);
    }
}
