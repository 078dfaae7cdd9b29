package linreg.data;

import java.util.List;

/**
 * Samples held on the host: row-major float32 features {@code x} (n×d) and targets {@code y}
 * (n), as PyTorch holds them, with optional column names and the known truth of generated data.
 */
public final class Dataset {
    /** Largest n·d a host array can hold. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final int n;
    private final int d;
    private final float[] x;
    private final float[] y;
    private final String source;
    private final List<String> featureNames;
    private final String targetName;
    private final float[] trueW;
    private final float trueB;

    private Dataset(int n, int d, float[] x, float[] y, String source, List<String> featureNames,
            String targetName, float[] trueW, float trueB) {
        if (n < 1 || d < 1) {
            throw new IllegalArgumentException("a dataset needs n >= 1 and d >= 1, got n=" + n + ", d=" + d);
        }
        if ((long) n * d != x.length || y.length != n) {
            throw new IllegalArgumentException("x has " + x.length + " values and y " + y.length
                    + ", expected " + (long) n * d + " and " + n);
        }
        this.n = n;
        this.d = d;
        this.x = x;
        this.y = y;
        this.source = source;
        this.featureNames = featureNames == null ? null : List.copyOf(featureNames);
        this.targetName = targetName;
        this.trueW = trueW;
        this.trueB = trueB;
    }

    /** Samples read from a file; the arrays are taken, not copied. */
    public static Dataset of(float[] x, float[] y, int d, String source, List<String> featureNames,
            String targetName) {
        return new Dataset(y.length, d, x, y, source, featureNames, targetName, null, Float.NaN);
    }

    /** Generated samples of known truth; the arrays are taken, not copied. */
    public static Dataset synthetic(float[] x, float[] y, int d, float[] trueW, float trueB) {
        return new Dataset(y.length, d, x, y, "synthetic", null, null, trueW.clone(), trueB);
    }

    /** Other samples of the same kind: the same columns, source and truth. */
    public Dataset withSamples(float[] x, float[] y) {
        return new Dataset(y.length, d, x, y, source, featureNames, targetName, trueW, trueB);
    }

    /** Number of samples n. */
    public int samples() {
        return n;
    }

    /** Number of features d. */
    public int features() {
        return d;
    }

    /** The row-major n×d features (the array itself: engines read it without a copy). */
    public float[] x() {
        return x;
    }

    /** The n targets (the array itself). */
    public float[] y() {
        return y;
    }

    /** Where the samples came from: "synthetic" or the file name. */
    public String source() {
        return source;
    }

    /** Feature column names from a header line, or null. */
    public List<String> featureNames() {
        return featureNames;
    }

    /** Target column name from a header line, or null. */
    public String targetName() {
        return targetName;
    }

    /** Whether the true parameters are known (generated data). */
    public boolean hasTruth() {
        return trueW != null;
    }

    /** The true w of generated data, or null. */
    public float[] trueW() {
        return trueW == null ? null : trueW.clone();
    }

    /** The true b of generated data, or NaN. */
    public float trueB() {
        return trueB;
    }
}
