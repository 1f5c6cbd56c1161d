package dlkit.kernel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * The editor's questions answered from JShell's source analysis: completion, inspection and
 * whether a cell is complete. Magic lines are masked out first, so offsets stay valid.
 */
final class Completions {

    private Completions() {}

    /** Where, in a masked cell, the snippet containing {@code cursor} starts. */
    private static int snippetStart(SourceCodeAnalysis analysis, String code, int cursor) {
        int start = 0;
        String remaining = code;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            if (info.completeness() != SourceCodeAnalysis.Completeness.COMPLETE
                    && info.completeness() != SourceCodeAnalysis.Completeness.COMPLETE_WITH_SEMI) {
                break;
            }
            int end = code.length() - info.remaining().length();
            if (end >= cursor || end <= start) {
                break;
            }
            start = end;
            remaining = info.remaining();
        }
        return start;
    }

    /** Tab completion: JShell's suggestions, those matching the expected type first. */
    static ReplacementOptions complete(JShell jshell, String code, int at) {
        SourceCodeAnalysis analysis = jshell.sourceCodeAnalysis();
        String masked = Magics.mask(code);
        int cursor = Math.max(0, Math.min(at, masked.length()));
        int start = snippetStart(analysis, masked, cursor);
        String snippet = masked.substring(start);
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions = analysis.completionSuggestions(snippet, cursor - start, anchor);
        Set<String> typed = new LinkedHashSet<>();
        Set<String> others = new LinkedHashSet<>();
        for (SourceCodeAnalysis.Suggestion suggestion : suggestions) {
            (suggestion.matchesType() ? typed : others).add(suggestion.continuation());
        }
        typed.addAll(others);
        return new ReplacementOptions(new ArrayList<>(typed), start + anchor[0], cursor);
    }

    /** Shift-Tab: signatures and javadoc of what is under the cursor, or the type of an expression. */
    static DisplayData inspect(JShell jshell, String code, int at, boolean extraDetail) {
        SourceCodeAnalysis analysis = jshell.sourceCodeAnalysis();
        String masked = Magics.mask(code);
        int cursor = Math.max(0, Math.min(at, masked.length()));
        // Inspect the identifier under the cursor, up to its end (and an opening parenthesis).
        int end = cursor;
        while (end < masked.length() && Character.isJavaIdentifierPart(masked.charAt(end))) {
            end++;
        }
        if (end < masked.length() && masked.charAt(end) == '(') {
            end++;
        }
        int start = snippetStart(analysis, masked, cursor);
        String snippet = masked.substring(start, end);
        StringBuilder text = new StringBuilder();
        List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(snippet, snippet.length(), true);
        if (docs.isEmpty() && !snippet.endsWith("(")) {
            // A method name without its parenthesis: ask for the invocation's documentation.
            docs = analysis.documentation(snippet + "(", snippet.length() + 1, true);
        }
        for (SourceCodeAnalysis.Documentation doc : docs) {
            text.append(doc.signature()).append('\n');
            if (doc.javadoc() != null && !doc.javadoc().isBlank()) {
                String javadoc = doc.javadoc().strip();
                text.append(extraDetail || javadoc.length() < 1500 ? javadoc : javadoc.substring(0, 1500) + " ...")
                        .append("\n\n");
            }
        }
        if (text.length() == 0) {
            String expression = snippet.endsWith("(") ? snippet.substring(0, snippet.length() - 1) : snippet;
            String type = analysis.analyzeType(expression, expression.length());
            if (type != null && !type.isBlank()) {
                text.append(expression.strip()).append(" : ").append(type);
            }
        }
        return text.length() == 0 ? null : new DisplayData(text.toString().strip());
    }

    /** is_complete: complete, incomplete (with the next line's indent) or invalid. */
    static String isComplete(JShell jshell, String code) {
        SourceCodeAnalysis analysis = jshell.sourceCodeAnalysis();
        String remaining = Magics.mask(code);
        while (true) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            switch (info.completeness()) {
                case COMPLETE, COMPLETE_WITH_SEMI -> {
                    remaining = info.remaining();
                    if (remaining.isBlank()) {
                        return BaseKernel.IS_COMPLETE_YES;
                    }
                }
                case EMPTY -> {
                    return BaseKernel.IS_COMPLETE_YES;
                }
                case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> {
                    return indentFor(remaining);
                }
                default -> {
                    return BaseKernel.IS_COMPLETE_BAD;
                }
            }
        }
    }

    /** The indent of the next line: the last line's, one level deeper after an opening brace. */
    private static String indentFor(String code) {
        String[] lines = code.split("\n", -1);
        String last = lines[lines.length - 1];
        String indent = last.substring(0, last.length() - last.stripLeading().length());
        return last.stripTrailing().endsWith("{") ? indent + "    " : indent;
    }
}
