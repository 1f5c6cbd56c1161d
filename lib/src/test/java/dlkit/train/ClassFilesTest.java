package dlkit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.File;
import java.util.List;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import org.junit.jupiter.api.Test;

/** Class-file hashes of notebook classes: stable across sessions, changed by any edit they depend on. */
public class ClassFilesTest { // public: the JShell session writes to Handoff

    /** Where a JShell session hands its class to the test (JShell's loader delegates to this one). */
    public static final class Handoff {
        public static volatile Object value;
    }

    @Test
    void aNotebookClassHashesAlikeInTwoSessionsAndChangesWithItsHelper() {
        String helper = "float weight(int c) { return c == 2 ? 2f : 1f; }";
        String a = hashInSession("", helper);
        String b = hashInSession("int unrelated = 5;\nString other = \"x\";", helper); // other counters
        assertEquals(a, b, "the same cells, numbered differently by JShell, must hash alike");
        String edited = hashInSession("", "float weight(int c) { return c == 2 ? 10f : 1f; }");
        assertNotEquals(a, edited, "a helper method the class calls was edited: the hash must change");
    }

    @Test
    void aNotebookVariableTheClassReadsCountsWithItsCurrentValue() {
        try (JShell shell = session()) {
            run(shell, "float margin = 0.5f;", "class Hinge { float of(float x) { return Math.max(0, margin - x); } }",
                    "dlkit.train.ClassFilesTest.Handoff.value = new Hinge();");
            Object hinge = Handoff.value;
            String before = Description.of(hinge);
            run(shell, "margin = 1.0f;"); // a later cell changes the value, not the class
            String changed = Description.of(hinge);
            run(shell, "margin = 0.5f;");
            assertNotEquals(before, changed, "the class computes otherwise now");
            assertEquals(before, Description.of(hinge), "the same value again: the same description");

            run(shell, "float[] weights = new float[1_000_000];", "class Weigh { float of(int i) { return weights[i]; } }",
                    "dlkit.train.ClassFilesTest.Handoff.value = new Weigh();");
            Object weigh = Handoff.value;
            String zeros = Description.of(weigh);
            run(shell, "weights[999_999] = 2f;");
            assertNotEquals(zeros, Description.of(weigh), "one value of a large array changed");
        }
    }

    /** Describes an object while the snippet that made it still runs, as Fit does in {@code var run = ...}. */
    public static String describe(Object o) {
        return Description.of(o);
    }

    @Test
    void aCellRunAgainDescribesItsLambdaAlike() {
        try (JShell shell = session()) {
            String cell = "var described = dlkit.train.ClassFilesTest.describe((java.util.function.IntUnaryOperator) Math::abs);";
            run(shell, cell, "dlkit.train.ClassFilesTest.Handoff.value = described;");
            Object first = Handoff.value;
            run(shell, cell, "dlkit.train.ClassFilesTest.Handoff.value = described;"); // the variable still holds the first
            assertEquals(first, Handoff.value, "the cell's own variable is its result, not something it reads");
        }
    }

    private static JShell session() {
        JShell shell = JShell.builder().executionEngine("local").build();
        for (String path : System.getProperty("java.class.path").split(File.pathSeparator)) {
            shell.addToClasspath(path);
        }
        return shell;
    }

    private static void run(JShell shell, String... snippets) {
        for (String snippet : snippets) {
            for (SnippetEvent event : shell.eval(snippet)) {
                if (event.status() == Snippet.Status.REJECTED || event.exception() != null) {
                    throw new AssertionError("JShell refused " + snippet + ": " + shell.diagnostics(event.snippet()).toList()
                            + " " + event.exception());
                }
            }
        }
    }

    /** Runs the cells in a fresh JShell and describes an instance of the class {@code Weighted} they declare. */
    private static String hashInSession(String before, String helper) {
        try (JShell shell = session()) {
            for (String cell : List.of(before, helper,
                    "class Weighted { float of(int c) { return weight(c) * 3; } }",
                    "dlkit.train.ClassFilesTest.Handoff.value = new Weighted();")) {
                run(shell, cell.lines().filter(line -> !line.isBlank()).toArray(String[]::new));
            }
            Object weighted = Handoff.value;
            assertNotNull(weighted);
            assertNotNull(ClassFiles.hash(weighted.getClass()), "JShell's class loader serves class files");
            return Description.of(weighted); // what the run key holds for a loss or evaluator

        }
    }
}
