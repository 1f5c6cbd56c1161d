package dlkit.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jshell.ImportSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

/**
 * A notebook's own {@code import p.*} wins over the kernel's start-up imports. In Java two
 * on-demand imports that both have a {@code Figure} make {@code Figure} ambiguous; a notebook
 * written for another kernel (d2l-java's {@code import tech.tablesaw.plotly.components.*}) never
 * saw dlkit's {@code dlkit.plot.*} and means its own. So each name the notebook's package shares
 * with a start-up package is imported by name from the notebook's package, with one printed line
 * that says so.
 *
 * <p>JDK packages keep Java's rule: {@code import java.awt.*} for a {@code Color} should not turn
 * every DJL {@code Shape} into {@code java.awt.Shape}; javac names both when one is ambiguous.
 */
final class ImportShadows {

    private static final Pattern ON_DEMAND = Pattern.compile("(?m)^import\\s+([\\w.]+)\\.\\*;");

    private final List<String> startupPackages = new ArrayList<>();
    /** Simple name to the start-up package it comes from; filled at the first notebook import. */
    private Map<String, String> startupNames;

    /** @param startupImports the kernel's start-up import lines */
    ImportShadows(String startupImports) {
        Matcher m = ON_DEMAND.matcher(startupImports);
        while (m.find()) {
            if (!isJdk(m.group(1))) {
                startupPackages.add(m.group(1));
            }
        }
    }

    /**
     * After a notebook snippet: imports by name what its on-demand import shares with the
     * start-up imports, and returns the line that says so (null when nothing was shared).
     */
    String afterSnippet(JShell jshell, SnippetEvent event) {
        if (!(event.snippet() instanceof ImportSnippet imp) || event.status() != Snippet.Status.VALID
                || imp.subKind() != Snippet.SubKind.TYPE_IMPORT_ON_DEMAND_SUBKIND) {
            return null;
        }
        String pkg = imp.fullname().replaceAll("\\.\\*$", ""); // "p.*" on some JDKs, "p" on others
        if (isJdk(pkg) || startupPackages.contains(pkg)) {
            return null;
        }
        Map<String, String> shared = new LinkedHashMap<>();
        for (String name : members(jshell, pkg)) {
            String startup = startupNames(jshell).get(name);
            if (startup != null) {
                shared.put(name, startup + "." + name);
            }
        }
        List<String> hidden = new ArrayList<>();
        shared.forEach((name, theirs) -> {
            List<SnippetEvent> events = jshell.eval("import " + pkg + "." + name + ";");
            if (!events.isEmpty() && events.get(0).status() == Snippet.Status.VALID) {
                hidden.add(theirs);
            }
        });
        if (hidden.isEmpty()) {
            return null;
        }
        List<String> names = hidden.stream().map(n -> n.substring(n.lastIndexOf('.') + 1)).toList();
        return "import " + pkg + ".*: " + String.join(", ", names) + " now " + (names.size() == 1 ? "names" : "name")
                + " this package's; the kernel's start-up imports had " + String.join(", ", hidden)
                + " (write " + (names.size() == 1 ? "it by its full name" : "those by their full names") + ")";
    }

    private synchronized Map<String, String> startupNames(JShell jshell) {
        if (startupNames == null) {
            startupNames = new HashMap<>();
            for (String pkg : startupPackages) {
                for (String name : members(jshell, pkg)) {
                    startupNames.putIfAbsent(name, pkg);
                }
            }
        }
        return startupNames;
    }

    /** The types javac sees in a package (and its sub-packages' names, which match no type). */
    private static List<String> members(JShell jshell, String pkg) {
        String code = pkg + ".";
        int[] anchor = new int[1];
        List<String> names = new ArrayList<>();
        for (SourceCodeAnalysis.Suggestion s : jshell.sourceCodeAnalysis().completionSuggestions(code, code.length(), anchor)) {
            names.add(s.continuation());
        }
        return names;
    }

    private static boolean isJdk(String pkg) {
        return pkg.startsWith("java.") || pkg.startsWith("javax.") || pkg.startsWith("jdk.");
    }
}
