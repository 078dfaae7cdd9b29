package linreg.data;

import java.util.List;

/**
 * Samples held on the host: row-major float32 features {@code x} (n×d) and targets {@code y}
 * (n), as PyTorch holds them, with optional column names and the known truth of generated data.
 */
/**
 * Samples held on the host: row-major float32 features {@code x} (n×d) and targets {@code y}
 * (n), as PyTorch holds them, with optional column names and the known truth of generated data.
 * The rows are {@link FloatRows}, in segments, so n·d is limited by memory only; n is limited to
 * 2^31 − 1 ({@link linreg.train.SampleLimit}), as positions in an epoch's order are 32-bit.
 */
public final class Dataset {
    /** Largest n·d one host array holds (one segment of {@link HeapRows}). */
    public static final long MAX_ELEMENTS = HeapRows.MAX_SEGMENT_VALUES;
    /** Rows a {@link #forEachBlock} copy holds at most, for rows not in one array. */
    private static final int BLOCK_VALUES = 1 << 16;

    /**
     * Every value is smaller than this in magnitude: 2^64 (about 1.8e19), so that the product of
     * two values, which SGD forms (w moves by lr·x, then meets x in w·x), stays finite in float32.
     */
    public static final float LIMIT = 0x1p64f;

    private final int n;
    private final int d;
    private final FloatRows x;
    private final FloatRows y;
    private final String source;
    private final List<String> featureNames;
    private final String targetName;
    private final float[] trueW;
    private final float trueB;
    /** The sample weights, or null: every row counts once. */
    private final SampleWeights weights;

    private Dataset(FloatRows x, FloatRows y, String source, List<String> featureNames,
            String targetName, float[] trueW, float trueB) {
        int n = y.rows();
        int d = x.width();
        if (n < 1 || d < 1) {
            throw new IllegalArgumentException("a dataset needs n >= 1 and d >= 1, got n=" + n + ", d=" + d);
        }
        if (x.rows() != n || y.width() != 1) {
            throw new IllegalArgumentException("x has " + x.rows() + " rows and y " + y.rows() + " of " + y.width()
                    + " values, expected " + n + " and " + n + " of 1");
        }
        this.n = n;
        this.d = d;
        this.x = x;
        this.y = y;
        checkValues();
        this.source = source;
        this.featureNames = featureNames == null ? null : List.copyOf(featureNames);
        this.targetName = targetName;
        this.trueW = trueW;
        this.trueB = trueB;
        this.weights = null;
    }

