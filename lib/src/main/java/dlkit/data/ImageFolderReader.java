package dlkit.data;

import dlkit.files.Digests;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads a folder of class sub-folders of images into a dataset's bytes (see {@link ImageFolderLoader}).
 * The whole layout is checked before any image is decoded.
 */
final class ImageFolderReader {

    private static final Set<String> IMAGE_TYPES = Set.of("png", "jpg", "jpeg", "gif", "bmp");
    private static final String LAYOUT = "put one sub-folder of images per class in it (cat/, dog/, ...),"
            + " or train/ and test/ folders that each hold such sub-folders";

    /** One image file and its label. */
    private record Item(Path file, int label) {}

    /**
     * What was read.
     *
     * @param contents the training and test bytes and the class names
     * @param channels 1 or 3
     * @param skipped how many files were not images
     * @param skippedExample the name of one of them
     */
    record Read(DatasetReader.Contents contents, int channels, int skipped, String skippedExample) {}

    private final Path folder;
    private final int side;
    private final int channels;
    private final double testFraction;
    private final long seed;
    private int skipped;
    private String skippedExample = "";

    ImageFolderReader(Path folder, int side, int channels, double testFraction, long seed) {
        this.folder = folder;
        this.side = side;
        this.channels = channels;
        this.testFraction = testFraction;
        this.seed = seed;
    }

    Read read() {
        if (!Files.isDirectory(folder)) {
            throw new DatasetException(folder, Files.exists(folder) ? "is a file, not a folder" : "does not exist",
                    "give the folder of your images (a relative path starts from the notebook's folder;"
                            + " DataRoot.locate().resolve(\"name\") finds one in the data folder), and " + LAYOUT);
        }
        Path trainDir = folder.resolve("train");
        Path testDir = folder.resolve("test");
        if (Files.isDirectory(trainDir) != Files.isDirectory(testDir)) {
            Path missing = Files.isDirectory(trainDir) ? testDir : trainDir;
            throw new DatasetException(missing, "is missing beside " + (missing == testDir ? "train/" : "test/"),
                    "make it, with the same class folders, or move the class folders up into " + folder
                            + " to hold out a test part by optTestFraction");
        }
        List<String> classes;
        List<Item> train;
        List<Item> test;
        String how;
        if (Files.isDirectory(trainDir) && Files.isDirectory(testDir)) {
            classes = classFolders(trainDir);
            List<String> testClasses = classFolders(testDir);
            for (String name : testClasses) {
                if (!classes.contains(name)) {
                    throw new DatasetException(testDir.resolve(name), "is a class that train/ does not have",
                            "give train/ a folder " + name + "/ of training images, or remove it from test/");
                }
            }
            train = items(trainDir, classes);
            test = items(testDir, classes);
            how = "folders=train,test";
        } else {
            classes = classFolders(folder);
            List<Item> all = items(folder, classes);
            List<List<Item>> parts = holdOut(all, classes.size());
            train = parts.get(0);
            test = parts.get(1);
            how = String.format(Locale.ROOT, "test=%s seed=%d", testFraction, seed);
        }
        if (classes.size() > 256) {
            throw new DatasetException(folder, "has " + classes.size() + " class folders; at most 256 are supported",
                    "group the classes into 256 or fewer folders");
        }
        Decoded trainImages = decode(train);
        Decoded testImages = decode(test);
        boolean grey = trainImages.grey && testImages.grey;
        int used = channels != 0 ? channels : grey ? 1 : 3;
        String settings = "folder=" + folder.toAbsolutePath().normalize() + " size=" + side + " channels=" + used + " " + how;
        DatasetReader.Contents contents = new DatasetReader.Contents(
                trainImages.part(used, settings), testImages.part(used, settings), List.copyOf(classes));
        return new Read(contents, used, skipped, skippedExample);
    }

