package linreg.train;

import linreg.data.Dataset;
import linreg.spec.CanonicalSum;
import linreg.spec.Residual;
import linreg.spec.SampleWeighting;

/**
 * Validation MAE, RMSE and R² of the parameters at an epoch's end (docs/algorithm.md §6): the
 * canonical residuals of the held-out rows, their canonical sums {@code A = Σ|r|} and {@code B =
 * Σ r·r} in float32 (what the GPU's validation kernel computes), then the metrics in float64.
 * R² is NaN where it is undefined (a constant target); the commands print it as "n/a" and null.
 */
public record ValidationMetrics(double mae, double rmse, double r2) {
    /**
     * The float32 sums (A, B) over the rows of {@code data} at {@code params} (w then b); for
     * weighted rows (A, B, V) with the items {@code fl(v·|r|)}, {@code fl(v·fl(r·r))} and v.
     */
    public static float[] sums(Dataset data, float[] params) {
        int v = data.samples();
        int d = data.features();
        float[] abs = new float[v];
        float[] squares = new float[v];
        float[] weights = data.weighted() ? data.weights().values() : null;
        data.forEachBlock((x, y, first, count) -> {
            for (int i = 0; i < count; i++) {
                float r = Residual.residual(x, y, d, i, params);
                abs[first + i] = Math.abs(r);
                squares[first + i] = r * r;
                if (weights != null) {
                    abs[first + i] = SampleWeighting.loss(weights[first + i], abs[first + i]);
                    squares[first + i] = SampleWeighting.loss(weights[first + i], squares[first + i]);
                }
            }
        });
        if (weights != null) {
            return new float[] {CanonicalSum.of(abs), CanonicalSum.of(squares), CanonicalSum.of(weights)};
        }
        return new float[] {CanonicalSum.of(abs), CanonicalSum.of(squares)};
    }

    /**
     * The metrics from the sums: {@code totalSquares} is Σ(y - ȳ)² of the validation targets. R²
     * is NaN, undefined, when that is 0 (a constant target).
     */
    public static ValidationMetrics of(float[] sums, int rows, double totalSquares) {
        // Weighted sums carry their total weight V, which stands for the rows.
        double count = sums.length > 2 ? sums[2] : rows;
        return new ValidationMetrics(sums[0] / count, Math.sqrt(sums[1] / count),
                totalSquares > 0 ? 1 - sums[1] / totalSquares : Double.NaN);
    }

    /** The held-out targets of {@code data} as one array: the array itself, or a copy of the segments. */
    public static float[] targets(Dataset data) {
        float[] y = data.targets().array();
        if (y == null) {
            y = new float[data.samples()];
            data.targets().copyRows(0, data.samples(), y, 0);
        }
        return y;
    }

    /** Σ v(y - ȳ)² in float64, ȳ the weighted mean Σ v·y / Σ v; {@code v} null: every weight 1. */
    public static double totalSquares(float[] y, float[] v) {
        if (v == null) {
            return totalSquares(y);
        }
        double mean = 0;
        double weight = 0;
        for (int i = 0; i < y.length; i++) {
            mean += (double) v[i] * y[i];
            weight += v[i];
        }
        mean /= weight;
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += v[i] * (y[i] - mean) * (y[i] - mean);
        }
        return sum;
    }

    /** Σ(y - ȳ)² in float64. */
    public static double totalSquares(float[] y) {
        double mean = 0;
        for (float v : y) {
            mean += v;
        }
        mean /= y.length;
        double sum = 0;
        for (float v : y) {
            sum += (v - mean) * (v - mean);
        }
        return sum;
    }
}
