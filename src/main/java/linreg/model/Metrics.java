package linreg.model;

import java.util.function.Consumer;
import linreg.data.Dataset;

/**
 * How well parameters (w, b) fit a dataset, computed in float64: MAE (the mean |residual|, the
 * loss SGD minimises), RMSE, and R² = 1 − Σr² / Σ(y − ȳ)². For a constant target (Σ(y − ȳ)² =
 * 0) R² is undefined: NaN here, "n/a" in the commands' text, null in JSON and model files (the
 * validation metrics of training say the same).
 */
public record Metrics(double mae, double rmse, double r2) {
    /** The metrics of {@code w}, {@code b} (original units) on {@code data}, read block by block. */
    public static Metrics of(double[] w, double b, Dataset data) {
        if (data.features() != w.length) {
            throw new IllegalArgumentException(data.samples() + " rows of " + data.features() + " features, but "
                    + w.length + " weights");
        }
        return of(w, b, data.samples(), data::forEachBlock);
    }

    /** The metrics over n rows that {@code rows} hands over block by block, in order. */
    private static Metrics of(double[] w, double b, int n, Consumer<Dataset.Block> rows) {
        double[] sums = new double[3]; // Σ|r|, Σr², Σy
        rows.accept((x, y, first, count) -> {
            for (int i = 0; i < count; i++) {
                double r = y[i] - predict(w, b, x, i);
                sums[0] += Math.abs(r);
                sums[1] += r * r;
                sums[2] += y[i];
            }
        });
        double yMean = sums[2] / n;
        double[] total = new double[1];
        rows.accept((x, y, first, count) -> {
            for (int i = 0; i < count; i++) {
                total[0] += (y[i] - yMean) * (y[i] - yMean);
            }
        });
        double r2 = total[0] > 0 ? 1 - sums[1] / total[0] : Double.NaN;
        return new Metrics(sums[0] / n, Math.sqrt(sums[1] / n), r2);
    }

    /** The metrics of {@code w}, {@code b} on n row-major rows {@code x} with targets {@code y}. */
    public static Metrics of(double[] w, double b, float[] x, float[] y, int n) {
        int d = w.length;
        if ((long) n * d != x.length || y.length != n || n < 1) {
            throw new IllegalArgumentException(n + " rows of " + d + " features, but x holds " + x.length
                    + " values and y " + y.length);
        }
        return of(w, b, n, block -> block.read(x, y, 0, n));
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
