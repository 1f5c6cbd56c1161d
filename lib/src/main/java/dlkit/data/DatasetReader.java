package dlkit.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a whole dataset into memory, checking every file (structure on every read; content hash
 * unless the stamp vouches for it). Nothing is returned unless everything checks out, so no
 * training ever starts on partial data.
 */
final class DatasetReader {

    /**
     * The checked bytes of one part (train or test) of a dataset.
     *
     * @param pixels every image's pixels, image after image, channel-major within an image
     * @param labels one byte per image
     * @param count the number of images
     * @param files {@code name=sha256} of each file the part was read from
     */
    record Part(ByteBuffer pixels, ByteBuffer labels, int count, List<String> files) {}

    /**
     * A whole dataset.
     *
     * @param train the training part
     * @param test the test part
     * @param classNames the class names, by label
     */
    record Contents(Part train, Part test, List<String> classNames) {}

    private DatasetReader() {}

    /**
     * Reads and checks a dataset.
     *
     * @param spec which dataset
     * @param root the data root
     * @param manifest the expected sizes and hashes
     * @return its contents
     * @throws DatasetException naming the first bad file, what is wrong, and the fix
     */
    static Contents read(DatasetSpec spec, DataRoot root, Manifest manifest) {
        DatasetFiles files = new DatasetFiles(spec, root, manifest);
        Contents contents;
        if (spec.isIdx()) {
            Part train = readIdx(spec, files, DatasetSpec.TRAIN_IMAGES, DatasetSpec.TRAIN_LABELS);
            Part test = readIdx(spec, files, DatasetSpec.TEST_IMAGES, DatasetSpec.TEST_LABELS);
            contents = new Contents(train, test, spec.classNames());
        } else {
            DatasetFiles.Stored meta = files.locate(DatasetSpec.CIFAR_META);
            List<String> names = CifarFormat.readClassNames(meta.path(), files.fix());
            Part train = readCifar(files, DatasetSpec.CIFAR_TRAIN);
            Part test = readCifar(files, List.of(DatasetSpec.CIFAR_TEST));
            contents = new Contents(train, test, names);
        }
        files.save();
        return contents;
    }

    private static Part readIdx(DatasetSpec spec, DatasetFiles files, String imagesName, String labelsName) {
        DatasetFiles.Stored images = files.locate(imagesName);
        DatasetFiles.Stored labels = files.locate(labelsName);
        int side = spec.side();
        ByteBuffer imageContent = files.read(images);
        int n = IdxFormat.checkImages(
                images.path(), imageContent, side,
                IdxFormat.countFor(images.entry().size(), IdxFormat.IMAGES_HEADER, side * side), files.fix());
        ByteBuffer labelContent = files.read(labels);
        int m = IdxFormat.checkLabels(
                labels.path(), labelContent, spec.classCount(),
                IdxFormat.countFor(labels.entry().size(), IdxFormat.LABELS_HEADER, 1), files.fix());
        if (n != m) {
            throw new DatasetException(
                    labels.path(), "holds " + m + " labels but " + images.path().getFileName() + " holds "
                            + n + " images (the two files do not belong together)", files.fix());
        }
        String imagesSha = files.verify(images, imageContent);
        String labelsSha = files.verify(labels, labelContent);
        return new Part(
                imageContent.slice(IdxFormat.IMAGES_HEADER, n * side * side),
                labelContent.slice(IdxFormat.LABELS_HEADER, n),
                n,
                List.of(imagesName + "=" + imagesSha, labelsName + "=" + labelsSha));
    }

    private static Part readCifar(DatasetFiles files, List<String> batchNames) {
        List<DatasetFiles.Stored> stored = new ArrayList<>();
        long records = 0;
        for (String name : batchNames) {
            DatasetFiles.Stored batch = files.locate(name);
            stored.add(batch);
            records += sizeOf(batch) / CifarFormat.RECORD;
        }
        int total = Math.toIntExact(records);
        ByteBuffer pixels = ByteBuffer.allocateDirect(Math.multiplyExact(total, CifarFormat.PIXELS));
        ByteBuffer labels = ByteBuffer.allocateDirect(total);
        List<String> digests = new ArrayList<>();
        for (DatasetFiles.Stored batch : stored) {
            ByteBuffer content = files.read(batch);
            CifarFormat.checkBatch(batch.path(), content, batch.entry().size(), files.fix());
            String name = batch.path().getFileName().toString();
            digests.add(name + "=" + files.verify(batch, content));
            CifarFormat.split(content, pixels, labels);
        }
        return new Part(pixels.flip(), labels.flip(), total, List.copyOf(digests));
    }

    private static long sizeOf(DatasetFiles.Stored stored) {
        try {
            return Files.size(stored.path());
        } catch (IOException e) {
            throw new DatasetException(stored.path(), "cannot be read: " + e, "check its permissions", e);
        }
    }
}
