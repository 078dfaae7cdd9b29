package linreg.model;

import linreg.data.Dataset;

/**
 * How well parameters (w, b) fit a dataset, computed in float64: MAE (the mean |residual|, the
 * loss SGD minimises), RMSE, and R² = 1 − Σr² / Σ(y − ȳ)². For a constant target (Σ(y − ȳ)² =
 * 0) R² is undefined: NaN here, "n/a" in the commands' text, null in JSON and model files (the
 * validation metrics of training say the same).
 */
public record Metrics(double mae, double rmse, double r2) {
    /** The metrics of {@code w}, {@code b} (original units) on {@code data}. */
    public static Metrics of(double[] w, double b, Dataset data) {
        return of(w, b, data.x(), data.y(), data.samples());
    }

    /** The metrics of {@code w}, {@code b} on n row-major rows {@code x} with targets {@code y}. */
    public static Metrics of(double[] w, double b, float[] x, float[] y, int n) {
        int d = w.length;
        if ((long) n * d != x.length || y.length != n || n < 1) {
            throw new IllegalArgumentException(n + " rows of " + d + " features, but x holds " + x.length
                    + " values and y " + y.length);
        }
        double absSum = 0;
        double squareSum = 0;
        double yMean = 0;
        for (int i = 0; i < n; i++) {
            double r = y[i] - predict(w, b, x, i);
            absSum += Math.abs(r);
            squareSum += r * r;
            yMean += y[i];
        }
        yMean /= n;
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += (y[i] - yMean) * (y[i] - yMean);
        }
        double r2 = total > 0 ? 1 - squareSum / total : Double.NaN;
        return new Metrics(absSum / n, Math.sqrt(squareSum / n), r2);
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
