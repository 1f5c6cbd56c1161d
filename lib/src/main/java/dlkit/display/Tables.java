package dlkit.display;

import dlkit.files.AtomicFiles;
import dlkit.files.ProjectDir;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Any Tablesaw table as a write-up wants it: CSV with every digit (for other tools), Markdown and
 * LaTeX with numbers rounded as the notebook shows them ({@link Html#number}: at most 4 significant
 * digits), every row, no index column.
 *
 * <pre>{@code
 * Tables.save(results, "seed003-models")   // figures/seed003-models.csv, .md and .tex
 * Tables.latex(results)                    // booktabs: \toprule, \midrule, \bottomrule
 * }</pre>
 */
public final class Tables {

    private Tables() {}

    /**
     * One row of a table as a table of its own, so that it shows (and saves) like one: a history's
     * best epoch ({@code run.history().best("val_accuracy")}) is such a row.
     *
     * @param row a row, at the position it should show
     * @return a one-row table named after the row's number
     */
    public static Table of(Row row) {
        Table table = Table.create("row " + row.getRowNumber());
        for (int i = 0; i < row.columnCount(); i++) {
            Column<?> column = row.type(i).create(row.columnNames().get(i));
            column.appendObj(row.getObject(i));
            table.addColumns(column);
        }
        return table;
    }

    /**
     * Writes {@code <name>.csv}, {@code <name>.md} and {@code <name>.tex} next to the figures (the
     * folder {@code Figure.save} uses), each atomically.
     *
     * @param table the table
     * @param name a plain file name without extension
     * @return the three files
     */
    public static List<Path> save(Table table, String name) {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("table name must be a plain file name without extension, like"
                    + " \"results\", got '" + name + "'");
        }
        Path folder = ProjectDir.locate("figures", "dlkit.figures", "DLKIT_FIGURES").path();
        List<Path> written = new ArrayList<>();
        try {
            AtomicFiles.createDirectories(folder);
            StringWriter csv = new StringWriter();
            table.write().csv(csv);
            for (String[] file : new String[][] {{"csv", csv.toString()}, {"md", markdown(table)}, {"tex", latex(table)}}) {
                Path path = folder.resolve(name + "." + file[0]);
                AtomicFiles.write(path, file[1].getBytes(StandardCharsets.UTF_8));
                written.add(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not save table '" + name + "' in " + folder, e);
        }
        return written;
    }

    /**
     * The table in Markdown (GitHub's pipe tables), its name as a bold line above.
     *
     * @param table the table
     * @return Markdown text
     */
    public static String markdown(Table table) {
        StringBuilder md = new StringBuilder();
        if (table.name() != null && !table.name().isBlank()) {
            md.append("**").append(table.name()).append("**\n\n");
        }
        md.append('|');
        for (Column<?> c : table.columns()) {
            md.append(' ').append(c.name().replace("|", "\\|")).append(" |");
        }
        md.append("\n|");
        for (Column<?> c : table.columns()) {
            md.append(c instanceof NumericColumn ? "---:|" : "---|");
        }
        md.append('\n');
        for (int row = 0; row < table.rowCount(); row++) {
            md.append('|');
            for (Column<?> c : table.columns()) {
                md.append(' ').append(Html.cell(c, row).replace("|", "\\|")).append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }

    /**
     * The table as a LaTeX {@code table} with a {@code tabular} in the style of the booktabs
     * package (which the document must load), numbers right-aligned, its name as the caption.
     *
     * @param table the table
     * @return LaTeX source
     */
    public static String latex(Table table) {
        StringBuilder tex = new StringBuilder("\\begin{table}[ht]\n\\centering\n");
        if (table.name() != null && !table.name().isBlank()) {
            tex.append("\\caption{").append(escape(table.name())).append("}\n");
        }
        tex.append("\\begin{tabular}{");
        for (Column<?> c : table.columns()) {
            tex.append(c instanceof NumericColumn ? 'r' : 'l');
        }
        tex.append("}\n\\toprule\n");
        List<String> header = new ArrayList<>();
        for (Column<?> c : table.columns()) {
            header.add(escape(c.name()));
        }
        tex.append(String.join(" & ", header)).append(" \\\\\n\\midrule\n");
        for (int row = 0; row < table.rowCount(); row++) {
            List<String> cells = new ArrayList<>();
            for (Column<?> c : table.columns()) {
                cells.add(escape(Html.cell(c, row)));
            }
            tex.append(String.join(" & ", cells)).append(" \\\\\n");
        }
        return tex.append("\\bottomrule\n\\end{tabular}\n\\end{table}\n").toString();
    }

    /** Escapes LaTeX's special characters. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '\\' -> out.append("\\textbackslash{}");
                case '&', '%', '$', '#', '_', '{', '}' -> out.append('\\').append(ch);
                case '~' -> out.append("\\textasciitilde{}");
                case '^' -> out.append("\\textasciicircum{}");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
