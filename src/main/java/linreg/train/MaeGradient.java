package linreg.train;

import java.util.Arrays;

/**
 * One mini-batch's MAE loss and gradient in the project's canonical float32 order: the CPU
 * reference of kernels/mae_gradient.cu and the inner step of the CPU engine.
 *
 * <p>For the batch rows {@code rows[from..from+m)} it computes the residuals
 * {@code r_i = (x_i·w + b) - y_i} (dot product as an fma chain, feature 0 first), the signs
 * {@code s_i} (sign(0) = 0), and the sums {@code S = Σ|r_i|}, {@code G_b = Σ s_i} and
 * {@code G_j = Σ s_i·x_ij}. Every sum runs in the same fixed order: items go to {@link #lanes(int)}
 * lanes round-robin within segments of {@link #SEGMENT} items, each lane adds its items in
 * order starting from +0, the lanes meet in a tree ({@code p[l] += p[l+h]}, h halving), and
 * segment totals are added in segment order. A GPU reduction can follow that order exactly, so
 * CPU and GPU produce the same bits. Full definition: docs/algorithm.md.
 *
 * <p>Results go to an {@code out} array of {@code d + 2} floats:
 * {@code out[0] = S, out[1] = G_b, out[2 + j] = G_j}.
 */
public final class MaeGradient {
    /** Widest lane count of the canonical reduction. */
    public static final int LANES = 256;
    /** Items per segment; a multiple of {@link #LANES}. */
    public static final int SEGMENT = 1024;

    private final int d;
    private final int quantities;
    private final float[] acc;
    private final float[] residuals = new float[LANES];
    /** Where {@link #touchNextBatch} leaves its loads. */
    private float touched;

    /** A reducer for d features; holds its own scratch, so one per thread. */
    public MaeGradient(int d) {
        this.d = d;
        this.quantities = d + 2;
        this.acc = new float[quantities * LANES];
    }

    /** Lanes of a batch of m items: the next power of two of m, at most {@link #LANES}. */
    public static int lanes(int m) {
        if (m >= LANES) {
            return LANES;
        }
        return m <= 1 ? 1 : Integer.highestOneBit(m - 1) << 1;
    }

    /** Number of segments of a batch of m items. */
    public static int segments(int m) {
        return (m + SEGMENT - 1) / SEGMENT;
    }

    /**
     * The canonical residual of row {@code row}: {@link #dot}, then {@code + b}, then {@code - y_i}.
     *
     * @param params w_0..w_{d-1} followed by b
     */
    public static float residual(float[] x, float[] y, int d, int row, float[] params) {
        return (dot(x, d, row, params) + params[d]) - y[row];
    }

    /**
     * The canonical dot product of row {@code row} with {@code w} (its first d values):
     * {@code x_i0·w_0}, then an fma chain over the other features in order.
     */
    public static float dot(float[] x, int d, int row, float[] w) {
        int base = row * d;
        float acc = x[base] * w[0];
        int j = 1;
        // Unrolled by four; the chain's order is unchanged.
        for (; j + 3 < d; j += 4) {
            acc = Math.fma(x[base + j], w[j], acc);
            acc = Math.fma(x[base + j + 1], w[j + 1], acc);
            acc = Math.fma(x[base + j + 2], w[j + 2], acc);
            acc = Math.fma(x[base + j + 3], w[j + 3], acc);
        }
        for (; j < d; j++) {
            acc = Math.fma(x[base + j], w[j], acc);
        }
        return acc;
    }

    /**
     * The residual from a prediction {@code p} computed elsewhere in another order (cuBLAS gemv),
     * with the canonical sign guaranteed: {@code r = (p + b) - y}, unless {@code |r|} is within
     * {@link #signMargin} of zero, where the two orders could disagree on the sign; there the
     * canonical residual is computed instead. So the gradient, a sum of signs, is the canonical
     * one whatever order computed {@code p}; only |r| (the reported loss) may differ, by rounding.
     * The CPU reference of what kernels/mae_gradient.cu does with cuBLAS's predictions.
     */
    public static float checkedResidual(float p, float[] x, float[] y, int d, int row, float[] params) {
        float r = (p + params[d]) - y[row];
        return Math.abs(r) > signMargin(p, x, y, d, row, params) ? r : residual(x, y, d, row, params);
    }

    /**
     * {@code (4d + 16)·2^-24·(Σ_j |x_j·w_j| + |p| + |b| + |y|) + 1e-30}: more than twice the
     * largest difference between two float32 dot products of the row summed in any orders
     * (2γ_d·Σ|x_j w_j|, γ_d ≈ d·2^-24) plus the roundings of {@code + b} and {@code - y}; a
     * residual beyond it has the same sign in every order (docs/algorithm.md §4).
     */
    public static float signMargin(float p, float[] x, float[] y, int d, int row, float[] params) {
        int base = row * d;
        float scale = Math.abs(p) + Math.abs(params[d]) + Math.abs(y[row]);
        for (int j = 0; j < d; j++) {
            scale += Math.abs(x[base + j] * params[j]);
        }
        return (4 * d + 16) * 0x1p-24f * scale + 1e-30f;
    }

    /** sign(r) with sign(0) = 0 and sign(NaN) = 0 (the NaN still reaches the loss). */
    public static float sign(float r) {
        // copySign instead of comparisons: residual signs are coin flips, so a branch on them
        // would be mispredicted half the time; r == 0 and NaN are rare and predictable.
        return r == 0f || r != r ? 0f : Math.copySign(1f, r);
    }

