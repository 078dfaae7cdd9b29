package linreg.model;

import linreg.data.Dataset;

/**
 * How well parameters (w, b) fit the τ-quantile of a dataset, in float64: the mean pinball loss
 * {@code ρ_τ(y − p)} (τ·(y − p) for a target above the prediction p, (1 − τ)·(p − y) below)
 * and the fraction of targets below the prediction, which is about τ at a good fit. For
 * weighted samples both are weighted means: Σ v·ρ_τ / Σ v and Σ v·[y < p] / Σ v (the same
 * numbers as unweighted when every weight is 1).
 */
public record QuantileFit(double tau, double pinball, double below) {
    /** The fit of {@code w}, {@code b} (original units) on {@code data}, read block by block. */
    public static QuantileFit of(double tau, double[] w, double b, Dataset data) {
        double[] sums = new double[3]; // Σvρ_τ, weight of the targets below, Σv
        float[] v = data.weighted() ? data.weights().values() : null;
        data.forEachBlock((x, y, first, count) -> {
            for (int i = 0; i < count; i++) {
                double weight = v == null ? 1 : v[first + i];
                double u = y[i] - Metrics.predict(w, b, x, i);
                sums[0] += weight * (u >= 0 ? tau * u : (tau - 1) * u);
                sums[1] += u < 0 ? weight : 0;
                sums[2] += weight;
            }
        });
        return new QuantileFit(tau, sums[0] / sums[2], sums[1] / sums[2]);
    }

    /**
     * τ of a model trained with {@code --loss quantile}, from its training configuration; NaN
     * for the MAE (or a model file from before the loss was recorded).
     */
    public static double tauOf(Model model) {
        return "quantile".equals(model.training().get("loss")) && model.training().get("quantile") instanceof Number t
                ? t.doubleValue() : Double.NaN;
    }
}