    private static List<String> classFolders(Path dir) {
        List<String> names = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith(".")).sorted().forEach(names::add);
        } catch (IOException e) {
            throw new DatasetException(dir, "cannot be listed: " + e, "check its permissions", e);
        }
        if (names.isEmpty()) {
            throw new DatasetException(dir, "has no class folders", LAYOUT);
        }
        return names;
    }

    private List<Item> items(Path dir, List<String> classes) {
        List<Item> items = new ArrayList<>();
        for (int label = 0; label < classes.size(); label++) {
            Path classDir = dir.resolve(classes.get(label));
            if (!Files.isDirectory(classDir)) {
                continue; // a class the test folder lacks
            }
            List<Path> files;
            try (Stream<Path> entries = Files.list(classDir)) {
                files = entries.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                        .sorted().toList();
            } catch (IOException e) {
                throw new DatasetException(classDir, "cannot be listed: " + e, "check its permissions", e);
            }
            int before = items.size();
            for (Path file : files) {
                if (IMAGE_TYPES.contains(extension(file))) {
                    items.add(new Item(file, label));
                } else {
                    skipped++;
                    skippedExample = skippedExample.isEmpty() ? file.getFileName().toString() : skippedExample;
                }
            }
            if (items.size() == before) {
                throw new DatasetException(classDir, "holds no PNG, JPEG, GIF or BMP images",
                        "add images of class " + classes.get(label) + ", or remove the folder");
            }
        }
        return items;
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** The same seeded fraction of each class as the test part, so that both parts hold every class. */
    private List<List<Item>> holdOut(List<Item> all, int classCount) {
        Random random = new Random(seed);
        List<Item> train = new ArrayList<>();
        List<Item> test = new ArrayList<>();
        for (int label = 0; label < classCount; label++) {
            int c = label;
            List<Item> members = all.stream().filter(item -> item.label() == c).toList();
            int[] order = Permutations.of(members.size(), random);
            int held = (int) Math.round(members.size() * testFraction);
            int[] testIndices = Arrays.copyOfRange(order, 0, held);
            Arrays.sort(testIndices);
            boolean[] isTest = new boolean[members.size()];
            for (int i : testIndices) {
                isTest[i] = true;
            }
            for (int i = 0; i < members.size(); i++) {
                (isTest[i] ? test : train).add(members.get(i));
            }
        }
        if (test.isEmpty()) {
            throw new DatasetException(folder, "has too few images to hold out " + testFraction + " of each class"
                    + " as the test set (" + all.size() + " images)", "add images, raise optTestFraction, or make"
                    + " train/ and test/ folders");
        }
        return List.of(train, test);
    }

    /** The images of one part as RGB planes, and whether every one of them is grey. */
    private record Decoded(List<Item> items, byte[][] rgb, boolean grey, String sha256, int side) {

        DatasetReader.Part part(int channels, String settings) {
            int plane = side * side;
            ByteBuffer pixels = ByteBuffer.allocateDirect(Math.multiplyExact(items.size(), channels * plane));
            ByteBuffer labels = ByteBuffer.allocateDirect(items.size());
            for (int i = 0; i < items.size(); i++) {
                put(pixels, rgb[i], channels, plane);
                labels.put((byte) items.get(i).label());
            }
            return new DatasetReader.Part(pixels.flip(), labels.flip(), items.size(),
                    List.of(settings, "images=" + items.size(), "sha256=" + sha256));
        }
    }

    private Decoded decode(List<Item> items) {
        byte[][] rgb = new byte[items.size()][];
        boolean[] grey = new boolean[items.size()];
        byte[][] digests = new byte[items.size()][];
        IntStream.range(0, items.size()).parallel().forEach(i -> {
            Path file = items.get(i).file();
            byte[] bytes = bytes(file);
            BufferedImage image = image(file, bytes, side);
            grey[i] = image.getColorModel().getNumColorComponents() == 1;
            rgb[i] = planes(square(image, side), side);
            MessageDigest sha = Digests.newDigest("SHA-256");
            sha.update(folder.relativize(file).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
            sha.update(bytes);
            digests[i] = sha.digest();
        });
        MessageDigest all = Digests.newDigest("SHA-256");
        boolean allGrey = true;
        for (int i = 0; i < items.size(); i++) {
            all.update(digests[i]);
            allGrey &= grey[i];
        }
        return new Decoded(items, rgb, allGrey, Digests.hex(all.digest()), side);
    }

    /**
     * Pictures prepared as a dataset's images are: squared to the side, in its channels.
     *
     * @return channel-major bytes, image after image
     */
    static ByteBuffer prepare(List<Path> files, int channels, int side) {
        int plane = side * side;
        ByteBuffer out = ByteBuffer.allocateDirect(Math.multiplyExact(files.size(), channels * plane));
        for (Path file : files) {
            put(out, planes(square(image(file, bytes(file), side), side), side), channels, plane);
        }
        return out.flip();
    }

    /** Appends one image's RGB planes in the set's channels: as they are, or grey by ITU-R 601 luma (PIL's "L"). */
    private static void put(ByteBuffer out, byte[] rgb, int channels, int plane) {
        if (channels == 3) {
            out.put(rgb);
            return;
        }
        for (int p = 0; p < plane; p++) {
            int r = rgb[p] & 0xff;
            int g = rgb[plane + p] & 0xff;
            int b = rgb[2 * plane + p] & 0xff;
            out.put((byte) ((r * 299 + g * 587 + b * 114 + 500) / 1000));
        }
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DatasetException(file, "cannot be read: " + e, "check that it exists and its permissions", e);
        }
    }

    /**
     * Decodes a picture. A large photo is read at every n-th pixel, still four times the target
     * side, instead of whole: a 12-megapixel JPEG decodes in 22 ms instead of 150 ms.
     */
    private static BufferedImage image(Path file, byte[] bytes, int side) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw notAPicture(file);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                ImageReadParam param = reader.getDefaultReadParam();
                int step = Math.max(1, Math.min(reader.getWidth(0), reader.getHeight(0)) / (4 * side));
                param.setSourceSubsampling(step, step, 0, 0);
                return reader.read(0, param);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new DatasetException(file, "cannot be read as a picture: " + e.getMessage(),
                    "replace or remove the file", e);
        }
    }

    private static DatasetException notAPicture(Path file) {
        return new DatasetException(file, "is not an image Java can decode (damaged, or an unusual variant of its"
                + " type)", "convert it to PNG, or remove it");
    }

    /** Scales the shorter side to {@code side} and crops the centred square. */
    static BufferedImage square(BufferedImage image, int side) {
        int w = image.getWidth();
        int h = image.getHeight();
        // Halving first: one bilinear step from a large photo to a few pixels would skip most pixels.
        while (Math.min(w, h) >= 2 * side) {
            w = Math.max(1, w / 2);
            h = Math.max(1, h / 2);
            image = scaled(image, w, h, 0, 0, w, h);
        }
        double scale = (double) side / Math.min(w, h);
        int sw = Math.max(side, (int) Math.round(w * scale));
        int sh = Math.max(side, (int) Math.round(h * scale));
        return scaled(image, side, side, -(sw - side) / 2, -(sh - side) / 2, sw, sh);
    }

    private static BufferedImage scaled(BufferedImage image, int width, int height, int x, int y, int w, int h) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setColor(java.awt.Color.WHITE); // transparent pixels become white, as on a page
            g.fillRect(0, 0, width, height);
            g.drawImage(image, x, y, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Channel-major bytes: all red, then all green, then all blue, as CIFAR-10's files hold them. */
    private static byte[] planes(BufferedImage image, int side) {
        int plane = side * side;
        byte[] out = new byte[3 * plane];
        int[] argb = image.getRGB(0, 0, side, side, null, 0, side);
        for (int p = 0; p < plane; p++) {
            out[p] = (byte) (argb[p] >> 16);
            out[plane + p] = (byte) (argb[p] >> 8);
            out[2 * plane + p] = (byte) argb[p];
        }
        return out;
    }
}
