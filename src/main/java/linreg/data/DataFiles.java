package linreg.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a data file of either kind: NumPy when its name ends in {@code .npy} or it starts with
 * the .npy magic, CSV otherwise (also on standard input). Labels in a second file go only with
 * .npy features.
 */
public final class DataFiles {
    private DataFiles() {}

    /** {@code --data -}: the table comes on standard input. */
    public static final Path STDIN = Path.of("-");

    /** Whether {@code file} stands for standard input. */
    public static boolean isStdin(Path file) {
        return STDIN.equals(file);
    }

    /**
     * Loads {@code data} (and {@code labels}, when not null); {@link #STDIN} is a CSV table on
     * standard input.
     *
     * @param csv how to read a CSV table
     * @param targetColumn which column is the target, for a single table
     * @throws DataException naming the file and the first problem
     */
    public static Samples load(Path data, Path labels, CsvLoader csv, TargetColumn targetColumn)
            throws DataException {
        return load(data, labels, csv, targetColumn, WeightsOption.NONE);
    }

    /**
     * As above, with the sample weights {@code weights} asks for: a column of a CSV table, or a
     * second .npy file of n weights beside .npy data.
     *
     * @throws DataException naming the file and the first problem (a bad weight: its row)
     */
    public static Samples load(Path data, Path labels, CsvLoader csv, TargetColumn targetColumn, WeightsOption weights)
            throws DataException {
        if (isStdin(data)) {
            if (labels != null) {
                throw new DataException("--labels goes with .npy features, which are read from a file, not stdin");
            }
            return csv.loadSamples(System.in, "stdin", targetColumn, weights);
        }
        if (NpyLoader.isNpy(data)) {
            if (weights.column() != null) {
                throw new DataException("--weights-column picks a column of a CSV table; " + data
                        + " is a NumPy .npy file: give the weights as --weights FILE.npy");
            }
            NpyLoader npy = new NpyLoader();
            Samples samples = labels == null ? npy.load(data, targetColumn) : npy.load(data, labels);
            if (weights.name() == null) {
                return samples;
            }
            Path file = weights.file();
            if (!isNpy(file)) {
                throw new DataException("--weights " + weights.name() + ": with .npy data the weights are an .npy file"
                        + " of shape (n,) or (n, 1)");
            }
            float[] v = npy.loadVector(file, samples.samples(), data.toString(), "weights");
            return samples.withWeights(SampleWeights.of(v, file.toString(), file.toString()));
        }
        if (labels != null) {
            throw new DataException("--labels goes with .npy features (--data X.npy --labels y.npy); "
                    + data + " is a CSV file, whose target is one of its columns");
        }
        return csv.loadSamples(data, targetColumn, weights);
    }

    private static boolean isNpy(Path file) {
        return NpyLoader.isNpy(file);
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
