package linreg.model;

import linreg.data.Dataset;

/**
 * How well parameters (w, b) fit the τ-quantile of a dataset, in float64: the mean pinball loss
 * {@code ρ_τ(y − p)} (τ·(y − p) for a target above the prediction p, (1 − τ)·(p − y) below)
 * and the fraction of targets below the prediction, which is about τ at a good fit.
 */
public record QuantileFit(double tau, double pinball, double below) {
    /** The fit of {@code w}, {@code b} (original units) on {@code data}, read block by block. */
    public static QuantileFit of(double tau, double[] w, double b, Dataset data) {
        double[] sums = new double[2]; // Σρ_τ, targets below
        data.forEachBlock((x, y, first, count) -> {
            for (int i = 0; i < count; i++) {
                double u = y[i] - Metrics.predict(w, b, x, i);
                sums[0] += u >= 0 ? tau * u : (tau - 1) * u;
                sums[1] += u < 0 ? 1 : 0;
            }
        });
        return new QuantileFit(tau, sums[0] / data.samples(), sums[1] / data.samples());
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
