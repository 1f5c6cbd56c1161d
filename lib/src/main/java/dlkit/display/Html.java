package dlkit.display;

import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Small HTML renderings for {@link MimeBundle#toMimeBundle()} implementations. */
public final class Html {

    private Html() {}

    /**
     * Renders a table as an HTML {@code <table>}: name as caption, numbers right-aligned, decimals
     * to four places.
     *
     * @param table the table to render
     * @return an HTML fragment
     */
    public static String table(Table table) {
        StringBuilder html = new StringBuilder("<table>");
        if (table.name() != null && !table.name().isBlank()) {
            html.append("<caption>").append(escape(table.name())).append("</caption>");
        }
        html.append("<thead><tr>");
        for (Column<?> column : table.columns()) {
            html.append("<th>").append(escape(column.name())).append("</th>");
        }
        html.append("</tr></thead><tbody>");
        for (int row = 0; row < table.rowCount(); row++) {
            html.append("<tr>");
            for (Column<?> column : table.columns()) {
                boolean numeric = column instanceof NumericColumn;
                html.append(numeric ? "<td style=\"text-align:right\">" : "<td style=\"text-align:left\">");
                html.append(escape(cell(column, row))).append("</td>");
            }
            html.append("</tr>");
        }
        return html.append("</tbody></table>").toString();
    }

    /**
     * Escapes text for HTML content and attributes.
     *
     * @param text plain text
     * @return the text with {@code & < > "} escaped
     */
    public static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String cell(Column<?> column, int row) {
        if (column.isMissing(row)) {
            return "";
        }
        Object value = column.get(row);
        if (value instanceof Double || value instanceof Float) {
            return String.format("%.4f", ((Number) value).doubleValue());
        }
        return String.valueOf(value);
    }
}
