package dlkit.tune;

import dlkit.models.Mlp;
import java.util.Locale;

/**
 * One point of a {@link SearchSpace}: the MLP's shape and the training settings to try.
 *
 * @param layers number of hidden layers
 * @param units units in each hidden layer
 * @param activation activation after each hidden layer
 * @param batchNorm whether hidden layers are batch-normalised
 * @param dropout dropout rate after each hidden activation (0 = none)
 * @param learningRate the optimizer's learning rate
 * @param batchSize examples per minibatch
 * @param epochs passes over the training data
 * @param weightDecay L2 weight decay on weights only (not biases), as {@code Fit.Builder.optWeightDecay}
 */
public record Trial(
        int layers,
        int units,
        Mlp.Act activation,
        boolean batchNorm,
        float dropout,
        float learningRate,
        int batchSize,
        int epochs,
        float weightDecay) {

    /**
     * Builds a fresh, untrained MLP of this trial's shape.
     *
     * @param outputs the number of outputs (classes)
     * @return the model
     */
    public Mlp mlp(int outputs) {
        return Mlp.builder()
                .setHiddenLayers(layers, units)
                .setOutputs(outputs)
                .optActivation(activation)
                .optBatchNorm(batchNorm)
                .optDropout(dropout)
                .build();
    }

    /**
     * The same trial trained for a different number of epochs (e.g. for the final retraining).
     *
     * @param newEpochs passes over the data
     * @return the changed copy
     */
    public Trial withEpochs(int newEpochs) {
        return new Trial(layers, units, activation, batchNorm, dropout, learningRate, batchSize, newEpochs, weightDecay);
    }

    /**
     * A canonical one-line description; equal trials have equal ids (the results file keys on it).
     *
     * @return e.g. {@code layers=3 units=64 activation=relu batchNorm=false dropout=0.0 lr=0.01 batch=32 epochs=10 weightDecay=1.0E-4}
     */
    public String id() {
        return String.format(Locale.ROOT,
                "layers=%d units=%d activation=%s batchNorm=%s dropout=%s lr=%s batch=%d epochs=%d weightDecay=%s",
                layers, units, activation, batchNorm, dropout, learningRate, batchSize, epochs, weightDecay);
    }

    @Override
    public String toString() {
        return "Trial(" + id().replace(' ', ',').replace(",", ", ") + ")";
    }
}
