package linreg.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the sample weights are ({@code --weights} / {@code --weights-column}): with a CSV table,
 * the column of header name {@code name} or the 1-based column {@code column}; with .npy data,
 * {@code name} is an .npy file of shape (n,) or (n, 1). Neither given: no weights.
 */
public record WeightsOption(String name, Integer column) {
    /** No weights: every row counts once. */
    public static final WeightsOption NONE = new WeightsOption(null, null);

    /** Whether weights were asked for. */
    public boolean given() {
        return name != null || column != null;
    }

    /** The .npy file of weights, for .npy data. */
    Path file() {
        return Path.of(name);
    }

    /** The weights column of a CSV table (0-based), or {@link TargetColumn#NONE} when none was asked for. */
    TargetColumn csvColumn() {
        return (columns, header, where) -> {
            if (column != null) {
                if (column > columns) {
                    throw new DataException(where + ": --weights-column " + column + ", but there are "
                            + Words.count(columns, "column"));
                }
                return column - 1;
            }
            if (name == null) {
                return TargetColumn.NONE;
            }
            if (header == null) {
                throw new DataException(where + ": --weights " + name + " needs a header line, but this line holds numbers"
                        + " (give --header if it is one, or --weights-column K)");
            }
            List<Integer> at = ColumnNames.columns(header, name);
            if (at.isEmpty()) {
                throw new DataException(where + ": no column named \"" + name + "\" for --weights (columns: "
                        + String.join(", ", header) + ")");
            }
            if (at.size() > 1) {
                throw new DataException(where + ": --weights " + name + " is ambiguous: " + ColumnNames.describe(name, at)
                        + "; pick one with --weights-column");
            }
            return at.get(0) - 1;
        };
    }

    /** What the weights are, for the report and the model file: {@code column "w"}, {@code column 3}. */
    static String columnOrigin(List<String> header, int column) {
        return header != null ? "column \"" + header.get(column) + "\"" : "column " + (column + 1);
    }
}
