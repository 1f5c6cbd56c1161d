/**
 * Analysis of arrays of numbers: {@link dlkit.analysis.Pca} (principal components of features or
 * of a parameter trajectory, with explained variance and projections to 2-D).
 */
package dlkit.analysis;
