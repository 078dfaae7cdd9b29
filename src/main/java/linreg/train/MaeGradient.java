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
     * The canonical residual of row {@code row}: {@code x_i0·w_0}, then an fma chain over the
     * other features in order, then {@code + b}, then {@code - y_i}.
     *
     * @param params w_0..w_{d-1} followed by b
     */
    public static float residual(float[] x, float[] y, int d, int row, float[] params) {
        int base = row * d;
        float acc = x[base] * params[0];
        for (int j = 1; j < d; j++) {
            acc = Math.fma(x[base + j], params[j], acc);
        }
        return (acc + params[d]) - y[row];
    }

    /** sign(r) with sign(0) = 0 and sign(NaN) = 0 (the NaN still reaches the loss). */
    public static float sign(float r) {
        return r > 0f ? 1f : (r < 0f ? -1f : 0f);
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
        int segments = segments(m);
        for (int s = 0; s < segments; s++) {
            int start = s * SEGMENT;
            int count = Math.min(SEGMENT, m - start);
            accumulateLanes(x, y, rows, from + start, count, lanes, 0, lanes, params, acc, 0);
            combine(acc, 0, lanes, s == 0, out);
        }
    }

    /** Floats of one segment's lane partials: {@code (d + 2) * LANES}. */
    int segmentBlock() {
        return quantities * LANES;
    }

    /**
     * Lane partials of one segment of {@code count} items starting at {@code rows[first]}, for
     * lanes {@code laneFrom..laneTo-1} only (the rest of {@code acc} is left alone), so that
     * threads can split a segment's lanes. The segment's block starts at {@code acc[base]} and
     * is quantity-major: {@code acc[base + q*LANES + l]}. Safe to call from several threads on
     * disjoint lanes.
     */
    void accumulateLanes(float[] x, float[] y, int[] rows, int first, int count, int lanes,
            int laneFrom, int laneTo, float[] params, float[] acc, int base) {
        for (int q = 0; q < quantities; q++) {
            Arrays.fill(acc, base + q * LANES + laneFrom, base + q * LANES + laneTo, 0f);
        }
        for (int k = 0; k < count; k += lanes) {
            int stop = Math.min(laneTo, count - k);
            for (int l = laneFrom; l < stop; l++) {
                int row = rows[first + k + l];
                float r = residual(x, y, d, row, params);
                float s = sign(r);
                acc[base + l] += Math.abs(r);
                acc[base + LANES + l] += s;
                int xi = row * d;
                for (int j = 0; j < d; j++) {
                    acc[base + (2 + j) * LANES + l] += s * x[xi + j];
                }
            }
        }
    }

    /**
     * Reduces one segment's lane partials (block at {@code acc[base]}) by the canonical tree and
     * stores its totals in {@code out} (first segment) or adds them to {@code out} (the next
     * segments, in order).
     */
    void combine(float[] acc, int base, int lanes, boolean first, float[] out) {
        for (int q = 0; q < quantities; q++) {
            float total = tree(acc, base + q * LANES, lanes);
            out[q] = first ? total : out[q] + total;
        }
    }

    /** {@code p[l] += p[l + h]} for h = lanes/2 .. 1; destroys the partials, returns p[0]. */
    static float tree(float[] p, int offset, int lanes) {
        for (int h = lanes >> 1; h > 0; h >>= 1) {
            for (int l = 0; l < h; l++) {
                p[offset + l] += p[offset + l + h];
            }
        }
        return p[offset];
    }

    /** Number of features. */
    public int features() {
        return d;
    }
}
