/**
 * Training: one readable {@link dlkit.train.Fit} call that trains a DJL block and returns a {@link
 * dlkit.train.Run} with its {@link dlkit.train.History}.
 *
 * <p>Around it: {@link dlkit.train.Seeds} (one call seeds everything), {@link dlkit.train.Profile}
 * (quick / standard / full run sizes), {@link dlkit.train.Optim} and {@link dlkit.train.Schedule}
 * (optimizer and learning-rate schedule descriptions), per-epoch checkpoints with resume, and a
 * run cache under {@code runs/} so re-running a notebook is fast.
 */
package dlkit.train;
