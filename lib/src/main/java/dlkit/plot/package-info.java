/**
 * Charts for notebooks and write-ups, in one {@link dlkit.plot.Style}: {@link
 * dlkit.plot.LearningCurves}, {@link dlkit.plot.Plots} (bars, scatter, confusion heat map), {@link
 * dlkit.plot.ImageGrid}. Each gives a {@link dlkit.plot.Figure}, which shows inline and saves PNG
 * plus SVG (or PDF) into the figures folder with one call.
 */
package dlkit.plot;
