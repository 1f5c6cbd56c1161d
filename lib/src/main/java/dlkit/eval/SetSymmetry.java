package dlkit.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dlkit.data.Examples;

/**
 * How far a model on sets is from the symmetry it should have: shuffles the elements of every set
 * and compares the model's outputs. A permutation-equivariant model's outputs move with their
 * elements; a permutation-invariant one's do not change. Exact symmetry leaves only float32
 * rounding (about 1e-6); a model that reads its input in order does not.
 *
 * <pre>{@code
 * SetSymmetry.equivarianceError(deepSets, test.features(), 7)    // ~1e-6
 * SetSymmetry.equivarianceError(mlp, test.features(), 7)         // the size of its predictions
 * }</pre>
 */
public final class SetSymmetry {

    private SetSymmetry() {}

    /**
     * The largest difference between f(shuffled sets) and f(sets) shuffled the same way, for a model
     * with one output (or row of outputs) per element.
     *
     * @param model an initialised block taking {@code (sets, elements, features)}
     * @param sets the inputs
     * @param seed the shuffle's seed
     * @return max |f(Px) - P f(x)|
     */
    public static double equivarianceError(Block model, NDArray sets, long seed) {
        try (NDManager scope = sets.getManager().newSubManager()) {
            sets.tempAttach(scope); // everything computed here is freed with the scope
            BatchPredictor predictor = BatchPredictor.of(model);
            NDArray outputs = predictor.predict(sets);
            NDArray perElement = outputs.reshape(outputs.getShape().get(0), sets.getShape().get(1), -1);
            Examples shuffled = new Examples(sets, perElement, "sets").permuteElements(seed);
            NDArray again = predictor.predict(shuffled.features());
            return again.reshape(shuffled.labels().getShape()).sub(shuffled.labels()).abs().max().getFloat();
        }
    }

    /**
     * The largest change in a per-set output when the elements of every set are shuffled.
     *
     * @param model an initialised block taking {@code (sets, elements, features)}
     * @param sets the inputs
     * @param seed the shuffle's seed
     * @return max |f(Px) - f(x)|
     */
    public static double invarianceError(Block model, NDArray sets, long seed) {
        try (NDManager scope = sets.getManager().newSubManager()) {
            sets.tempAttach(scope);
            BatchPredictor predictor = BatchPredictor.of(model);
            NDArray outputs = predictor.predict(sets);
            NDArray placeholders = sets.zerosLike().sum(new int[] {2}); // per-element labels, only for the shuffle
            Examples shuffled = new Examples(sets, placeholders, "sets").permuteElements(seed);
            return predictor.predict(shuffled.features()).sub(outputs).abs().max().getFloat();
        }
    }
}
