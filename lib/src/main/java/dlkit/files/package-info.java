/**
 * Files shared by the other packages: where the project's folders are ({@link ProjectDir} for
 * {@code data/}, {@code runs/} and {@code figures/}), writes that happen completely or not at all
 * ({@link AtomicFiles}) and hex digests of files and buffers ({@link Digests}).
 */
package dlkit.files;
