package linreg.train;

/** The canonical sum of docs/algorithm.md §4, written straight from the text: the tests' yardstick. */
public final class CanonicalSums {
    private CanonicalSums() {}

    public static float sum(float[] v) {
        int m = v.length;
        int lanes = m >= 256 ? 256 : Integer.highestOneBit(Math.max(1, 2 * m - 1));
        float total = 0f;
        for (int start = 0, segment = 0; start < m; start += 1024, segment++) {
            float[] p = new float[lanes];
            for (int t = 0; t < Math.min(1024, m - start); t++) {
                p[t % lanes] += v[start + t];
            }
            for (int h = lanes / 2; h >= 1; h /= 2) {
                for (int l = 0; l < h; l++) {
                    p[l] = p[l] + p[l + h];
                }
            }
            total = segment == 0 ? p[0] : total + p[0];
        }
        return total;
    }
}
