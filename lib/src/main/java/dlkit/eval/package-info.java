/**
 * Classifier evaluation: {@link dlkit.eval.Evaluation} (accuracy, top-k error, confusion matrix,
 * per-class table, most-confused pairs, misclassified examples) and {@link
 * dlkit.eval.ModelEvaluator}, which runs a DJL model over a resident test set in large batches.
 */
package dlkit.eval;
