package dlkit.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import dlkit.engine.Engines;
import dlkit.models.Mlp;
import dlkit.train.Fit;
import dlkit.train.Run;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images of one's own, from class folders: layout, pixels, labels, splits and the mistakes. */
class ImageFolderTest {

    @BeforeAll
    static void engine() {
        Engines.startQuietly();
    }

    /** A red or blue picture of the given size with a white border, as PNG or JPEG. */
    private static void picture(Path file, Color color, int width, int height) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(color);
        g.fillRect(width / 8, height / 8, width - width / 4, height - height / 4);
        g.dispose();
        String name = file.getFileName().toString();
        ImageIO.write(image, name.substring(name.lastIndexOf('.') + 1).replace("jpg", "jpeg"), file.toFile());
    }

    private static Path colours(Path dir, int perClass) throws IOException {
        for (int i = 0; i < perClass; i++) {
            picture(dir.resolve("red/r" + i + ".png"), Color.RED, 40 + i, 30);        // wider than high
            picture(dir.resolve("blue/b" + i + ".jpg"), Color.BLUE, 30, 50 + 2 * i);  // higher than wide
        }
        Files.writeString(dir.resolve("red/notes.txt"), "not an image");
        Files.writeString(dir.resolve("blue/.DS_Store"), "hidden");
        return dir;
    }

    @Test
    void classFoldersBecomeLabelsAndPixelsInTheCentre(@TempDir Path dir) throws IOException {
        colours(dir, 10);
        try (ImageDataset set = Datasets.imageFolder(dir).optSize(16).load()) {
            assertEquals(List.of("blue", "red"), set.classNames(), "sorted folder names");
            assertEquals(16, set.train().size());
            assertEquals(4, set.test().size(), "a fifth of each class, by default");
            assertEquals(new Shape(3, 16, 16), set.train().imageShape());
            assertEquals(2, set.test().classCounts()[0], "both classes in the test part");
            assertEquals(2, set.test().classCounts()[1], "both classes in the test part");
            ImageSet train = set.train();
            for (int i = 0; i < train.size(); i++) {
                int rgb = train.image(i).getRGB(8, 8) & 0xffffff;
                int red = rgb >> 16;
                int blue = rgb & 0xff;
                if (train.labelName(i).equals("red")) {
                    assertTrue(red > 240 && blue < 15, "centre of a red picture: " + Integer.toHexString(rgb));
                } else {
                    assertTrue(blue > 230 && red < 25, "centre of a blue picture: " + Integer.toHexString(rgb));
                }
            }
            NDArray images = train.images();
            assertEquals(new Shape(16, 3, 16, 16), images.getShape());
            assertTrue(images.max().getFloat() <= 1f && images.min().getFloat() >= 0f, "UNIT normalisation");
        }
    }

    @Test
    void greyPicturesGiveOneChannelAndTrainAndTestFoldersAreKept(@TempDir Path dir) throws IOException {
        for (int i = 0; i < 6; i++) {
            picture(dir.resolve("train/dark/d" + i + ".png"), Color.DARK_GRAY, 20, 20);
            picture(dir.resolve("train/light/l" + i + ".png"), Color.LIGHT_GRAY, 20, 20);
        }
        picture(dir.resolve("test/dark/d.png"), Color.DARK_GRAY, 20, 20);
        picture(dir.resolve("test/light/l.png"), Color.LIGHT_GRAY, 20, 20);
        convertToGrey(dir);
        try (ImageDataset set = Datasets.imageFolder(dir).optSize(8).load()) {
            assertEquals(new Shape(1, 8, 8), set.train().imageShape(), "every picture grey: one channel");
            picture(dir.resolve("colour.png"), Color.RED, 30, 30);
            NDArray red = set.prepare(List.of(dir.resolve("colour.png")));
            assertEquals(new Shape(1, 1, 8, 8), red.getShape(), "a colour picture for a grey dataset becomes grey");
            assertEquals(76 / 255f, red.getFloat(0, 0, 4, 4), 1e-6, "red's luma, 0.299 x 255");
            assertEquals(12, set.train().size());
            assertEquals(2, set.test().size());
        }
        try (ImageDataset set = Datasets.imageFolder(dir).optSize(8).optChannels(3).load()) {
            assertEquals(new Shape(3, 8, 8), set.train().imageShape(), "asked for colour");
        }
    }

    private static void convertToGrey(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".png")).toList()) {
                BufferedImage colour = ImageIO.read(file.toFile());
                BufferedImage grey = new BufferedImage(colour.getWidth(), colour.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
                grey.getGraphics().drawImage(colour, 0, 0, null);
                ImageIO.write(grey, "png", file.toFile());
            }
        }
    }

    @Test
    void theIdentityChangesWithAFileAndTheSizeAndANetworkLearnsTheColours(@TempDir Path dir, @TempDir Path own)
            throws IOException {
        colours(dir, 12);
        String before;
        try (ImageDataset set = Datasets.imageFolder(dir).optSize(8).load()) {
            before = set.train().identity();
            try (Run run = Fit.builder().setBlock(Mlp.builder().setHidden(16).setOutputs(2).build())
                    .setTrainData(set.train()).optValidation(set.test()).setLoss(Loss.softmaxCrossEntropyLoss())
                    .addEvaluator(new Accuracy()).optEpochs(20).optBatchSize(8).optCache(false).build().run()) {
                assertEquals(1.0, run.metrics().get("val_accuracy"), 1e-9, "red against blue is easy");
                picture(own.resolve("new-red.png"), Color.RED, 64, 48);   // a picture of one's own
                picture(own.resolve("new-blue.jpg"), Color.BLUE, 20, 90);
                NDArray photos = set.prepare(List.of(own.resolve("new-red.png"), own.resolve("new-blue.jpg")));
                assertEquals(new Shape(2, 3, 8, 8), photos.getShape());
                long[] predicted = run.predict(photos).argMax(1).toLongArray();
                assertEquals("red", set.classNames().get((int) predicted[0]));
                assertEquals("blue", set.classNames().get((int) predicted[1]));
            }
        }
        try (ImageDataset set = Datasets.imageFolder(dir).optSize(12).load()) {
            assertNotEquals(before, set.train().identity(), "another size, other pixels");
        }
        picture(dir.resolve("red/r0.png"), Color.ORANGE, 40, 30);
        try (ImageDataset set = Datasets.imageFolder(dir).optSize(8).load()) {
            assertNotEquals(before, set.train().identity(), "a file changed");
        }
    }

    @Test
    void imagesOfAnotherNormalisationThanTheTrainingImagesAreRefused(@TempDir Path dir) throws IOException {
        colours(dir, 6);
        try (ImageDataset unit = Datasets.imageFolder(dir).optSize(8).load();
                ImageDataset centred = Datasets.imageFolder(dir).optSize(8).optNormalization(Normalization.CENTERED).load()) {
            Fit.Builder fit = Fit.builder().setBlock(Mlp.builder().setHidden(4).setOutputs(2).build())
                    .setTrainData(unit.train()).setLoss(Loss.softmaxCrossEntropyLoss()).optEpochs(1).optCache(false)
                    .optProgress(false);
            IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
                    () -> fit.optValidation(centred.test()).build());
            assertTrue(mixed.getMessage().contains("the validation images are normalised with centered"), mixed.getMessage());
            try (Run run = fit.optValidation(unit.test()).build().run()) {
                IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                        () -> run.evaluate(centred.test()));
                assertTrue(other.getMessage().contains("the model was trained on images normalised with unit"),
                        other.getMessage());
                assertEquals(unit.test().size(), run.predictClasses(unit.test()).length);
            }
        }
    }

    @Test
    void aLargePhotoIsReadAtEveryNthPixelAndStillShowsItsCentre(@TempDir Path dir, @TempDir Path own) throws IOException {
        colours(dir, 4);
        picture(own.resolve("photo.jpg"), Color.RED, 4000, 3000);   // a phone camera's 12 megapixels
        try (ImageDataset set = Datasets.imageFolder(dir).optSize(16).load()) {
            long start = System.nanoTime();
            NDArray photo = set.prepare(List.of(own.resolve("photo.jpg")));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(1f, photo.getFloat(0, 0, 8, 8), 0.03f, "red at the centre");
            assertEquals(0f, photo.getFloat(0, 2, 8, 8), 0.03f, "no blue at the centre");
            assertTrue(photo.getFloat(0, 2, 0, 0) > 0.9f, "the white border survives the crop's corner");
            assertTrue(seconds < 2, "read in " + seconds + " s");
        }
    }

    @Test
    void mistakesAreNamedWithTheFix(@TempDir Path dir) throws IOException {
        DatasetException missing = assertThrows(DatasetException.class,
                () -> Datasets.imageFolder(dir.resolve("nowhere")).load());
        assertTrue(missing.getMessage().contains("does not exist") && missing.getMessage().contains("sub-folder"),
                missing.getMessage());

        Files.createDirectories(dir.resolve("flat"));
        picture(dir.resolve("flat/a.png"), Color.RED, 10, 10);
        DatasetException flat = assertThrows(DatasetException.class, () -> Datasets.imageFolder(dir.resolve("flat")).load());
        assertTrue(flat.getMessage().contains("has no class folders"), flat.getMessage());

        picture(dir.resolve("half/train/cat/a.png"), Color.RED, 10, 10);
        DatasetException half = assertThrows(DatasetException.class, () -> Datasets.imageFolder(dir.resolve("half")).load());
        assertTrue(half.getMessage().contains("test: is missing beside train/"), half.getMessage());

        Path colours = colours(dir.resolve("colours"), 3);
        Files.createDirectories(colours.resolve("green"));
        Files.writeString(colours.resolve("green/readme.md"), "todo");
        DatasetException empty = assertThrows(DatasetException.class, () -> Datasets.imageFolder(colours).load());
        assertTrue(empty.getMessage().contains("green") && empty.getMessage().contains("holds no PNG"), empty.getMessage());

        Files.delete(colours.resolve("green/readme.md"));
        Files.write(colours.resolve("green/broken.png"), new byte[] {1, 2, 3, 4});
        DatasetException broken = assertThrows(DatasetException.class, () -> Datasets.imageFolder(colours).load());
        assertTrue(broken.getMessage().contains("broken.png") && broken.getMessage().contains("not an image"),
                broken.getMessage());

        Path tiny = colours(dir.resolve("tiny"), 1);
        DatasetException few = assertThrows(DatasetException.class, () -> Datasets.imageFolder(tiny).load());
        assertTrue(few.getMessage().contains("too few images"), few.getMessage());

        assertThrows(IllegalArgumentException.class, () -> Datasets.imageFolder(dir).optChannels(2));
        assertThrows(IllegalArgumentException.class, () -> Datasets.imageFolder(dir).optSize(0));
        assertThrows(IllegalArgumentException.class, () -> Datasets.imageFolder(dir).optTestFraction(1.0, 1));
    }
}
