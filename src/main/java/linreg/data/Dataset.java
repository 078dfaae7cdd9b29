package linreg.data;

import java.util.List;

/**
 * Samples held on the host: row-major float32 features {@code x} (n×d) and targets {@code y}
 * (n), as PyTorch holds them, with optional column names and the known truth of generated data.
 */
public final class Dataset {
    /** Largest n·d a host array can hold. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /**
     * Every value is smaller than this in magnitude: 2^64 (about 1.8e19), so that the product of
     * two values, which SGD forms (w moves by lr·x, then meets x in w·x), stays finite in float32.
     */
    public static final float LIMIT = 0x1p64f;

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
        checkValues(x, d, "x");
        checkValues(y, 1, "y");
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

    /** Whether {@code v} can be a feature or a target: finite and below {@link #LIMIT} in magnitude. */
    public static boolean usable(float v) {
        return Math.abs(v) < LIMIT;
    }

    /**
     * What is wrong with a value that is not {@link #usable}, for messages: "expected a finite
     * number", or, for a finite one (1e39 is finite, though beyond float32), that it is too large.
     */
    public static String problem(boolean finite) {
        return finite ? "too large: values must stay within ±1.8e19 (2^64), so that the product of two"
                + " fits in float32; rescale the column" : "expected a finite number";
    }

    private static void checkValues(float[] values, int width, String name) {
        for (int k = 0; k < values.length; k++) {
            if (!usable(values[k])) {
                String index = width == 1 ? "[" + k + "]" : "[" + k / width + ", " + k % width + "]";
                throw new IllegalArgumentException(name + index + " is " + values[k] + ": " + problem(Float.isFinite(values[k])));
            }
        }
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
