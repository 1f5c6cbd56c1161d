/**
 * Hyper-parameter searches: a {@link dlkit.tune.SearchSpace} of MLP settings, its trials
 * ({@link dlkit.tune.Trial}) trained and scored on a validation split by {@link dlkit.tune.Search},
 * resumable, with {@link dlkit.tune.SearchResults} as a table and charts.
 */
package dlkit.tune;
