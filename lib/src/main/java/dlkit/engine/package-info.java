/** Starting DJL for notebook use: offline, quiet, with predictable threads and caches. */
package dlkit.engine;
