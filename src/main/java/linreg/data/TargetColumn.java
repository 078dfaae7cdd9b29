package linreg.data;

import java.util.List;

/**
 * Which column of a table is the target, decided when the first row (and the header, if any)
 * has been read: for training, the last column or one named by {@code --target}; for a model's
 * predictions, by the number of columns (d: features only, d + 1: features and the target).
 */
@FunctionalInterface
public interface TargetColumn {
    /** No target column: every column is a feature. */
    int NONE = -1;

    /**
     * The target's 0-based column, or {@link #NONE}.
     *
     * @param columns the table's columns
     * @param header the header line's names, or null
     * @param where {@code file:line} (or the file) for messages
     * @throws DataException when the table does not fit
     */
    int choose(int columns, List<String> header, String where) throws DataException;

    /** Training: the column named {@code name}, or the last one when {@code name} is null. */
    static TargetColumn forTraining(String name) {
        return (columns, header, where) -> {
            if (columns < 2) {
                throw new DataException(where + ": " + columns + " column, expected at least two (features, then the target)");
            }
            if (name == null) {
                return columns - 1;
            }
            if (header == null) {
                throw new DataException(where + ": --target " + name + " needs a header line, but this line holds numbers");
            }
            int index = header.indexOf(name);
            if (index < 0) {
                throw new DataException(where + ": no column named \"" + name + "\" (columns: " + String.join(", ", header) + ")");
            }
            return index;
        };
    }

    /**
     * A model of {@code d} features: d columns are features only; d + 1 columns are features
     * and the target, which is the column called {@code targetName} when the header has one, else
     * the last column.
     */
    static TargetColumn forModel(int d, String targetName) {
        return (columns, header, where) -> {
            if (columns == d) {
                return NONE;
            }
            if (columns != d + 1) {
                throw new DataException(where + ": " + columns + " column" + (columns == 1 ? "" : "s")
                        + ", but the model has " + d + " feature" + (d == 1 ? "" : "s")
                        + " (expected " + d + " columns of features, or " + (d + 1) + " with the target)");
            }
            if (header != null && targetName != null && header.contains(targetName)) {
                return header.indexOf(targetName);
            }
            return columns - 1;
        };
    }
}
