package linreg.bench;

/**
 * Least squares with every coefficient ≥ 0, for the few unknowns of the cost model: each subset
 * of the unknowns is solved by the normal equations with the others held at 0, and the feasible
 * solution with the smallest residual wins. A cost term cannot be negative, and with three
 * unknowns trying all seven subsets is exact and cheap.
 */
final class NonNegativeLeastSquares {
    private NonNegativeLeastSquares() {}

    /**
     * Minimises |A·x − b|² subject to x ≥ 0.
     *
     * @param a rows of A (each of the same length k ≤ 10)
     * @return x, of length k
     */
    static double[] solve(double[][] a, double[] b) {
        int k = a[0].length;
        // Columns scaled to unit size, so that terms of very different magnitude (steps against
        // n·d) do not spoil the elimination.
        double[] scale = new double[k];
        for (double[] row : a) {
            for (int j = 0; j < k; j++) {
                scale[j] = Math.max(scale[j], Math.abs(row[j]));
            }
        }
        double[] best = new double[k];
        double bestResidual = residual(a, b, best);
        for (int subset = 1; subset < (1 << k); subset++) {
            double[] x = solveSubset(a, b, scale, subset);
            if (x == null) {
                continue;
            }
            double r = residual(a, b, x);
            if (r < bestResidual) {
                bestResidual = r;
                best = x;
            }
        }
        return best;
    }

    /** The unconstrained fit on the unknowns in {@code subset}, or null when singular or negative. */
    private static double[] solveSubset(double[][] a, double[] b, double[] scale, int subset) {
        int k = scale.length;
        int[] cols = new int[Integer.bitCount(subset)];
        for (int j = 0, c = 0; j < k; j++) {
            if ((subset & (1 << j)) != 0) {
                if (scale[j] == 0) {
                    return null;
                }
                cols[c++] = j;
            }
        }
        int m = cols.length;
        double[][] normal = new double[m][m + 1];
        for (int i = 0; i < a.length; i++) {
            for (int p = 0; p < m; p++) {
                double ap = a[i][cols[p]] / scale[cols[p]];
                for (int q = 0; q < m; q++) {
                    normal[p][q] += ap * a[i][cols[q]] / scale[cols[q]];
                }
                normal[p][m] += ap * b[i];
            }
        }
        double[] z = gauss(normal);
        if (z == null) {
            return null;
        }
        double[] x = new double[k];
        for (int p = 0; p < m; p++) {
            if (z[p] < 0) {
                return null;
            }
            x[cols[p]] = z[p] / scale[cols[p]];
        }
        return x;
    }

    /** Solves an augmented m×(m+1) system by elimination with partial pivoting; null when singular. */
    private static double[] gauss(double[][] s) {
        int m = s.length;
        for (int col = 0; col < m; col++) {
            int pivot = col;
            for (int r = col + 1; r < m; r++) {
                if (Math.abs(s[r][col]) > Math.abs(s[pivot][col])) {
                    pivot = r;
                }
            }
            if (Math.abs(s[pivot][col]) < 1e-12) {
                return null;
            }
            double[] t = s[col];
            s[col] = s[pivot];
            s[pivot] = t;
            for (int r = 0; r < m; r++) {
                if (r != col) {
                    double f = s[r][col] / s[col][col];
                    for (int c = col; c <= m; c++) {
                        s[r][c] -= f * s[col][c];
                    }
                }
            }
        }
        double[] x = new double[m];
        for (int i = 0; i < m; i++) {
            x[i] = s[i][m] / s[i][i];
        }
        return x;
    }

    private static double residual(double[][] a, double[] b, double[] x) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double r = -b[i];
            for (int j = 0; j < x.length; j++) {
                r += a[i][j] * x[j];
            }
            sum += r * r;
        }
        return sum;
    }
}
