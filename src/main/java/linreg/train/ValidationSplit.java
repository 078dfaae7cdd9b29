package linreg.train;

import linreg.data.Dataset;
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

    /** Splits {@code data} for run seed {@code seed}. */
    public static ValidationSplit of(Dataset data, double fraction, long seed) {
        int n = data.samples();
        int d = data.features();
        int v = validationRows(n, fraction);
        Permutation q = Permutation.of(permutationSeed(seed), 0, n);
        float[] vx = new float[v * d];
        float[] vy = new float[v];
        float[] tx = new float[(n - v) * d];
        float[] ty = new float[n - v];
        float[] x = data.x();
        for (int p = 0; p < n; p++) {
            int row = q.apply(p);
            boolean held = p < v;
            int at = held ? p : p - v;
            System.arraycopy(x, row * d, held ? vx : tx, at * d, d);
            (held ? vy : ty)[at] = data.y()[row];
        }
        return new ValidationSplit(data.withSamples(tx, ty), data.withSamples(vx, vy));
    }
}
