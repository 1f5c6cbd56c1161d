package dlkit.baseline;

import dlkit.data.ImageSet;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.optimisers.AdaGrad;

/**
 * A classical (non-neural) classifier trained with Tribuo on dlkit images, as a baseline for the
 * networks: same images, same split, evaluated with Tribuo's {@link LabelEvaluator}.
 *
 * <pre>{@code
 * TribuoClassifier linear = TribuoClassifier.train(TribuoClassifier.linearSgd(10, 541), split.train());
 * TribuoEvaluation val = linear.evaluate(split.validation());   // accuracy, per class, confusion
 * }</pre>
 */
public final class TribuoClassifier {

    /** Held, so that the level set on it is not lost when the logger is garbage-collected. */
    private static final Logger TRIBUO_SGD_LOG = Logger.getLogger("org.tribuo.common.sgd.AbstractSGDTrainer");

    private final Model<Label> model;
    private final String trainer;
    private final double seconds;
    private final List<String> classNames;

    private TribuoClassifier(Model<Label> model, String trainer, double seconds, List<String> classNames) {
        this.model = model;
        this.trainer = trainer;
        this.seconds = seconds;
        this.classNames = classNames;
    }

    /**
     * Multinomial logistic regression trained by SGD with AdaGrad steps (Tribuo's {@link
     * LinearSGDTrainer} with the log-loss objective), one example per step.
     *
     * @param epochs passes over the data, at least 1
     * @param seed shuffling seed
     * @return the trainer
     */
    public static Trainer<Label> linearSgd(int epochs, long seed) {
        if (epochs < 1) {
            throw new IllegalArgumentException("TribuoClassifier: epochs must be at least 1, got " + epochs);
        }
        return new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1), epochs, Integer.MAX_VALUE, 1, seed);
    }

    /**
     * Trains a Tribuo trainer on images.
     *
     * @param trainer e.g. {@link #linearSgd(int, long)}
     * @param images the training images
     * @return the trained classifier
     */
    public static TribuoClassifier train(Trainer<Label> trainer, ImageSet images) {
        MutableDataset<Label> data = TribuoData.of(images);
        // Tribuo logs each training at INFO through java.util.logging; in a notebook that is noise
        TRIBUO_SGD_LOG.setLevel(Level.WARNING);
        long start = System.nanoTime();
        Model<Label> model = trainer.train(data);
        return new TribuoClassifier(model, trainer.toString(), (System.nanoTime() - start) / 1e9, images.classNames());
    }

    /**
     * Scores the classifier on images it was not trained on, with Tribuo's evaluator.
     *
     * @param images e.g. the validation or test images
     * @return accuracy, per-class metrics and the confusion matrix
     */
    public TribuoEvaluation evaluate(ImageSet images) {
        return new TribuoEvaluation(new LabelEvaluator().evaluate(model, TribuoData.of(images)), classNames);
    }

    /**
     * The Tribuo model.
     *
     * @return the model
     */
    public Model<Label> model() {
        return model;
    }

    /**
     * Seconds spent training (conversion of the images excluded).
     *
     * @return seconds
     */
    public double seconds() {
        return seconds;
    }

    /**
     * The number of learnt values: for a linear model, one weight per feature and class plus one bias per class.
     *
     * @return the parameter count, or -1 when the model is not linear
     */
    public long parameters() {
        if (model instanceof org.tribuo.classification.sgd.linear.LinearSGDModel) {
            long features = model.getFeatureIDMap().size();
            long classes = model.getOutputIDInfo().size();
            return (features + 1) * classes;
        }
        return -1;
    }

    /** The trainer and its hyper-parameters, as Tribuo prints them. */
    @Override
    public String toString() {
        return "TribuoClassifier(" + trainer + ")";
    }
}
