package dlkit.display;

import java.util.Locale;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * The one way dlkit shows a table: as HTML in a notebook (for {@link MimeBundle} results and for
 * any Tablesaw {@code Table} a cell returns) and as aligned text elsewhere.
 *
 * <p>Long tables show their first and last {@value #EDGE_ROWS} rows with the row count; wide
 * tables scroll sideways instead of being cut; numbers show at most 4 significant digits
 * ({@link #number}) while the table keeps full precision; there is no index column.
 */
public final class Html {

    /** Rows shown at each end of a long table. */
    public static final int EDGE_ROWS = 10;

    private Html() {}

    /**
     * Renders a table as HTML: its name as caption, numbers right-aligned and rounded for reading,
     * long tables cut in the middle, a line with the size.
     *
     * @param table the table to render
     * @return an HTML fragment
     */
    public static String table(Table table) {
        int rows = table.rowCount();
        boolean cut = rows > 2 * EDGE_ROWS;
        StringBuilder html = new StringBuilder("<div class=\"dlkit-table\" style=\"overflow-x:auto\"><table>");
        if (table.name() != null && !table.name().isBlank()) {
            html.append("<caption style=\"text-align:left\">").append(escape(table.name())).append("</caption>");
        }
        html.append("<thead><tr>");
        for (Column<?> column : table.columns()) {
            html.append(column instanceof NumericColumn ? "<th style=\"text-align:right\">" : "<th style=\"text-align:left\">")
                    .append(escape(column.name())).append("</th>");
        }
        html.append("</tr></thead><tbody>");
        for (int row = 0; row < rows; row++) {
            if (cut && row == EDGE_ROWS) {
                html.append("<tr>").append("<td>&hellip;</td>".repeat(table.columnCount())).append("</tr>");
                row = rows - EDGE_ROWS;
            }
            html.append("<tr>");
            for (Column<?> column : table.columns()) {
                html.append(column instanceof NumericColumn ? "<td style=\"text-align:right\">" : "<td style=\"text-align:left\">")
                        .append(escape(cell(column, row))).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</tbody></table>");
        html.append("<p style=\"font-size:smaller\">").append(size(table)).append("</p></div>");
        return html.toString();
    }

    /**
     * Renders a table as aligned text, with the same rounding and cut as {@link #table}.
     *
     * @param table the table
     * @return text lines
     */
    public static String text(Table table) {
        int rows = table.rowCount();
        boolean cut = rows > 2 * EDGE_ROWS;
        int columns = table.columnCount();
        int[] width = new int[columns];
        String[][] cells = new String[Math.min(rows, 2 * EDGE_ROWS + 1) + 1][columns];
        for (int c = 0; c < columns; c++) {
            cells[0][c] = table.column(c).name();
        }
        int line = 1;
        for (int row = 0; row < rows; row++) {
            if (cut && row == EDGE_ROWS) {
                java.util.Arrays.fill(cells[line++], "...");
                row = rows - EDGE_ROWS;
            }
            for (int c = 0; c < columns; c++) {
                cells[line][c] = cell(table.column(c), row);
            }
            line++;
        }
        for (String[] r : cells) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], r[c] == null ? 0 : r[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        if (table.name() != null && !table.name().isBlank()) {
            out.append(table.name()).append('\n');
        }
        for (int r = 0; r < line; r++) {
            for (int c = 0; c < columns; c++) {
                boolean right = table.column(c) instanceof NumericColumn;
                String v = cells[r][c];
                out.append(c > 0 ? "  " : "").append(right ? pad(v, width[c], true) : pad(v, width[c], false));
            }
            out.append('\n');
        }
        return out.append(size(table)).toString();
    }

    /**
     * A number as a reader wants it: whole numbers without decimals, others with at most 4
     * significant digits and no trailing zeros, very large or small ones in scientific notation
     * ({@code 0.7099999785423279} shows as {@code 0.71}, {@code 1.5E-5} as {@code 1.5e-05}).
     *
     * @param v the number
     * @return its text
     */
    public static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        double a = Math.abs(v);
        if (a >= 1e5 || a < 1e-4) {
            return String.format(Locale.ROOT, "%.3e", v).replaceAll("\\.?0+e", "e");
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /**
     * Escapes text for HTML content and attributes.
     *
     * @param text plain text
     * @return the text with {@code & < > "} escaped
     */
    public static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String size(Table table) {
        return table.rowCount() + (table.rowCount() == 1 ? " row" : " rows") + " x " + table.columnCount()
                + (table.columnCount() == 1 ? " column" : " columns");
    }

    static String cell(Column<?> column, int row) {
        if (column.isMissing(row)) {
            return "";
        }
        Object value = column.get(row);
        if (value instanceof Double || value instanceof Float) {
            return number(((Number) value).doubleValue());
        }
        return String.valueOf(value);
    }

    private static String pad(String s, int width, boolean right) {
        String v = s == null ? "" : s;
        String space = " ".repeat(Math.max(0, width - v.length()));
        return right ? space + v : v + space;
    }
}
