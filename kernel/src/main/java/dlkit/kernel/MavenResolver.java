package dlkit.kernel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

/**
 * {@code %maven}: resolves artifacts and their runtime dependencies with Apache Maven Resolver.
 *
 * <p>Downloads go to the local repository ({@code ~/.m2/repository}, or {@code maven.repo.local}
 * / {@code DLKIT_MAVEN_REPO}), so a second resolve works offline.
 */
final class MavenResolver {

    static final String CENTRAL = "https://repo.maven.apache.org/maven2/";

    private final Path localRepository;
    private final List<RemoteRepository> remotes;
    private RepositorySystem system;

    MavenResolver(Path localRepository, List<String> remoteUrls) {
        this.localRepository = localRepository;
        this.remotes = new ArrayList<>();
        for (int i = 0; i < remoteUrls.size(); i++) {
            String id = i == 0 ? "central" : "repo" + i;
            remotes.add(new RemoteRepository.Builder(id, "default", remoteUrls.get(i)).build());
        }
    }

    /** The local repository and Maven Central, as configured by the environment. */
    static MavenResolver fromEnvironment() {
        String local = System.getProperty("maven.repo.local", System.getenv("DLKIT_MAVEN_REPO"));
        Path repo = local != null && !local.isBlank()
                ? Path.of(local)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        return new MavenResolver(repo, List.of(CENTRAL));
    }

    /**
     * Resolves {@code groupId:artifactId[:extension[:classifier]]:version} with its runtime dependencies.
     *
     * @return the jar files, the requested artifact first
     */
    List<Path> resolve(String coordinates) throws DependencyResolutionException {
        DefaultArtifact artifact;
        try {
            artifact = new DefaultArtifact(coordinates);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Bad Maven coordinates '" + coordinates
                    + "': use groupId:artifactId:version, e.g. org.apache.commons:commons-lang3:3.14.0");
        }
        RepositorySystem repositorySystem = system();
        DefaultRepositorySystemSession session = MavenRepositorySystemUtils.newSession();
        session.setLocalRepositoryManager(repositorySystem.newLocalRepositoryManager(session,
                new LocalRepository(localRepository.toFile())));
        CollectRequest collect = new CollectRequest(new Dependency(artifact, JavaScopes.RUNTIME), remotes);
        DependencyRequest request = new DependencyRequest(collect,
                DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
        List<Path> jars = new ArrayList<>();
        for (ArtifactResult result : repositorySystem.resolveDependencies(session, request).getArtifactResults()) {
            if (result.getArtifact() != null && result.getArtifact().getFile() != null) {
                jars.add(result.getArtifact().getFile().toPath());
            }
        }
        return jars;
    }

    private synchronized RepositorySystem system() {
        if (system == null) {
            system = new RepositorySystemSupplier().get();
        }
        return system;
    }
}
