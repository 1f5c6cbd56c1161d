/**
 * The dlkit Jupyter kernel: JShell in-process, the Jupyter protocol from JJava's base library
 * ({@code org.dflib.jjava:jjava-jupyter}), IJava-compatible magics and display functions, and
 * renderers for dlkit, XChart, Tablesaw and DJL values.
 */
package dlkit.kernel;