    /** {@code base}'s samples, already checked, with {@code weights}. */
    private Dataset(Dataset base, SampleWeights weights) {
        if (weights != null && weights.rows() != base.n) {
            throw new IllegalArgumentException(weights.rows() + " weights for " + base.n + " samples");
        }
        this.n = base.n;
        this.d = base.d;
        this.x = base.x;
        this.y = base.y;
        this.source = base.source;
        this.featureNames = base.featureNames;
        this.targetName = base.targetName;
        this.trueW = base.trueW;
        this.trueB = base.trueB;
        this.weights = weights;
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

    private void checkValues() {
        if (x.valuesChecked() && y.valuesChecked()) {
            return;
        }
        forEachBlock((bx, by, first, count) -> {
            for (int k = 0; k < count * d; k++) {
                if (!usable(bx[k])) {
                    throw new IllegalArgumentException("x[" + (first + k / d) + ", " + k % d + "] is " + bx[k] + ": "
                            + problem(Float.isFinite(bx[k])));
                }
            }
            for (int k = 0; k < count; k++) {
                if (!usable(by[k])) {
                    throw new IllegalArgumentException("y[" + (first + k) + "] is " + by[k] + ": "
                            + problem(Float.isFinite(by[k])));
                }
            }
        });
    }

    /** Samples read from a file; the arrays are taken, not copied. */
    public static Dataset of(float[] x, float[] y, int d, String source, List<String> featureNames,
            String targetName) {
        return of(rowsOf(x, d, y), HeapRows.of(y, 1), source, featureNames, targetName);
    }

    /** Samples read from a file, in the rows given (taken, not copied). */
    public static Dataset of(FloatRows x, FloatRows y, String source, List<String> featureNames, String targetName) {
        return new Dataset(x, y, source, featureNames, targetName, null, Float.NaN);
    }

    /** Generated samples of known truth; the arrays are taken, not copied. */
    public static Dataset synthetic(float[] x, float[] y, int d, float[] trueW, float trueB) {
        return synthetic(rowsOf(x, d, y), HeapRows.of(y, 1), trueW, trueB);
    }

    /** Generated samples of known truth, in the rows given (taken, not copied). */
    public static Dataset synthetic(FloatRows x, FloatRows y, float[] trueW, float trueB) {
        return new Dataset(x, y, "synthetic", null, null, trueW.clone(), trueB);
    }

    private static HeapRows rowsOf(float[] x, int d, float[] y) {
        if (d < 1 || y.length < 1) {
            throw new IllegalArgumentException("a dataset needs n >= 1 and d >= 1, got n=" + y.length + ", d=" + d);
        }
        if ((long) y.length * d != x.length) {
            throw new IllegalArgumentException("x has " + x.length + " values and y " + y.length
                    + ", expected " + (long) y.length * d + " and " + y.length);
        }
        return HeapRows.of(x, d);
    }

    /** Other samples of the same kind: the same columns, source and truth. */
    public Dataset withSamples(float[] x, float[] y) {
        return withRows(rowsOf(x, d, y), HeapRows.of(y, 1));
    }

    /**
     * Other samples of the same kind, in the rows given: the same columns, source and truth,
     * without weights (the rows are others: {@link #withWeights} gives them theirs).
     */
    public Dataset withRows(FloatRows x, FloatRows y) {
        return new Dataset(x, y, source, featureNames, targetName, trueW, trueB);
    }

    /** These samples with one weight each ({@code null}: unweighted). */
    public Dataset withWeights(SampleWeights w) {
        return new Dataset(this, w);
    }

    /**
     * The same samples copied into heap segments of {@code segmentRows} rows: data that crosses
     * segment edges, to show that every reader gives the bits of one array.
     */
    public Dataset inSegments(int segmentRows) {
        try {
            HeapRows sx = HeapRows.allocate(n, d, segmentRows, 0, source);
            HeapRows sy = HeapRows.allocate(n, 1, segmentRows, 0, source);
            float[] row = new float[d];
            for (int i = 0; i < n; i++) {
                x.copyRow(i, row, 0);
                sx.setRow(i, row, 0);
                sy.set(i, 0, y.get(i, 0));
            }
            return withRows(sx, sy).withWeights(weights);
        } catch (DataException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** What {@link #forEachBlock} hands over: rows {@code first..first+count-1} as rows 0.. of x and y. */
    @FunctionalInterface
    public interface Block {
        void read(float[] x, float[] y, int first, int count);
    }

    /**
     * Every row in order, block by block: the arrays themselves when x and y are each one array
     * (no copy), else copies of a few thousand rows at a time.
     */
    public void forEachBlock(Block block) {
        float[] ax = x.array();
        float[] ay = y.array();
        if (ax != null && ay != null) {
            block.read(ax, ay, 0, n);
            return;
        }
        int rows = Math.max(1, Math.min(n, BLOCK_VALUES / d));
        float[] bx = new float[rows * d];
        float[] by = new float[rows];
        for (int first = 0; first < n; first += rows) {
            int count = Math.min(rows, n - first);
            x.copyRows(first, count, bx, 0);
            y.copyRows(first, count, by, 0);
            block.read(bx, by, first, count);
        }
    }

    /** Number of samples n. */
    public int samples() {
        return n;
    }

    /** Number of features d. */
    public int features() {
        return d;
    }

    /**
     * The row-major n×d features as one array (the array itself), for data held in one: readers
     * of data of any size go through {@link #featureRows} or {@link #forEachBlock}.
     *
     * @throws IllegalStateException when the rows are in segments or mapped
     */
    public float[] x() {
        return whole(x, "features");
    }

    /** The n targets as one array (the array itself), as {@link #x}. */
    public float[] y() {
        return whole(y, "targets");
    }

    private float[] whole(FloatRows rows, String what) {
        float[] a = rows.array();
        if (a == null) {
            throw new IllegalStateException("the " + what + " of " + source + " are not one array (segments or a map)");
        }
        return a;
    }

    /** The features, row by row. */
    public FloatRows featureRows() {
        return x;
    }

    /** The targets, rows of one value. */
    public FloatRows targets() {
        return y;
    }

    /** Bytes of the samples held on the Java heap. */
    public long heapBytes() {
        return x.heapBytes() + y.heapBytes();
    }

    /** Bytes of the samples read in place through memory maps. */
    public long mappedBytes() {
        return x.mappedBytes() + y.mappedBytes();
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

    /** The sample weights, or null when every row counts once. */
    public SampleWeights weights() {
        return weights;
    }

    /** Whether the samples carry weights. */
    public boolean weighted() {
        return weights != null;
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
