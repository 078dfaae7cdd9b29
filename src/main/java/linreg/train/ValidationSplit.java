package linreg.train;

import linreg.data.DataException;
import linreg.data.Dataset;
import linreg.data.FloatRows;
import linreg.data.HeapRows;
import linreg.spec.Permutation;
import linreg.spec.Seeds;

/**
 * The seeded hold-out of docs/algorithm.md §6: with Q the permutation of epoch 0 under
 * {@code stream(seed, VALIDATION)}, the validation rows are Q(0..v-1) and the training rows
 * Q(v..n-1), in that order, v = floor(f·n). The GPU gathers the same rows with the same kernel
 * as its shuffle.
 *
 * @param training the rows to train on
 * @param validation the held-out rows
 */
public record ValidationSplit(Dataset training, Dataset validation) {
    /** The number of validation rows for n samples, or why there cannot be a split. */
    public static int validationRows(long n, double fraction) {
        long v = (long) Math.floor(fraction * n);
        if (v < 1 || v >= n) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "--validation %s of %d samples holds out %d: there must be at least one sample to validate "
                            + "on and one to train on", fraction, n, v));
        }
        return (int) v;
    }

    /** The rows left to train on when a fraction of n samples is held out (fraction 0: all n). */
    public static long trainingRows(long n, double fraction) {
        return fraction > 0 ? n - validationRows(n, fraction) : n;
    }

    /** The permutation seed of the split (the shuffle kernel takes it with epoch 0). */
    public static long permutationSeed(long seed) {
        return Seeds.stream(seed, Seeds.VALIDATION);
    }

    /**
     * Splits {@code data} for run seed {@code seed}: copies of the rows, on the heap, in segments of
     * the size the data's own are (one array holds, for mapped data).
     */
    public static ValidationSplit of(Dataset data, double fraction, long seed) {
        int segmentRows = data.featureRows() instanceof HeapRows heap ? heap.segmentRows()
                : HeapRows.segmentRows(data.features());
        int n = data.samples();
        int d = data.features();
        int v = validationRows(n, fraction);
        Permutation q = Permutation.of(permutationSeed(seed), 0, n);
        // The data stays held while its copies fill.
        HeapRows vx = rows(v, d, segmentRows, data.heapBytes());
        HeapRows vy = rows(v, 1, segmentRows, data.heapBytes() + vx.heapBytes());
        HeapRows tx = rows(n - v, d, segmentRows, data.heapBytes() + vx.heapBytes() + vy.heapBytes());
        HeapRows ty = rows(n - v, 1, segmentRows, data.heapBytes() + vx.heapBytes() + vy.heapBytes() + tx.heapBytes());
        FloatRows x = data.featureRows();
        FloatRows y = data.targets();
        float[] one = x.array();
        float[] row = new float[d];
        // The weights follow their rows into both parts.
        float[] weights = data.weighted() ? data.weights().values() : null;
        float[] vw = weights == null ? null : new float[v];
        float[] tw = weights == null ? null : new float[n - v];
        for (int p = 0; p < n; p++) {
            int i = q.apply(p);
            boolean held = p < v;
            int at = held ? p : p - v;
            if (one != null) {
                (held ? vx : tx).setRow(at, one, i * d);
            } else {
                x.copyRow(i, row, 0);
                (held ? vx : tx).setRow(at, row, 0);
            }
            (held ? vy : ty).set(at, 0, y.get(i, 0));
            if (weights != null) {
                (held ? vw : tw)[at] = weights[i];
            }
        }
        if (weights == null) {
            return new ValidationSplit(data.withRows(tx, ty), data.withRows(vx, vy));
        }
        return new ValidationSplit(data.withRows(tx, ty).withWeights(part(data, tw, "train on")),
                data.withRows(vx, vy).withWeights(part(data, vw, "validate on")));
    }

    /** One part's weights; a part whose weights are all 0 leaves nothing to train or validate on. */
    private static linreg.data.SampleWeights part(Dataset data, float[] w, String use) {
        try {
            return data.weights().withValues(w);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--validation: every weight of the " + w.length + " rows to " + use
                    + " is 0; at least one must count", e);
        }
    }

    private static HeapRows rows(int count, int width, int segmentRows, long held) {
        try {
            return HeapRows.allocate(count, width, segmentRows, held, "the validation split");
        } catch (DataException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
