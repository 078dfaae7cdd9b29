package linreg.data;

import java.util.List;

/**
 * Rows read from a file: float32 features (row-major n×d) and, where the file has one, the
 * target. Training needs the target ({@link #toDataset()}); prediction does not.
 *
 * @param x the n×d features, row-major
 * @param y the n targets, or null when the file holds features only
 * @param featureNames feature column names from a header line, or null
 * @param targetName the target column's name from a header line, or null
 */
public record Samples(float[] x, float[] y, int samples, int features, String source,
        List<String> featureNames, String targetName) {
    /** Whether the file had a target column (or labels). */
    public boolean hasTarget() {
        return y != null;
    }

    /**
     * The samples as a training set (the arrays are taken, not copied).
     *
     * @throws DataException when the file had no target
     */
    public Dataset toDataset() throws DataException {
        if (y == null) {
            throw new DataException(source + ": no target column: " + Words.count(features, "column") + ", all features");
        }
        return Dataset.of(x, y, features, source, featureNames, targetName);
    }

    /** The samples of a dataset (sharing its arrays). */
    public static Samples of(Dataset data) {
        return new Samples(data.x(), data.y(), data.samples(), data.features(), data.source(),
                data.featureNames(), data.targetName());
    }
}
