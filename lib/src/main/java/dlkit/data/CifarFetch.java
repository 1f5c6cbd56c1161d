package dlkit.data;

import dlkit.files.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * {@link Fetch}'s CIFAR-10 part: the official binary archive (no package registry has a copy),
 * downloaded or placed by hand, checked against its MD5, extracted into a temporary folder,
 * verified there and only then moved into place.
 */
final class CifarFetch {
    private final DataRoot root;
    private final Manifest manifest;
    private final Downloader downloader;
    private final URI url;
    private final PrintStream out;

    CifarFetch(DataRoot root, Manifest manifest, Downloader downloader, URI url, PrintStream out) {
        this.root = root;
        this.manifest = manifest;
        this.downloader = downloader;
        this.url = url;
        this.out = out;
    }

    /**
     * Makes CIFAR-10 present and verified in {@code dir}: the files already there, else an archive
     * the user placed there, else a download; extracted and verified before it is moved in.
     *
     * @param required whether a failure gets the how-to (else one line: CIFAR-10 is optional)
     * @return whether CIFAR-10 is there in the end
     */
    boolean fetch(Path dir, boolean required) throws IOException {
        if (Files.isDirectory(dir.resolve(DatasetSpec.CIFAR_DIR))) {
            try {
                DatasetReader.read(DatasetSpec.CIFAR_10, root, manifest);
                out.println("CIFAR-10: all files present and verified in " + dir);
                return true;
            } catch (DatasetException e) {
                out.println("CIFAR-10: will replace the files: " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        Manifest.ArchiveEntry expected = manifest.archive(Fetch.CIFAR_ARCHIVE);
        Path archive = dir.resolve(Fetch.CIFAR_ARCHIVE);
        boolean placedByUser = Files.isRegularFile(archive);
        try {
            if (placedByUser) {
                out.println("CIFAR-10: using " + archive);
                FetchFiles.archiveCheck(expected).verify(archive);
            } else {
                downloader.download(url, archive, "cifar-10/" + Fetch.CIFAR_ARCHIVE, FetchFiles.archiveCheck(expected));
            }
            extract(dir, archive);
            if (!placedByUser) {
                Files.deleteIfExists(archive);
            }
            out.println("CIFAR-10: extracted and verified in " + dir
                    + (placedByUser ? " (" + archive.getFileName() + " can now be deleted)" : ""));
            return true;
        } catch (IOException | DatasetException e) {
            if (required || placedByUser) {
                out.println(help(dir, archive, placedByUser, e));
            } else {
                out.println("CIFAR-10 (optional): cannot be downloaded here ("
                        + e.getMessage().lines().findFirst().orElse(e.toString())
                        + "); environment/fetch-data.sh cifar-10 says how to add it by hand.");
            }
            return false;
        }
    }

    /**
     * Extracts the batch files into a temporary root, verifies them there (which writes their
     * SHA256SUMS), and only then moves them into place.
     */
    private void extract(Path dir, Path archive) throws IOException {
        Path tempRoot = Files.createTempDirectory(dir, ".extract-");
        try {
            Path tempDir = tempRoot.resolve(DatasetSpec.CIFAR_10.dir());
            Path batches = tempDir.resolve(DatasetSpec.CIFAR_DIR);
            AtomicFiles.createDirectories(batches);
            try (InputStream raw = Files.newInputStream(archive);
                    TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(raw, 1 << 16))) {
                for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                    Path target = tempDir.resolve(entry.getName()).normalize();
                    if (entry.isFile() && target.startsWith(batches)) { // nothing outside the batch directory
                        AtomicFiles.createDirectories(target.getParent());
                        Files.copy(tar, target);
                    }
                }
            }
            DatasetReader.read(DatasetSpec.CIFAR_10, DataRoot.of(tempRoot), manifest);
            Path finalBatches = dir.resolve(DatasetSpec.CIFAR_DIR);
            if (Files.exists(finalBatches)) {
                Path old = tempRoot.resolve("old");
                Files.move(finalBatches, old);
            }
            Files.move(batches, finalBatches);
            for (String name : List.of(Sha256Sums.FILE_NAME, VerifiedStamp.FILE_NAME)) {
                if (Files.exists(tempDir.resolve(name))) {
                    AtomicFiles.moveIntoPlace(tempDir.resolve(name), dir.resolve(name));
                }
            }
        } finally {
            FetchFiles.deleteTree(tempRoot);
        }
    }

    private String help(Path dir, Path archive, boolean placedByUser, Exception e) {
        String why = e.getMessage().lines().findFirst().orElse(e.toString());
        String md5 = manifest.archive(Fetch.CIFAR_ARCHIVE).digest();
        if (placedByUser) {
            return "CIFAR-10: " + archive + " is not usable: " + why + "\n"
                    + "  Delete it and download it again (MD5 " + md5 + ").";
        }
        return "CIFAR-10: could not download " + url + ": " + why + "\n"
                + "  CIFAR-10 has no package-registry copy. To install it by hand:\n"
                + "    1. on a machine with internet access, download " + url
                + " (about 170 MB, MD5 " + md5 + ")\n"
                + "    2. copy it to " + archive + "\n"
                + "    3. run environment/fetch-data.sh cifar-10 (it checks the archive and extracts it)\n"
                + "  or extract it yourself so that " + dir.resolve(DatasetSpec.CIFAR_TRAIN.get(0)) + " exists.";
    }
}
