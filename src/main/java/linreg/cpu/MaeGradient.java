package linreg.cpu;

import static linreg.spec.CanonicalSum.LANES;
import static linreg.spec.CanonicalSum.SEGMENT;
import static linreg.spec.CanonicalSum.lanes;
import static linreg.spec.Residual.residual;

import java.util.Arrays;
import linreg.spec.CanonicalSum;
import linreg.spec.Objective;
import linreg.spec.SampleWeighting;

/**
 * One mini-batch's loss and gradient in the project's canonical float32 order: the CPU
 * reference of kernels/mae_gradient.cu and the inner step of the CPU engine.
 *
 * <p>For the batch rows {@code rows[from..from+m)} it computes the residuals
 * {@code r_i = (x_i·w + b) - y_i} (dot product as an fma chain, feature 0 first), the slopes
 * {@code s_i} of the {@link Objective} (for the MAE sign(r_i), sign(0) = 0) and the losses
 * {@code ℓ_i} (for the MAE |r_i|), and the sums {@code S = Σ ℓ_i}, {@code G_b = Σ s_i} and
 * {@code G_j = Σ s_i·x_ij}. Every sum runs in the same fixed order: items go to {@link CanonicalSum#lanes(int)}
 * lanes round-robin within segments of {@link CanonicalSum#SEGMENT} items, each lane adds its items in
 * order starting from +0, the lanes meet in a tree ({@code p[l] += p[l+h]}, h halving), and
 * segment totals are added in segment order. A GPU reduction can follow that order exactly, so
 * CPU and GPU produce the same bits. Full definition: docs/algorithm.md.
 *
 * <p>Results go to an {@code out} array of {@code d + 2} floats:
 * {@code out[0] = S, out[1] = G_b, out[2 + j] = G_j}. A weighted reducer ({@link #weighted})
 * takes one weight per row beside y, forms the items of {@link SampleWeighting} and adds one more
 * canonical sum, the batch's total weight {@code V = out[d + 2]}.
 */
public final class MaeGradient {
    private final int d;
    private final Objective objective;
    private final boolean weighted;
    private final int quantities;
    private final float[] acc;
    private final float[] residuals = new float[LANES];
    /** Pending nodes of the small-batch tree, one per level (d + 2 floats each), and the current one. */
    private final float[] pending;
    private final float[] node;
    /** Leaf groups of a batch of {@code groupLanes} lanes in tree order (bit-reversed). */
    private final int[] groupOrder = new int[LANES / 4];
    private int groupLanes;

    /** A reducer of the MAE for d features; holds its own scratch, so one per thread. */
    public MaeGradient(int d) {
        this(d, Objective.MAE);
    }

    /** A reducer of {@code objective} for d features; holds its own scratch, so one per thread. */
    public MaeGradient(int d, Objective objective) {
        this(d, objective, false);
    }

    /**
     * A reducer of {@code objective} for d features, of rows with a weight each when
     * {@code weighted} (then {@code out} holds d + 3 floats, V last).
     */
    public MaeGradient(int d, Objective objective, boolean weighted) {
        this.d = d;
        this.objective = objective;
        this.weighted = weighted;
        this.quantities = SampleWeighting.quantities(d, weighted);
        this.acc = new float[quantities * LANES];
        this.pending = new float[quantities * 8];
        this.node = new float[quantities];
    }

    /** sign(r) with sign(0) = 0 and sign(NaN) = 0: {@link Objective#sign}. */
    public static float sign(float r) {
        return Objective.sign(r);
    }

    /** Sample index of batch item {@code t}: {@code rows[t]}, or t itself for rows in order. */
    private static int row(int[] rows, int t) {
        return rows == null ? t : rows[t];
    }

    /**
     * Loss and gradient sums of the batch {@code rows[from..from+m)} into {@code out}; with
     * {@code rows} null, of rows {@code from..from+m-1} themselves (rows gathered in order).
     *
     * @param x row-major n×d features
     * @param y targets
     * @param rows sample indices in batch order, or null for rows in order
     * @param params w_0..w_{d-1} followed by b
     */
    public void compute(float[] x, float[] y, int[] rows, int from, int m, float[] params,
            float[] out) {
        compute(x, y, null, rows, from, m, params, out);
    }

