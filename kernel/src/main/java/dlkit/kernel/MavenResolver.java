package dlkit.kernel;

import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.maven.model.Model;
import org.apache.maven.model.io.xpp3.MavenXpp3Reader;
import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.RepositoryPolicy;
import org.eclipse.aether.repository.WorkspaceReader;
import org.eclipse.aether.repository.WorkspaceRepository;
import org.eclipse.aether.resolution.ArtifactDescriptorException;
import org.eclipse.aether.resolution.ArtifactDescriptorRequest;
import org.eclipse.aether.resolution.ArtifactDescriptorResult;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.eclipse.aether.util.repository.SimpleArtifactDescriptorPolicy;

/**
 * {@code %maven}, {@code %mavenRepo} and {@code %%loadFromPOM}: resolves artifacts with their
 * runtime dependencies as Maven builds a runtime class path, with Apache Maven Resolver.
 *
 * <p>The session carries the JVM's system properties, as Maven's own does: POMs that activate
 * profiles by JDK version (Tribuo's parent, for one) otherwise lose their dependencies silently.
 * A POM that cannot be read is an error, not an artifact without dependencies. Downloads go to the
 * local repository ({@code ~/.m2/repository}, or {@code maven.repo.local} / {@code
 * DLKIT_MAVEN_REPO}), so a second resolve works offline.
 */
final class MavenResolver {

    static final String CENTRAL = "https://repo.maven.apache.org/maven2/";

    /** The scopes {@code %%loadFromPOM} takes when none are named (IJava's). */
    static final List<String> DEFAULT_SCOPES = List.of("compile", "runtime", "system", "import");

    private final Path localRepository;
    private final Map<String, RemoteRepository> remotes = new LinkedHashMap<>();
    private RepositorySystem system;

