/**
 * The bridge between the library and the notebook front end.
 *
 * <p>The dlkit kernel {@linkplain Notebook#install installs} a {@link DisplaySink} at start-up;
 * library code (progress displays, charts) calls {@link Notebook} and works the same in a console,
 * where output falls back to plain text lines.
 */
package dlkit.display;
