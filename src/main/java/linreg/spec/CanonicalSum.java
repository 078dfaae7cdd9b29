package linreg.spec;

import linreg.cpu.MaeGradient;

/**
 * The canonical sum of docs/algorithm.md §4, written straight from the text for one array of
 * items: lanes round-robin within segments of 1024, a tree over the lanes, segments in order.
 * The CPU engine's MaeGradient is its fast form for the gradient; this one serves sums that run once an
 * epoch (validation) and is the tests' yardstick.
 */
public final class CanonicalSum {
    /** Widest lane count of the canonical reduction. */
    public static final int LANES = 256;
    /** Items per segment; a multiple of {@link #LANES}. */
    public static final int SEGMENT = 1024;

    private CanonicalSum() {}

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

    public static float of(float[] v) {
        return of(v, v.length);
    }

    /** The canonical sum of {@code v[0..m)}. */
    public static float of(float[] v, int m) {
        int lanes = lanes(m);
        float total = 0f;
        float[] p = new float[lanes];
        for (int start = 0; start < m; start += SEGMENT) {
            java.util.Arrays.fill(p, 0f);
            for (int t = 0; t < Math.min(SEGMENT, m - start); t++) {
                p[t % lanes] += v[start + t];
            }
            for (int h = lanes / 2; h >= 1; h /= 2) {
                for (int l = 0; l < h; l++) {
                    p[l] = p[l] + p[l + h];
                }
            }
            total = start == 0 ? p[0] : total + p[0];
        }
        return total;
    }
}
