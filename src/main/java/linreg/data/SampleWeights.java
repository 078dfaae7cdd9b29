package linreg.data;

/**
 * One non-negative weight per sample ({@code --weights}): a batch's loss and gradient count
 * row i {@code v_i} times (docs/algorithm.md §4, "Sample weights"). Each weight is finite and
 * at least 0, and at least one is above 0, so that every total weight of a full pass is positive.
 * The weights follow the rows: a split or a reordering of the samples takes theirs along.
 */
public final class SampleWeights {
    private final float[] values;
    private final String origin;

    private SampleWeights(float[] values, String origin) {
        this.values = values;
        this.origin = origin;
    }

    /**
     * Weights read from a file (the array is taken, not copied).
     *
     * @param origin what they are, for the report and the model file: {@code column "w"} or the file
     * @param where the file, for messages
     * @throws DataException naming the first row whose weight is negative or not finite, or when all are 0
     */
    public static SampleWeights of(float[] values, String origin, String where) throws DataException {
        boolean any = false;
        for (int i = 0; i < values.length; i++) {
            String problem = problem(values[i]);
            if (problem != null) {
                throw new DataException(where + ": the weight of row " + i + " is " + values[i] + ": " + problem);
            }
            any |= values[i] > 0;
        }
        if (!any) {
            throw new DataException(where + ": every weight is 0; at least one sample must count");
        }
        return new SampleWeights(values, origin);
    }

    /** What is wrong with weight {@code v}, or null: weights are finite and not negative. */
    public static String problem(float v) {
        if (!Float.isFinite(v)) {
            return "a weight must be a finite number";
        }
        return v < 0 ? "a weight must not be negative" : null;
    }

    /** Weights of the same origin for other rows (a split's part), checked for a positive one. */
    public SampleWeights withValues(float[] v) {
        boolean any = false;
        for (float w : v) {
            any |= w > 0;
        }
        if (!any) {
            throw new IllegalArgumentException("every weight of these " + v.length + " rows is 0");
        }
        return new SampleWeights(v, origin);
    }

    /** The weights, one per row (the array itself). */
    public float[] values() {
        return values;
    }

    /** The weight of row i. */
    public float get(int i) {
        return values[i];
    }

    public int rows() {
        return values.length;
    }

    /** Where the weights came from: {@code column "w"}, {@code column 3} or the .npy file. */
    public String origin() {
        return origin;
    }
}
