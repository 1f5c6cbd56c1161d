package dlkit.baseline;

import dlkit.data.ImageSet;
import java.util.Locale;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Turns dlkit images into Tribuo datasets: one dense example per image, one feature per pixel
 * (named {@code px000} ... in pixel order, holding the normalised value), labelled by class name.
 */
public final class TribuoData {

    private TribuoData() {}

    /**
     * Converts a set of images.
     *
     * @param images e.g. a split's training part; normalised as the set says
     * @return a Tribuo dataset of the same images, in the same order
     */
    public static MutableDataset<Label> of(ImageSet images) {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> dataset = new MutableDataset<>(
                new SimpleDataSourceProvenance(images.toString(), factory), factory);
        int pixels = (int) images.imageShape().size();
        String[] names = featureNames(pixels);
        for (int i = 0; i < images.size(); i++) {
            float[] values = images.pixels(i);
            double[] doubles = new double[pixels];
            for (int p = 0; p < pixels; p++) {
                doubles[p] = values[p];
            }
            dataset.add(new ArrayExample<>(new Label(images.labelName(i)), names, doubles));
        }
        return dataset;
    }

    /** Zero-padded, so that Tribuo's name order is the pixel order. */
    static String[] featureNames(int count) {
        int digits = String.valueOf(count - 1).length();
        String[] names = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = String.format(Locale.ROOT, "px%0" + digits + "d", i);
        }
        return names;
    }
}