    /**
     * {@link #compute(float[], float[], int[], int, int, float[], float[])} of rows weighing
     * {@code v[i]} each (indexed as y; null for an unweighted reducer), V into {@code out[d + 2]}.
     */
    public void compute(float[] x, float[] y, float[] v, int[] rows, int from, int m, float[] params,
            float[] out) {
        checkWeights(v);
        int lanes = lanes(m);
        if (lanes >= 4 && m <= LANES) {
            if (d == 4 && v == null) {
                fourFeatureTree(x, y, rows, from, m, lanes, params, out);
            } else {
                tree(x, y, v, rows, from, m, lanes, params, out);
            }
        } else if (m <= LANES) {
            oneItemPerLane(x, y, v, rows, from, m, lanes, params);
            combine(acc, 0, lanes, true, out);
        } else {
            addSegments(x, y, v, rows, from, m, true, params, out);
        }
    }

    private void checkWeights(float[] v) {
        if ((v != null) != weighted) {
            throw new IllegalArgumentException(weighted ? "a weighted reducer needs the rows' weights"
                    : "weights given to an unweighted reducer");
        }
    }

    /** Row {@code row}'s slope item: the objective's slope, times the row's weight when weighted. */
    private float slope(float[] v, int row, float r) {
        float s = objective.slope(r);
        return v == null ? s : SampleWeighting.slope(v[row], s);
    }

    /** Row {@code row}'s loss item: the objective's loss, times the row's weight when weighted. */
    private float loss(float[] v, int row, float r) {
        float l = objective.loss(r);
        return v == null ? l : SampleWeighting.loss(v[row], l);
    }

    /**
     * A part of a batch of more than {@link CanonicalSum#LANES} rows: {@code count} rows from
     * {@code rows[from]} (null rows: from row {@code from} on), a whole number of segments unless
     * it is the batch's last part, added to {@code out} in segment order ({@code start}: the
     * batch's first part, which sets {@code out}). Parts in order give {@link #compute}'s bits
     * for the whole batch.
     */
    public void addSegments(float[] x, float[] y, int[] rows, int from, int count, boolean start, float[] params,
            float[] out) {
        addSegments(x, y, null, rows, from, count, start, params, out);
    }

    /** {@link #addSegments(float[], float[], int[], int, int, boolean, float[], float[])} of weighted rows. */
    public void addSegments(float[] x, float[] y, float[] v, int[] rows, int from, int count, boolean start,
            float[] params, float[] out) {
        checkWeights(v);
        for (int s = 0; s * SEGMENT < count; s++) {
            int first = s * SEGMENT;
            accumulateLanes(x, y, v, rows, from + first, Math.min(SEGMENT, count - first), LANES, 0, LANES, params, acc,
                    0, residuals);
            combine(acc, 0, LANES, start && s == 0, out);
        }
    }

