package dlkit.data;

import java.nio.file.Files;
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
 *   <li>a {@code data/} directory next to a {@code pom.xml} or {@code .git}, found by walking up
 *       from the working directory (notebooks run in {@code notebooks/}, so {@code ../data} is
 *       found);
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
        return locate(System.getProperty(PROPERTY), System.getenv(ENV), Path.of(""));
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

    static DataRoot locate(String property, String env, Path workingDir) {
        if (property != null && !property.isBlank()) {
            return new DataRoot(absolute(Path.of(property.trim())), "system property " + PROPERTY);
        }
        if (env != null && !env.isBlank()) {
            return new DataRoot(absolute(Path.of(env.trim())), "environment variable " + ENV);
        }
        Path start = absolute(workingDir);
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path data = dir.resolve("data");
            boolean projectRoot = Files.exists(dir.resolve("pom.xml")) || Files.exists(dir.resolve(".git"));
            if (projectRoot && Files.isDirectory(data)) {
                return new DataRoot(data, "found next to the project in " + dir);
            }
        }
        return new DataRoot(start.resolve("data"), "default ./data");
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

    private static Path absolute(Path path) {
        return path.toAbsolutePath().normalize();
    }
}