    MavenResolver(Path localRepository, List<String> remoteUrls) {
        this.localRepository = localRepository;
        for (int i = 0; i < remoteUrls.size(); i++) {
            addRepository(i == 0 ? "central" : "repo" + i, remoteUrls.get(i));
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

    /** {@code %mavenRepo id url}: later resolutions search it too. */
    void addRepository(String id, String url) {
        remotes.put(id, repository(id, url));
    }

    /** The repositories searched, as {@code id url} lines. */
    List<String> repositories() {
        return remotes.values().stream().map(r -> r.getId() + " " + r.getUrl()).toList();
    }

    /** A repository; a local folder is read without checksums (there is no transfer to check). */
    private static RemoteRepository repository(String id, String url) {
        RemoteRepository.Builder b = new RemoteRepository.Builder(id, "default", url);
        if (url.startsWith("file:")) {
            RepositoryPolicy policy = new RepositoryPolicy(true, RepositoryPolicy.UPDATE_POLICY_DAILY,
                    RepositoryPolicy.CHECKSUM_POLICY_IGNORE);
            b.setPolicy(policy);
        }
        return b.build();
    }

    /**
     * Ivy's form, which IJava and JJava also take ({@code group#artifact;version}), in Maven's
     * ({@code group:artifact:version}); other text is returned as it is.
     */
    static String fromIvy(String coordinates) {
        int hash = coordinates.indexOf('#');
        int semicolon = coordinates.indexOf(';');
        if (hash < 0 || semicolon < hash) {
            return coordinates;
        }
        return coordinates.substring(0, hash) + ":" + coordinates.substring(hash + 1, semicolon) + ":"
                + coordinates.substring(semicolon + 1);
    }

    /**
     * Resolves {@code groupId:artifactId[:extension[:classifier]]:version} with its runtime
     * dependencies, from every repository or only those named in {@code from}.
     *
     * @return the jars, the requested artifact first (each artifact knows its file)
     * @throws IllegalArgumentException naming the artifact and the repositories when it fails
     */
    List<Artifact> resolve(String coordinates, Set<String> from) {
        DefaultArtifact artifact;
        try {
            artifact = new DefaultArtifact(fromIvy(coordinates));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad Maven coordinates '" + coordinates
                    + "': use groupId:artifactId:version, e.g. org.apache.commons:commons-lang3:3.14.0");
        }
        Artifact wanted = alignDjl(artifact);
        List<RemoteRepository> repositories = new ArrayList<>();
        for (String id : from.isEmpty() ? remotes.keySet() : from) {
            RemoteRepository r = remotes.get(id);
            if (r == null) {
                throw new IllegalArgumentException("no repository '" + id + "': known are " + remotes.keySet()
                        + " (add one with %mavenRepo id url)");
            }
            repositories.add(r);
        }
        CollectRequest collect = new CollectRequest(new Dependency(wanted, JavaScopes.RUNTIME), repositories);
        return resolve(collect, coordinates, repositories);
    }

    /**
     * Resolves the dependencies a POM declares in the given scopes (none: {@link #DEFAULT_SCOPES}),
     * with the POM's repositories, parents, properties and managed versions.
     */
    List<Artifact> resolvePom(String pom, List<String> scopes) throws IOException {
        Model model;
        try {
            model = new MavenXpp3Reader().read(new StringReader(pom));
        } catch (Exception e) {
            throw new IllegalArgumentException("the POM cannot be read: " + e.getMessage());
        }
        String group = model.getGroupId() != null ? model.getGroupId()
                : model.getParent() != null ? model.getParent().getGroupId() : "dlkit.notebook";
        String version = model.getVersion() != null ? model.getVersion()
                : model.getParent() != null ? model.getParent().getVersion() : "1";
        DefaultArtifact root = new DefaultArtifact(group, model.getArtifactId(), "pom", version);
        Path file = Files.createTempFile("dlkit-", ".pom");
        Files.writeString(file, pom);
        // The POM is offered as a workspace artifact, so that the resolver builds its effective model
        // (parents, properties, imported BOMs) as for any artifact, and never from a cached copy.
        DefaultRepositorySystemSession session = session();
        session.setWorkspaceReader(new WorkspaceReader() {
            private final WorkspaceRepository repository = new WorkspaceRepository("notebook-pom");

            @Override
            public WorkspaceRepository getRepository() {
                return repository;
            }

            @Override
            public File findArtifact(Artifact a) {
                return isRoot(a) ? file.toFile() : null;
            }

            @Override
            public List<String> findVersions(Artifact a) {
                return isRoot(a) ? List.of(root.getVersion()) : List.of();
            }

            private boolean isRoot(Artifact a) {
                return a.getGroupId().equals(root.getGroupId()) && a.getArtifactId().equals(root.getArtifactId())
                        && a.getVersion().equals(root.getVersion()) && a.getExtension().equals("pom");
            }
        });
        List<RemoteRepository> repositories = new ArrayList<>(remotes.values());
        ArtifactDescriptorResult descriptor;
        try {
            descriptor = system().readArtifactDescriptor(session, new ArtifactDescriptorRequest(root, repositories, null));
        } catch (ArtifactDescriptorException e) {
            throw new IllegalArgumentException("the POM cannot be used: " + causes(e));
        } finally {
            Files.deleteIfExists(file);
        }
        Set<String> wanted = new LinkedHashSet<>(scopes.isEmpty() ? DEFAULT_SCOPES : scopes);
        List<Dependency> dependencies = new ArrayList<>();
        for (Dependency d : descriptor.getDependencies()) {
            if (wanted.contains(d.getScope().isEmpty() ? "compile" : d.getScope())) {
                dependencies.add(d.setArtifact(alignDjl(d.getArtifact())));
            }
        }
        if (dependencies.isEmpty()) {
            return List.of();
        }
        Map<String, RemoteRepository> all = new LinkedHashMap<>(remotes);
        descriptor.getRepositories().forEach(r -> all.putIfAbsent(r.getId(), r)); // the POM's own, and central
        List<RemoteRepository> searched = new ArrayList<>(all.values());
        CollectRequest collect = new CollectRequest(dependencies, descriptor.getManagedDependencies(), searched);
        return resolve(collect, "the POM's dependencies", searched);
    }

    /**
     * DJL's modules work only with the DJL release they were built with, and the kernel's DJL is
     * fixed (its classes are found first): a notebook's {@code ai.djl} module of another release
     * (d2l-java's {@code ai.djl:basicdataset:0.20.0}) is resolved at the kernel's release, as DJL's
     * BOM would, and a line says so. Native libraries (versioned by their engine, {@code 2.7.1}) are
     * left as asked.
     */
    private Artifact alignDjl(Artifact a) {
        String djl = ClasspathIndex.versionOfJarHolding("ai/djl/Model.class", "api");
        if (djl == null || !a.getGroupId().startsWith("ai.djl") || !a.getVersion().matches("0\\.\\d+\\.\\d+")
                || a.getVersion().equals(djl)) {
            return a;
        }
        System.out.println(a.getGroupId() + ":" + a.getArtifactId() + ":" + a.getVersion() + " is taken at " + djl
                + ", the kernel's DJL release: DJL's modules work only with the release of DJL they were built for");
        return a.setVersion(djl);
    }

    private List<Artifact> resolve(CollectRequest collect, String what, List<RemoteRepository> repositories) {
        DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
        List<Artifact> jars = new ArrayList<>();
        try {
            for (ArtifactResult result : system().resolveDependencies(session(), request).getArtifactResults()) {
                Artifact a = result.getArtifact();
                if (a != null && a.getFile() != null && a.getExtension().equals("jar")) {
                    jars.add(a);
                }
            }
        } catch (DependencyResolutionException e) {
            StringBuilder where = new StringBuilder();
            repositories.forEach(r -> where.append(where.length() > 0 ? ", " : "").append(r.getId()).append(" (")
                    .append(r.getUrl()).append(')'));
            String causes = causes(e);
            boolean network = causes.contains("UnknownHost") || causes.contains("Connect") || causes.contains("connect")
                    || causes.contains("transfer");
            throw new IllegalArgumentException(what + " could not be resolved from " + where + ": " + causes
                    + (network ? " (no network? artifacts already in " + localRepository + " resolve offline)" : ""));
        }
        return jars;
    }

    /** The distinct messages of an exception and its causes, most specific last. */
    private static String causes(Throwable e) {
        Set<String> messages = new LinkedHashSet<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                messages.add(t.getMessage().strip());
            }
        }
        List<String> list = new ArrayList<>(messages);
        return list.size() <= 2 ? String.join("; ", list) : list.get(0) + "; " + list.get(list.size() - 1);
    }

    private DefaultRepositorySystemSession session() {
        DefaultRepositorySystemSession session = MavenRepositorySystemUtils.newSession();
        session.setSystemProperties(System.getProperties());
        // A POM that cannot be read is an error, not an artifact with no dependencies.
        session.setArtifactDescriptorPolicy(new SimpleArtifactDescriptorPolicy(false, false));
        session.setConfigProperty("aether.connector.connectTimeout", 10_000);
        session.setConfigProperty("aether.connector.requestTimeout", 60_000);
        session.setLocalRepositoryManager(system().newLocalRepositoryManager(session,
                new LocalRepository(localRepository.toFile())));
        return session;
    }

    private synchronized RepositorySystem system() {
        if (system == null) {
            system = new RepositorySystemSupplier().get();
        }
        return system;
    }
}
