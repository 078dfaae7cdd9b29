package linreg.data;

import java.util.List;

/**
 * Rows read from a file: float32 features (n rows of d) and, where the file has one, the
 * target. Training needs the target ({@link #toDataset()}); prediction does not.
 */
public final class Samples {
    private final FloatRows x;
    private final FloatRows y;
    private final String source;
    private final List<String> featureNames;
    private final String targetName;
    private final SampleWeights weights;

    /**
     * @param x the features, rows of d
     * @param y the targets, rows of one, or null when the file holds features only
     * @param featureNames feature column names from a header line, or null
     * @param targetName the target column's name from a header line, or null
     */
    public Samples(FloatRows x, FloatRows y, String source, List<String> featureNames, String targetName) {
        this(x, y, source, featureNames, targetName, null);
    }

    /** As above, with one weight per row ({@code weights} null: unweighted). */
    public Samples(FloatRows x, FloatRows y, String source, List<String> featureNames, String targetName,
            SampleWeights weights) {
        this.weights = weights;
        this.x = x;
        this.y = y;
        this.source = source;
        this.featureNames = featureNames;
        this.targetName = targetName;
    }

    /** Whether the file had a target column (or labels). */
    public boolean hasTarget() {
        return y != null;
    }

    /**
     * The samples as a training set (the rows are taken, not copied).
     *
     * @throws DataException when the file had no target
     */
    public Dataset toDataset() throws DataException {
        if (y == null) {
            throw new DataException(source + ": no target column: " + Words.count(features(), "column") + ", all features");
        }
        return Dataset.of(x, y, source, featureNames, targetName).withWeights(weights);
    }

    /** The samples of a dataset (sharing its rows). */
    public static Samples of(Dataset data) {
        return new Samples(data.featureRows(), data.targets(), data.source(), data.featureNames(), data.targetName(),
                data.weights());
    }

    /** These samples with one weight each. */
    public Samples withWeights(SampleWeights w) {
        return new Samples(x, y, source, featureNames, targetName, w);
    }

    /** The sample weights, or null. */
    public SampleWeights weights() {
        return weights;
    }

    /** The features, row by row. */
    public FloatRows featureRows() {
        return x;
    }

    /** The targets, or null. */
    public FloatRows targets() {
        return y;
    }

    /** The features as one row-major array: the array itself where they are one, else a copy (small data). */
    public float[] x() {
        return whole(x);
    }

    /** The targets as one array, as {@link #x}, or null. */
    public float[] y() {
        return y == null ? null : whole(y);
    }

    private static float[] whole(FloatRows rows) {
        float[] a = rows.array();
        if (a == null) {
            if ((long) rows.rows() * rows.width() > Dataset.MAX_ELEMENTS) {
                throw new IllegalStateException(rows.rows() + " rows of " + rows.width() + " are more than one array holds");
            }
            a = new float[rows.rows() * rows.width()];
            rows.copyRows(0, rows.rows(), a, 0);
        }
        return a;
    }

    public int samples() {
        return x.rows();
    }

    public int features() {
        return x.width();
    }

    public String source() {
        return source;
    }

    public List<String> featureNames() {
        return featureNames;
    }

    public String targetName() {
        return targetName;
    }

    /** Bytes of the samples on the Java heap. */
    public long heapBytes() {
        return x.heapBytes() + (y == null ? 0 : y.heapBytes());
    }
}
