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

    /**
     * Training: the column named {@code name}, or the 1-based column {@code number}, or the last
     * one when both are null.
     */
    static TargetColumn forTraining(String name, Integer number) {
        return (columns, header, where) -> {
            if (columns < 2) {
                throw new DataException(where + ": " + Words.count(columns, "column")
                        + ", expected at least two (features, then the target)");
            }
            if (number != null) {
                if (number > columns) {
                    throw new DataException(where + ": --target-column " + number + ", but there are "
                            + Words.count(columns, "column"));
                }
                return number - 1;
            }
            if (name == null) {
                return columns - 1;
            }
            if (header == null) {
                throw new DataException(where + ": --target " + name + " needs a header line, but this line holds numbers"
                        + " (give --header if it is one)");
            }
            List<Integer> at = ColumnNames.columns(header, name);
            if (at.isEmpty()) {
                throw new DataException(where + ": no column named \"" + name + "\" (columns: " + String.join(", ", header) + ")");
            }
            if (at.size() > 1) {
                throw new DataException(where + ": --target " + name + " is ambiguous: " + ColumnNames.describe(name, at)
                        + "; pick one with --target-column");
            }
            return at.get(0) - 1;
        };
    }

    /**
     * A model of {@code d} features: d columns are features only; d + 1 columns are features
     * and the target, which is the column called {@code targetName} when the header has one, else
     * the last column.
     */
    static TargetColumn forModel(int d, String targetName) {
        return new ModelTarget(d, targetName);
    }

    /** {@link #forModel}'s choice, which can also leave a weights column aside. */
    record ModelTarget(int d, String targetName) implements TargetColumn {
        @Override
        public int choose(int columns, List<String> header, String where) throws DataException {
            if (columns == d) {
                return NONE;
            }
            if (columns != d + 1) {
                throw new DataException(where + ": " + Words.count(columns, "column") + ", but the model has "
                        + Words.count(d, "feature") + " (expected " + Words.count(d, "column") + " of features, or "
                        + (d + 1) + " with the target)");
            }
            List<Integer> at = header == null || targetName == null ? List.of() : ColumnNames.columns(header, targetName);
            if (at.size() > 1) {
                throw new DataException(where + ": the model's target \"" + targetName + "\" is ambiguous here: "
                        + ColumnNames.describe(targetName, at) + "; rename the one that is not the target");
            }
            return at.isEmpty() ? columns - 1 : at.get(0) - 1;
        }

        /** The choice among the columns other than {@code weights} (0-based), as a column of the whole table. */
        public int chooseBesides(int columns, List<String> header, String where, int weights) throws DataException {
            List<String> rest = null;
            if (header != null) {
                rest = new java.util.ArrayList<>(header);
                rest.remove(weights);
            }
            int t = choose(columns - 1, rest, where);
            return t == NONE ? NONE : t >= weights ? t + 1 : t;
        }
    }
}
