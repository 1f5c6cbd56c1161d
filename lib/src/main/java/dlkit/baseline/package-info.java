/**
 * Classical baselines beside the networks, from Tribuo: {@link dlkit.baseline.TribuoClassifier}
 * trains a linear model on the same images ({@link dlkit.baseline.TribuoData}) and reports it in
 * the same table shape ({@link dlkit.baseline.TribuoEvaluation}).
 */
package dlkit.baseline;