    /**
     * Loss and gradient sums of the batch {@code rows[from..from+m)} into {@code out}.
     *
     * @param x row-major n×d features
     * @param y targets
     * @param rows sample indices in batch order
     * @param params w_0..w_{d-1} followed by b
     */
    public void compute(float[] x, float[] y, int[] rows, int from, int m, float[] params,
            float[] out) {
        int lanes = lanes(m);
        if (m <= LANES) {
            oneItemPerLane(x, y, rows, from, m, lanes, params);
            touchNextBatch(x, y, rows, from + m, m);
            combine(acc, 0, lanes, true, out);
            return;
        }
        int segments = segments(m);
        for (int s = 0; s < segments; s++) {
            int start = s * SEGMENT;
            int count = Math.min(SEGMENT, m - start);
            accumulateLanes(x, y, rows, from + start, count, lanes, 0, lanes, params, acc, 0, residuals);
            combine(acc, 0, lanes, s == 0, out);
        }
    }

    /**
     * The lane partials of a batch of at most {@link #LANES} rows, where lane t holds item t
     * alone: {@code +0 + v} (which only turns a -0 into +0), and lanes past m hold +0. Stores
     * instead of read-modify-writes: the small-batch hot path.
     */
    private void oneItemPerLane(float[] x, float[] y, int[] rows, int from, int m, int lanes, float[] params) {
        float[] a = acc;
        float[] r = residuals;
        int dd = d;
        int qq = quantities;
        // Two passes: the residual pass has only independent loads, so the core keeps many
        // random rows in flight; the second pass finds them in L1.
        for (int t = 0; t < m; t++) {
            r[t] = residual(x, y, dd, rows[from + t], params);
        }
        for (int t = 0; t < m; t++) {
            float s = sign(r[t]);
            int lane = t * qq;
            a[lane] = 0f + Math.abs(r[t]);
            a[lane + 1] = 0f + s;
            int xi = rows[from + t] * dd;
            int j = 0;
            // Unrolled by four by hand: the JIT's vectorised form of a loop this short costs more
            // than it saves (measured: 2.5 -> 2.3 ms an epoch at n = 200 000, d = 4, batch 16).
            for (; j + 3 < dd; j += 4) {
                a[lane + 2 + j] = 0f + s * x[xi + j];
                a[lane + 3 + j] = 0f + s * x[xi + j + 1];
                a[lane + 4 + j] = 0f + s * x[xi + j + 2];
                a[lane + 5 + j] = 0f + s * x[xi + j + 3];
            }
            for (; j < dd; j++) {
                a[lane + 2 + j] = 0f + s * x[xi + j];
            }
        }
        if (m < lanes) {
            Arrays.fill(a, m * qq, lanes * qq, 0f);
        }
    }

    /**
     * Reads the first feature and the target of the next batch's rows, so that their cache lines
     * are on the way while this batch reduces and updates: Java has no prefetch instruction, and
     * with shuffled rows every batch otherwise starts with a wait on memory. The loads feed a
     * field, so the JIT cannot drop them.
     */
    private void touchNextBatch(float[] x, float[] y, int[] rows, int next, int m) {
        int end = Math.min(rows.length, next + m);
        float sum = 0f;
        for (int t = next; t < end; t++) {
            int row = rows[t];
            sum += x[row * d] + y[row];
        }
        touched = sum;
    }

    /** Floats of one segment's lane partials: {@code (d + 2) * LANES}. */
    int segmentBlock() {
        return quantities * LANES;
    }

    /**
     * Lane partials of one segment of {@code count} items starting at {@code rows[first]}, for
     * lanes {@code laneFrom..laneTo-1} only (the rest of {@code acc} is left alone), so that
     * threads can split a segment's lanes. The segment's block starts at {@code acc[base]} and
     * is lane-major, {@code acc[base + l*(d+2) + q]}, so that each tree level is one contiguous
     * (vectorisable) loop. Safe to call from several threads on disjoint lanes, each with its own
     * {@code scratch} of {@link #LANES} floats.
     */
    void accumulateLanes(float[] x, float[] y, int[] rows, int first, int count, int lanes,
            int laneFrom, int laneTo, float[] params, float[] acc, int base, float[] scratch) {
        int qq = quantities;
        int dd = d;
        Arrays.fill(acc, base + laneFrom * qq, base + laneTo * qq, 0f);
        for (int k = 0; k < count; k += lanes) {
            int stop = Math.min(laneTo, count - k);
            // Two passes, as for small batches: first the residuals (independent loads of random
            // rows, many in flight), then the lanes, whose rows are then in L1.
            for (int l = laneFrom; l < stop; l++) {
                scratch[l] = residual(x, y, dd, rows[first + k + l], params);
            }
            for (int l = laneFrom; l < stop; l++) {
                float r = scratch[l];
                float s = sign(r);
                int lane = base + l * qq;
                acc[lane] += Math.abs(r);
                acc[lane + 1] += s;
                int xi = rows[first + k + l] * dd;
                for (int j = 0; j < dd; j++) {
                    acc[lane + 2 + j] += s * x[xi + j];
                }
            }
        }
    }

    /**
     * Reduces one segment's lane partials (block at {@code acc[base]}) by the canonical tree,
     * {@code p[l] += p[l + h]} for h = lanes/2 .. 1 and every quantity at once, and stores the
     * totals in {@code out} (first segment) or adds them to {@code out} (the next segments, in
     * order). Destroys the partials.
     */
    void combine(float[] acc, int base, int lanes, boolean first, float[] out) {
        int qq = quantities;
        for (int h = lanes >> 1; h > 0; h >>= 1) {
            int half = h * qq;
            for (int i = base; i < base + half; i++) {
                acc[i] += acc[i + half];
            }
        }
        for (int q = 0; q < qq; q++) {
            out[q] = first ? acc[base + q] : out[q] + acc[base + q];
        }
    }

    /** Number of features. */
    public int features() {
        return d;
    }
}
