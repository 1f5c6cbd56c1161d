package dlkit.data;

import java.util.random.RandomGenerator;

/** Random orders of examples: the one shuffle behind splits, subsets, epochs and generated data. */
public final class Permutations {

    private Permutations() {}

    /**
     * A uniformly random permutation of {@code 0..n-1} (Fisher-Yates, from the last index down).
     *
     * @param n how many indices
     * @param random the generator; the same seed gives the same permutation
     * @return the indices in random order
     */
    public static int[] of(int n, RandomGenerator random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
