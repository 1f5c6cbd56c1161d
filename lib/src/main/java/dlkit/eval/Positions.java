package dlkit.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * Class labels per position rather than per example: a tag for every step of a sequence (labels
 * {@code (N, steps)}, scores {@code (N, steps, classes)}) or a class for every pixel (labels {@code
 * (N, H, W)}, scores {@code (N, classes, H, W)}).
 *
 * <p>Every position is one classified example, so such scores are evaluated as rows: {@link
 * #rows} gives one row of class scores per position, the layout {@link Evaluation#of(NDArray,
 * NDArray, java.util.List)} takes, and {@link ModelEvaluator} uses it for a tagger's or a
 * segmenter's confusion matrix.
 *
 * <pre>{@code
 * int axis = Positions.classAxis(scores.getShape(), labels.getShape());   // 1 for (N, C, H, W)
 * NDList rows = Positions.rows(scores, labels, axis);                     // (N*H*W, C), (N*H*W)
 * Evaluation pixels = Evaluation.of(rows.get(0), rows.get(1), null);
 * }</pre>
 */
public final class Positions {

    private Positions() {}

    /**
     * The axis of the scores that holds the classes when the labels hold one class index per
     * position: the scores have the labels' shape with one more axis. The last axis is preferred,
     * then axis 1 (channels first).
     *
     * @param scores the scores' shape, batch axis first
     * @param labels the labels' shape, batch axis first
     * @return the class axis, or -1 when the labels are not per position
     */
    public static int classAxis(Shape scores, Shape labels) {
        if (labels.dimension() < 2 || scores.dimension() != labels.dimension() + 1) {
            return -1;
        }
        int last = scores.dimension() - 1;
        if (scores.slice(0, last).equals(labels)) {
            return last;
        }
        Shape withoutClasses = new Shape(scores.get(0)).addAll(scores.slice(2));
        return withoutClasses.equals(labels) ? 1 : -1;
    }

    /**
     * One row per position: the scores as {@code (positions, classes)} and the labels as {@code
     * (positions)}, positions in the labels' order. New arrays, in the scores' and the labels'
     * managers; close them when done.
     *
     * @param scores per-position class scores
     * @param labels one class index per position
     * @param classAxis the scores' class axis, from {@link #classAxis}
     * @return the scores' rows and the labels' rows
     * @throws IllegalArgumentException when the classes are not on that axis
     */
    public static NDList rows(NDArray scores, NDArray labels, int classAxis) {
        if (classAxis < 1 || classAxis != classAxis(scores.getShape(), labels.getShape())) {
            throw new IllegalArgumentException("scores " + scores.getShape() + " do not hold the classes of labels "
                    + labels.getShape() + " on axis " + classAxis + "; Positions.classAxis finds the axis");
        }
        int dims = scores.getShape().dimension();
        int[] classesLast = new int[dims];
        for (int i = 0, j = 0; i < dims; i++) {
            if (i != classAxis) {
                classesLast[j++] = i;
            }
        }
        classesLast[dims - 1] = classAxis;
        long classes = scores.getShape().get(classAxis);
        try (NDArray moved = scores.transpose(classesLast)) {
            return new NDList(moved.reshape(-1, classes), labels.reshape(-1));
        }
    }
}
