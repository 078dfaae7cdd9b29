package linreg.model;

import java.util.function.Consumer;
import linreg.data.Dataset;

/**
 * How well parameters (w, b) fit a dataset, computed in float64: MAE (the mean |residual|, the
 * loss SGD minimises), RMSE, and R² = 1 − Σr² / Σ(y − ȳ)². For a constant target (Σ(y − ȳ)² =
 * 0) R² is undefined: NaN here, "n/a" in the commands' text, null in JSON and model files (the
 * validation metrics of training say the same).
 *
 * <p>Weighted samples ({@link Dataset#weights}) give the weighted forms, every mean over the
 * total weight V = Σv: MAE = Σ v|r| / V, RMSE = sqrt(Σ v r² / V), R² = 1 − Σ v r² / Σ v(y − ȳ)²
 * with ȳ = Σ v y / V. With every weight 1 these are the unweighted values, bit for bit.
 */
public record Metrics(double mae, double rmse, double r2) {
    /** The metrics of {@code w}, {@code b} (original units) on {@code data}, read block by block. */
    public static Metrics of(double[] w, double b, Dataset data) {
        if (data.features() != w.length) {
            throw new IllegalArgumentException(data.samples() + " rows of " + data.features() + " features, but "
                    + w.length + " weights");
        }
        return of(w, b, data.samples(), data.weighted() ? data.weights().values() : null, data::forEachBlock);
    }

    /**
     * The metrics over n rows that {@code rows} hands over block by block, in order, row i
     * weighing {@code v[i]} ({@code v} null: 1 each).
     */
    private static Metrics of(double[] w, double b, int n, float[] v, Consumer<Dataset.Block> rows) {
        double[] sums = new double[4]; // Σv|r|, Σvr², Σvy, Σv
        rows.accept((x, y, first, count) -> {
            for (int i = 0; i < count; i++) {
                double weight = v == null ? 1 : v[first + i];
                double r = y[i] - predict(w, b, x, i);
                sums[0] += weight * Math.abs(r);
                sums[1] += weight * (r * r);
                sums[2] += weight * y[i];
                sums[3] += weight;
            }
        });
        double total = sums[3];
        double yMean = sums[2] / total;
        double[] squares = new double[1];
        rows.accept((x, y, first, count) -> {
            for (int i = 0; i < count; i++) {
                double weight = v == null ? 1 : v[first + i];
                squares[0] += weight * ((y[i] - yMean) * (y[i] - yMean));
            }
        });
        double r2 = squares[0] > 0 ? 1 - sums[1] / squares[0] : Double.NaN;
        return new Metrics(sums[0] / total, Math.sqrt(sums[1] / total), r2);
    }

    /** The metrics of {@code w}, {@code b} on n row-major rows {@code x} with targets {@code y}. */
    public static Metrics of(double[] w, double b, float[] x, float[] y, int n) {
        int d = w.length;
        if ((long) n * d != x.length || y.length != n || n < 1) {
            throw new IllegalArgumentException(n + " rows of " + d + " features, but x holds " + x.length
                    + " values and y " + y.length);
        }
        return of(w, b, n, null, block -> block.read(x, y, 0, n));
    }

    /** b + Σ w_j·x_ij in float64. */
    static double predict(double[] w, double b, float[] x, int row) {
        int d = w.length;
        int at = row * d;
        double p = b;
        for (int j = 0; j < d; j++) {
            p += w[j] * x[at + j];
        }
        return p;
    }
}