    /**
     * The lane tree of a batch of one row per lane (4 <= lanes, m <= lanes), evaluated depth
     * first: node(l at level h) = node(l, 2h) + node(l + h, 2h), so its leaves come in bit-reversed
     * order and every node is the same sum of the same two values as level by level, with none of
     * the levels' stores and loads. Four leaves at a time in registers, lanes t, t + L/2, t + L/4,
     * t + 3L/4; those groups then meet in a binary counter ({@link #pending}).
     *
     * <p>Two exact shortcuts: lanes past m, all +0, are left out (x + (+0) and x differ only for
     * x = -0), and the leaves' {@code +0 + v} is applied once to the root, since
     * {@code (+0 + a) + (+0 + b) = +0 + (a + b)} for all a, b.
     */
    private void tree(float[] x, float[] y, float[] v, int[] rows, int from, int m, int lanes, float[] params, float[] out) {
        int dd = d;
        int qq = quantities;
        float[] n = node;
        float[] p = pending;
        int[] order = groupOrder(lanes);
        int half = lanes >> 1;
        int quarter = lanes >> 2;
        int top = 0;
        for (int g = 0; g < quarter; g++) {
            int ta = from + order[g];
            int tc = ta + quarter;
            int ra = row(rows, ta);
            int rc = row(rows, tc);
            float va = residual(x, y, dd, ra, params);
            float vc = residual(x, y, dd, rc, params);
            float sa = slope(v, ra, va);
            float sc = slope(v, rc, vc);
            int xa = ra * dd;
            int xc = rc * dd;
            if (tc + half < from + m) {
                int rb = row(rows, ta + half);
                int re = row(rows, tc + half);
                float vb = residual(x, y, dd, rb, params);
                float ve = residual(x, y, dd, re, params);
                float sb = slope(v, rb, vb);
                float se = slope(v, re, ve);
                int xb = rb * dd;
                int xe = re * dd;
                n[0] = (loss(v, ra, va) + loss(v, rb, vb)) + (loss(v, rc, vc) + loss(v, re, ve));
                n[1] = (sa + sb) + (sc + se);
                if (v != null) {
                    n[2 + dd] = (v[ra] + v[rb]) + (v[rc] + v[re]);
                }
                for (int j = 0; j < dd; j++) {
                    n[2 + j] = (sa * x[xa + j] + sb * x[xb + j]) + (sc * x[xc + j] + se * x[xe + j]);
                }
            } else if (ta + half < from + m) {
                int rb = row(rows, ta + half);
                float vb = residual(x, y, dd, rb, params);
                float sb = slope(v, rb, vb);
                int xb = rb * dd;
                n[0] = (loss(v, ra, va) + loss(v, rb, vb)) + loss(v, rc, vc);
                n[1] = (sa + sb) + sc;
                if (v != null) {
                    n[2 + dd] = (v[ra] + v[rb]) + v[rc];
                }
                for (int j = 0; j < dd; j++) {
                    n[2 + j] = (sa * x[xa + j] + sb * x[xb + j]) + sc * x[xc + j];
                }
            } else {
                n[0] = loss(v, ra, va) + loss(v, rc, vc);
                n[1] = sa + sc;
                if (v != null) {
                    n[2 + dd] = v[ra] + v[rc];
                }
                for (int j = 0; j < dd; j++) {
                    n[2 + j] = sa * x[xa + j] + sc * x[xc + j];
                }
            }
            for (int k = g; (k & 1) == 1; k >>= 1) {
                top -= qq;
                for (int q = 0; q < qq; q++) {
                    n[q] = p[top + q] + n[q];
                }
            }
            System.arraycopy(n, 0, p, top, qq);
            top += qq;
        }
        for (int q = 0; q < qq; q++) {
            out[q] = 0f + p[q];
        }
    }

    /** {@link #tree} for rows of four features (the tutorial's), unrolled by hand into registers. */
    private void fourFeatureTree(float[] x, float[] y, int[] rows, int from, int m, int lanes, float[] params,
            float[] out) {
        float w0 = params[0];
        float w1 = params[1];
        float w2 = params[2];
        float w3 = params[3];
        float b = params[4];
        float[] p = pending;
        int[] order = groupOrder(lanes);
        int half = lanes >> 1;
        int quarter = lanes >> 2;
        int top = 0;
        for (int g = 0; g < quarter; g++) {
            int ta = from + order[g];
            int tc = ta + quarter;
            int ra = row(rows, ta);
            int rc = row(rows, tc);
            float va = residual4(x, y, ra, w0, w1, w2, w3, b);
            float vc = residual4(x, y, rc, w0, w1, w2, w3, b);
            float sa = objective.slope(va);
            float sc = objective.slope(vc);
            int xa = ra * 4;
            int xc = rc * 4;
            float n0 = objective.loss(va);
            float n1 = sa;
            float n2 = sa * x[xa];
            float n3 = sa * x[xa + 1];
            float n4 = sa * x[xa + 2];
            float n5 = sa * x[xa + 3];
            float c0 = objective.loss(vc);
            float c1 = sc;
            float c2 = sc * x[xc];
            float c3 = sc * x[xc + 1];
            float c4 = sc * x[xc + 2];
            float c5 = sc * x[xc + 3];
            if (ta + half < from + m) {
                int rb = row(rows, ta + half);
                float vb = residual4(x, y, rb, w0, w1, w2, w3, b);
                float sb = objective.slope(vb);
                int xb = rb * 4;
                n0 += objective.loss(vb);
                n1 += sb;
                n2 += sb * x[xb];
                n3 += sb * x[xb + 1];
                n4 += sb * x[xb + 2];
                n5 += sb * x[xb + 3];
            }
            if (tc + half < from + m) {
                int re = row(rows, tc + half);
                float ve = residual4(x, y, re, w0, w1, w2, w3, b);
                float se = objective.slope(ve);
                int xe = re * 4;
                c0 += objective.loss(ve);
                c1 += se;
                c2 += se * x[xe];
                c3 += se * x[xe + 1];
                c4 += se * x[xe + 2];
                c5 += se * x[xe + 3];
            }
            n0 += c0;
            n1 += c1;
            n2 += c2;
            n3 += c3;
            n4 += c4;
            n5 += c5;
            for (int k = g; (k & 1) == 1; k >>= 1) {
                top -= 6;
                n0 = p[top] + n0;
                n1 = p[top + 1] + n1;
                n2 = p[top + 2] + n2;
                n3 = p[top + 3] + n3;
                n4 = p[top + 4] + n4;
                n5 = p[top + 5] + n5;
            }
            p[top] = n0;
            p[top + 1] = n1;
            p[top + 2] = n2;
            p[top + 3] = n3;
            p[top + 4] = n4;
            p[top + 5] = n5;
            top += 6;
        }
        for (int q = 0; q < 6; q++) {
            out[q] = 0f + p[q];
        }
    }

