package dlkit.files;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A folder of the project, such as {@code data/}, {@code runs/} or {@code figures/}, and how it was
 * chosen.
 *
 * <p>{@link #locate(String, String, String)} chooses in this order:
 *
 * <ol>
 *   <li>a system property (such as {@code dlkit.data});
 *   <li>an environment variable (such as {@code DLKIT_DATA});
 *   <li>the folder of that name in the {@linkplain #projectRoot(Path) project root}, found by
 *       walking up from the working directory (so {@code lib/} and {@code notebooks/} both find
 *       the repository's folder);
 *   <li>the folder of that name in the working directory.
 * </ol>
 *
 * <p>The folder need not exist yet: whoever writes into it creates it.
 *
 * @param path the folder, absolute and normalised
 * @param source how it was chosen, for messages
 */
public record ProjectDir(Path path, String source) {

    /**
     * Finds a project folder for this process.
     *
     * @param name the folder's name, such as {@code "data"}
     * @param property the system property that overrides it, such as {@code "dlkit.data"}
     * @param env the environment variable that overrides it, such as {@code "DLKIT_DATA"}
     * @return the folder and how it was chosen
     */
    public static ProjectDir locate(String name, String property, String env) {
        return locate(name, property, System.getProperty(property), env, System.getenv(env), Path.of(""));
    }

    /** {@link #locate(String, String, String)} with the settings and working directory given. */
    static ProjectDir locate(
            String name, String property, String propertyValue, String env, String envValue, Path workingDir) {
        if (propertyValue != null && !propertyValue.isBlank()) {
            return new ProjectDir(absolute(Path.of(propertyValue.trim())), "system property " + property);
        }
        if (envValue != null && !envValue.isBlank()) {
            return new ProjectDir(absolute(Path.of(envValue.trim())), "environment variable " + env);
        }
        Path start = absolute(workingDir);
        return projectRoot(start)
                .map(root -> new ProjectDir(root.resolve(name), "in the project root " + root))
                .orElseGet(() -> new ProjectDir(start.resolve(name), "default ./" + name));
    }

    /**
     * The project root above a directory: the nearest ancestor holding {@code .git}; without one,
     * the nearest ancestor holding {@code pom.xml}, climbing further while the parent holds one too
     * (a Maven module such as {@code lib/} belongs to the parent project).
     *
     * @param start where to start looking (itself included)
     * @return the project root, or empty outside any project
     */
    public static Optional<Path> projectRoot(Path start) {
        Path from = absolute(start);
        for (Path dir = from; dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(".git"))) { // a directory, or a file in a git worktree
                return Optional.of(dir);
            }
        }
        for (Path dir = from; dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("pom.xml"))) {
                while (dir.getParent() != null && Files.exists(dir.getParent().resolve("pom.xml"))) {
                    dir = dir.getParent();
                }
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return path + " (" + source + ")";
    }

    private static Path absolute(Path path) {
        return path.toAbsolutePath().normalize();
    }
}
