package dlkit.data;

import java.nio.file.Path;

/**
 * A dataset file is missing, damaged or not what it should be, or a dataset could not be fetched.
 *
 * <p>The message always says which file, what is wrong with it, and how to fix it.
 */
public class DatasetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * Reports a problem with one file.
     *
     * @param file the file at fault
     * @param problem what is wrong with it
     * @param fix the command or step that fixes it
     */
    public DatasetException(Path file, String problem, String fix) {
        this(file, problem, fix, null);
    }

    /**
     * Reports a problem with one file that an I/O error revealed.
     *
     * @param file the file at fault
     * @param problem what is wrong with it
     * @param fix the command or step that fixes it
     * @param cause the error that revealed it
     */
    public DatasetException(Path file, String problem, String fix, Throwable cause) {
        super(file + ": " + problem + "\n  Fix: " + fix, cause);
        this.file = file;
    }

    /**
     * Reports a problem that concerns no single file.
     *
     * @param message what is wrong and how to fix it
     */
    public DatasetException(String message) {
        super(message);
        this.file = null;
    }

    /**
     * The file at fault.
     *
     * @return the file, or {@code null} when the problem concerns no single file
     */
    public Path file() {
        return file;
    }

    /**
     * Whether the problem is a file that is not there at all (rather than a damaged one).
     *
     * @return true when the file at fault does not exist
     */
    public boolean missing() {
        return file != null && !java.nio.file.Files.exists(file);
    }
}
