package linreg.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a data file of either kind: NumPy when its name ends in {@code .npy} or it starts with
 * the .npy magic, CSV otherwise. Labels in a second file go only with .npy features.
 */
public final class DataFiles {
    private DataFiles() {}

    /**
     * Loads {@code data} (and {@code labels}, when not null).
     *
     * @param delimiter the CSV field separator
     * @param targetColumn which column is the target, for a single table
     * @throws DataException naming the file and the first problem
     */
    public static Samples load(Path data, Path labels, char delimiter, TargetColumn targetColumn)
            throws DataException {
        if (NpyLoader.isNpy(data)) {
            NpyLoader npy = new NpyLoader();
            return labels == null ? npy.load(data, targetColumn) : npy.load(data, labels);
        }
        if (labels != null) {
            throw new DataException("--labels goes with .npy features (--data X.npy --labels y.npy); "
                    + data + " is a CSV file, whose target is one of its columns");
        }
        return new CsvLoader(delimiter).loadSamples(data, targetColumn);
    }

    /** @throws DataException when {@code file} is missing, a directory or unreadable */
    static void checkReadable(Path file, String name) throws DataException {
        if (!Files.exists(file)) {
            throw new DataException(name + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new DataException(name + ": is a directory, expected a data file");
        }
        if (!Files.isReadable(file)) {
            throw new DataException(name + ": cannot be read (permission denied)");
        }
    }
}
