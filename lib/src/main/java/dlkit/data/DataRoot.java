package dlkit.data;

import dlkit.files.ProjectDir;
import java.nio.file.Path;

/**
 * Where the datasets live: the directory that holds {@code mnist/}, {@code fashion-mnist/} and
 * {@code cifar-10/}.
 *
 * <p>Chosen in this order:
 *
 * <ol>
 *   <li>the system property {@code dlkit.data};
 *   <li>the environment variable {@code DLKIT_DATA};
 *   <li>{@code data/} in the {@linkplain ProjectDir#projectRoot(Path) project root}, found by
 *       walking up from the working directory (notebooks run in {@code notebooks/}, so {@code
 *       ../data} is found);
 *   <li>{@code ./data}.
 * </ol>
 *
 * @param path the data root
 * @param source how it was chosen, for messages
 */
public record DataRoot(Path path, String source) {

    /** The system property that sets the data root. */
    public static final String PROPERTY = "dlkit.data";

    /** The environment variable that sets the data root. */
    public static final String ENV = "DLKIT_DATA";

    /**
     * Finds the data root for this process.
     *
     * @return the data root and how it was chosen
     */
    public static DataRoot locate() {
        ProjectDir dir = ProjectDir.locate("data", PROPERTY, ENV);
        return new DataRoot(dir.path(), dir.source());
    }

    /**
     * Uses a given directory as the data root.
     *
     * @param path the directory that holds the dataset directories
     * @return the data root
     */
    public static DataRoot of(Path path) {
        return new DataRoot(path.toAbsolutePath().normalize(), "given");
    }

    /**
     * The directory of one dataset.
     *
     * @param dataset the dataset's directory name, such as {@code mnist}
     * @return the directory under this root
     */
    public Path resolve(String dataset) {
        return path.resolve(dataset);
    }

    @Override
    public String toString() {
        return path + " (" + source + ")";
    }
}
