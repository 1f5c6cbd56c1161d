package dlkit.models;

import ai.djl.ndarray.NDArray;
import java.util.Locale;

/** How a set's elements are pooled into one value per feature: axis 1 of {@code (batch, elements, features)}. */
public enum SetPool {
    /** The mean over the elements: the same scale for sets of any size. */
    MEAN,
    /** The sum over the elements: grows with the set's size. */
    SUM;

    /**
     * Pools the elements of every set, keeping the element axis (of size 1) for broadcasting.
     *
     * @param sets {@code (batch, elements, features)}
     * @return {@code (batch, 1, features)}
     */
    public NDArray apply(NDArray sets) {
        return this == MEAN ? sets.mean(new int[] {1}, true) : sets.sum(new int[] {1}, true);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