    /** {@link #residual} for d = 4 with the parameters in registers. */
    private static float residual4(float[] x, float[] y, int row, float w0, float w1, float w2, float w3, float b) {
        int base = row * 4;
        float acc = x[base] * w0;
        acc = Math.fma(x[base + 1], w1, acc);
        acc = Math.fma(x[base + 2], w2, acc);
        acc = Math.fma(x[base + 3], w3, acc);
        return (acc + b) - y[row];
    }

    /** Group g's first lane in tree order: g's bits reversed, for groups of four lanes. */
    private int[] groupOrder(int lanes) {
        if (groupLanes != lanes) {
            int bits = Integer.numberOfTrailingZeros(lanes >> 2);
            for (int g = 0; g < lanes >> 2; g++) {
                groupOrder[g] = bits == 0 ? 0 : Integer.reverse(g) >>> (32 - bits);
            }
            groupLanes = lanes;
        }
        return groupOrder;
    }

    /**
     * The lane partials of a batch of at most two rows, where lane t holds item t alone:
     * {@code +0 + v} (which only turns a -0 into +0), and lanes past m hold +0.
     */
    private void oneItemPerLane(float[] x, float[] y, float[] v, int[] rows, int from, int m, int lanes,
            float[] params) {
        float[] a = acc;
        float[] r = residuals;
        int dd = d;
        int qq = quantities;
        // Two passes: the residual pass has only independent loads, so the core keeps many
        // random rows in flight; the second pass finds them in L1.
        for (int t = 0; t < m; t++) {
            r[t] = residual(x, y, dd, row(rows, from + t), params);
        }
        for (int t = 0; t < m; t++) {
            int row = row(rows, from + t);
            float s = slope(v, row, r[t]);
            int lane = t * qq;
            a[lane] = 0f + loss(v, row, r[t]);
            a[lane + 1] = 0f + s;
            if (v != null) {
                a[lane + 2 + dd] = 0f + v[row];
            }
            int xi = row * dd;
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
     * {@code scratch} of {@link CanonicalSum#LANES} floats.
     */
    void accumulateLanes(float[] x, float[] y, float[] v, int[] rows, int first, int count, int lanes,
            int laneFrom, int laneTo, float[] params, float[] acc, int base, float[] scratch) {
        int qq = quantities;
        int dd = d;
        Arrays.fill(acc, base + laneFrom * qq, base + laneTo * qq, 0f);
        for (int k = 0; k < count; k += lanes) {
            int stop = Math.min(laneTo, count - k);
            // Two passes, as for small batches: first the residuals (independent loads of random
            // rows, many in flight), then the lanes, whose rows are then in L1.
            for (int l = laneFrom; l < stop; l++) {
                scratch[l] = residual(x, y, dd, row(rows, first + k + l), params);
            }
            for (int l = laneFrom; l < stop; l++) {
                float r = scratch[l];
                int row = row(rows, first + k + l);
                float s = slope(v, row, r);
                int lane = base + l * qq;
                acc[lane] += loss(v, row, r);
                acc[lane + 1] += s;
                if (v != null) {
                    acc[lane + 2 + dd] += v[row];
                }
                int xi = row * dd;
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

    /** Whether the rows carry weights (then V is {@code out[d + 2]}). */
    public boolean weighted() {
        return weighted;
    }

    /** The loss whose sums this reducer computes. */
    public Objective objective() {
        return objective;
    }
}
