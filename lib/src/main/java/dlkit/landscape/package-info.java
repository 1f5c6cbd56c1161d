/**
 * Loss landscapes: record the parameter trajectory of a {@code Fit} ({@link
 * dlkit.landscape.Trajectory}, {@link dlkit.landscape.TrajectoryRecorder}), choose a 2-D slice of
 * parameter space ({@link dlkit.landscape.Plane}: PCA of the trajectory, or filter-normalised random
 * directions after Li et al. 2018), and evaluate the loss over it fast ({@link
 * dlkit.landscape.Landscape} into {@link dlkit.landscape.LossSurface} and {@link
 * dlkit.landscape.LossLine}), ready for {@link dlkit.plot.Surface3D} and {@link
 * dlkit.plot.ContourMap}.
 */
package dlkit.landscape;
