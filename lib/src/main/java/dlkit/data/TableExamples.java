package dlkit.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dlkit.files.Digests;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** A table's rows as examples, and its categories as 0/1 columns: {@link Examples#fromTable} and {@link Examples#oneHot}. */
final class TableExamples {

    private TableExamples() {}

    static Examples fromTable(Table table, String labelColumn, NDManager manager) {
        if (!table.columnNames().contains(labelColumn)) {
            throw new IllegalArgumentException("the table has no column '" + labelColumn + "'; its columns are "
                    + table.columnNames());
        }
        int rows = table.rowCount();
        List<Column<?>> inputs = new ArrayList<>();
        for (Column<?> c : table.columns()) {
            if (c.countMissing() > 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "column '%s' has %d missing values: drop"
                        + " those rows first (table.dropRowsWithMissingValues()) or fill them", c.name(), c.countMissing()));
            }
            if (c.name().equals(labelColumn)) {
                continue;
            }
            if (!(c instanceof NumericColumn<?>) && !(c instanceof BooleanColumn)) {
                String encode = c instanceof StringColumn ? "encode it with Examples.oneHot(table, \"" + c.name()
                        + "\") (a 0/1 column per value)" : "turn it into numbers (a date into its day of the year, say)";
                throw new IllegalArgumentException("column '" + c.name() + "' holds " + c.type().name().toLowerCase(
                        Locale.ROOT) + ", not numbers: " + encode + ", or leave it out with table.removeColumns(\""
                        + c.name() + "\")");
            }
            inputs.add(c);
        }
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("the table has no feature columns besides '" + labelColumn + "'");
        }
        float[] x = new float[rows * inputs.size()];
        for (int j = 0; j < inputs.size(); j++) {
            Column<?> c = inputs.get(j);
            for (int i = 0; i < rows; i++) {
                x[i * inputs.size() + j] = c instanceof BooleanColumn b ? (b.get(i) ? 1f : 0f)
                        : (float) ((NumericColumn<?>) c).getDouble(i);
            }
        }
        Column<?> label = table.column(labelColumn);
        float[] y = new float[rows];
        List<String> names = label instanceof NumericColumn<?> ? null : Examples.labelNames(table, labelColumn);
        for (int i = 0; i < rows; i++) {
            y[i] = names == null ? (float) ((NumericColumn<?>) label).getDouble(i) : names.indexOf(label.getString(i));
        }
        ByteBuffer bytes = ByteBuffer.allocate(4 * (x.length + y.length)).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(x).put(y);
        String identity = String.format(Locale.ROOT, "table '%s' (%d rows, label %s) sha256:%s", table.name(), rows,
                labelColumn, Digests.sha256(bytes));
        return new Examples(manager.create(x, new Shape(rows, inputs.size())), manager.create(y), identity);
    }

    static Table oneHot(Table table, String... columns) {
        Table out = table.copy();
        for (String name : columns) {
            if (!out.columnNames().contains(name)) {
                throw new IllegalArgumentException("the table has no column '" + name + "'; its columns are "
                        + out.columnNames());
            }
            Column<?> column = out.column(name);
            int at = out.columnIndex(name);
            List<String> values = new ArrayList<>();
            for (int i = 0; i < column.size(); i++) {
                if (!column.isMissing(i) && !values.contains(column.getString(i))) {
                    values.add(column.getString(i));
                }
            }
            values.sort(null);
            out.removeColumns(name);
            for (int v = 0; v < values.size(); v++) {
                int[] ones = new int[column.size()];
                for (int i = 0; i < ones.length; i++) {
                    ones[i] = !column.isMissing(i) && column.getString(i).equals(values.get(v)) ? 1 : 0;
                }
                out.insertColumn(at + v, IntColumn.create(name + "=" + values.get(v), ones));
            }
        }
        return out;
    }
}
