package dlkit.kernel;

/**
 * The first of the kernel's start-up imports in JShell, {@code import static
 * dlkit.kernel.StartupImports.*;}, which imports nothing. The start-up imports are evaluated as one
 * JShell import snippet, one compilation instead of thirty (a third of a second of a cold start).
 * JShell identifies an import snippet by its first import and replaces the whole snippet when a
 * cell declares that import again; this name is first so that no notebook's own imports can.
 */
public final class StartupImports {
    private StartupImports() {}
}
