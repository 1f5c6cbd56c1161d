package dlkit.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectDirTest {

    @TempDir Path temp;

    /** A repository like dlkit's: {@code .git}, a parent pom, a module {@code lib/} and {@code notebooks/}. */
    private Path repository(boolean withGit) throws IOException {
        Path repo = Files.createDirectories(temp.resolve("outer/repo"));
        Files.writeString(repo.resolve("pom.xml"), "<project/>");
        Files.writeString(Files.createDirectories(repo.resolve("lib")).resolve("pom.xml"), "<project/>");
        Files.createDirectories(repo.resolve("lib/src/main"));
        Files.createDirectories(repo.resolve("notebooks"));
        if (withGit) {
            Files.writeString(repo.resolve(".git"), "gitdir: /elsewhere"); // a worktree's .git is a file
        }
        return repo;
    }

    private static ProjectDir locate(String property, String env, Path workingDir) {
        return ProjectDir.locate("data", "dlkit.data", property, "DLKIT_DATA", env, workingDir);
    }

    @Test
    void propertyComesFirstThenEnvironment() throws IOException {
        Path notebooks = repository(true).resolve("notebooks");
        ProjectDir byProperty = locate(" " + temp.resolve("p/../q") + " ", "/env", notebooks);
        assertEquals(temp.resolve("q"), byProperty.path());
        assertEquals("system property dlkit.data", byProperty.source());
        ProjectDir byEnv = locate("", "/env", notebooks);
        assertEquals(Path.of("/env"), byEnv.path());
        assertEquals("environment variable DLKIT_DATA", byEnv.source());
    }

    @Test
    void moduleAndNotebooksResolveToTheRepositoryRoot() throws IOException {
        for (boolean withGit : new boolean[] {true, false}) {
            Path repo = repository(withGit);
            for (Path dir : new Path[] {repo, repo.resolve("lib"), repo.resolve("lib/src/main"), repo.resolve("notebooks")}) {
                assertEquals(Optional.of(repo), ProjectDir.projectRoot(dir), dir + ", .git: " + withGit);
                ProjectDir data = locate(null, " ", dir);
                assertEquals(repo.resolve("data"), data.path(), "the folder need not exist yet");
                assertEquals("in the project root " + repo, data.source());
            }
            Files.deleteIfExists(repo.resolve(".git"));
        }
    }

    @Test
    void nearestGitWinsOverPomFiles() throws IOException {
        Path repo = repository(false);
        Files.writeString(temp.resolve("outer/pom.xml"), "<project/>"); // would be the topmost pom
        assertEquals(Optional.of(temp.resolve("outer")), ProjectDir.projectRoot(repo.resolve("lib")));
        Files.createDirectories(repo.resolve(".git"));
        assertEquals(Optional.of(repo), ProjectDir.projectRoot(repo.resolve("lib")));
    }

    @Test
    void outsideAProjectTheWorkingDirectoryIsUsed() throws IOException {
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
        // The temp dir may itself lie inside some checkout; only assert the default where it does not.
        if (ProjectDir.projectRoot(elsewhere).isEmpty()) {
            ProjectDir runs = ProjectDir.locate("runs", "dlkit.runs", null, "DLKIT_RUNS", null, elsewhere);
            assertEquals(elsewhere.resolve("runs"), runs.path());
            assertEquals("default ./runs", runs.source());
            assertTrue(runs.toString().contains("default ./runs"));
        }
    }
}
