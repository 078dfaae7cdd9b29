package linreg.spark;

import linreg.data.Dataset;

/**
 * The least-absolute-deviations fit by iteratively reweighted least squares (weights 1/max(|r|,
 * 1e-9), a (d+1)×(d+1) solve a round), in float64. The core's exact simplex solver builds a dense
 * tableau of n × 3n values, out of reach at 200,000 rows; any parameters' MAE bounds the optimum
 * from above, and IRLS's stops within a few 1e-7 of it on these problems.
 */
final class LeastAbsoluteDeviationsIrls {
    private static final int ROUNDS = 100;

    private LeastAbsoluteDeviationsIrls() {}

    /** w then b. */
    static double[] fit(Dataset data) {
        int n = data.samples();
        int d = data.features();
        int k = d + 1;
        double[] beta = new double[k];
        double[] row = new double[k];
        for (int round = 0; round < ROUNDS; round++) {
            double[][] a = new double[k][k + 1];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    row[j] = data.x()[i * d + j];
                }
                row[d] = 1;
                double r = data.y()[i];
                for (int j = 0; j < k; j++) {
                    r -= beta[j] * row[j];
                }
                double weight = 1 / Math.max(Math.abs(r), 1e-9);
                for (int p = 0; p < k; p++) {
                    for (int q = 0; q < k; q++) {
                        a[p][q] += weight * row[p] * row[q];
                    }
                    a[p][k] += weight * row[p] * data.y()[i];
                }
            }
            beta = solve(a);
        }
        return beta;
    }

    /** The mean |residual| of w, b (params) on the data, in float64. */
    static double mae(double[] params, Dataset data) {
        int d = data.features();
        double sum = 0;
        for (int i = 0; i < data.samples(); i++) {
            double p = params[d];
            for (int j = 0; j < d; j++) {
                p += params[j] * data.x()[i * d + j];
            }
            sum += Math.abs(data.y()[i] - p);
        }
        return sum / data.samples();
    }

    /** Gauss-Jordan with partial pivoting on the augmented k×(k+1) system. */
    private static double[] solve(double[][] a) {
        int k = a.length;
        for (int c = 0; c < k; c++) {
            int pivot = c;
            for (int r = c + 1; r < k; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
                    pivot = r;
                }
            }
            double[] t = a[c];
            a[c] = a[pivot];
            a[pivot] = t;
            for (int r = 0; r < k; r++) {
                if (r != c) {
                    double f = a[r][c] / a[c][c];
                    for (int q = c; q <= k; q++) {
                        a[r][q] -= f * a[c][q];
                    }
                }
            }
        }
        double[] x = new double[k];
        for (int j = 0; j < k; j++) {
            x[j] = a[j][k] / a[j][j];
        }
        return x;
    }
}
