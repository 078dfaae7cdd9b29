package linreg.train;

import linreg.cpu.MaeGradient;
import linreg.data.Dataset;
import linreg.spec.CanonicalSum;
import linreg.spec.Residual;

/**
 * Whether another engine's run of a problem agrees with the CPU engine's run of it (same data,
 * start and batches), within a tolerance derived from float32 rounding, not picked by hand.
 *
 * <p>Both engines follow docs/algorithm.md; the only computation they may round differently is
 * a prediction summed by a library (cuBLAS gemv) in its own order. Where that could change a
 * residual's sign, the GPU kernel recomputes the residual canonically ({@link
 * MaeGradient#checkedResidual}), so every gradient, and so every parameter, must be
 * <b>bit-identical</b>. The epoch losses sum |r|, which may differ by the residuals' rounding:
 * at most half the sign margin per sample (≈ {@code (2d + 8)·2^-24·(Σ|x_j w_j| + |p| + |b| +
 * |y|)}) plus the sums' own rounding, {@code (2·depth + 4)·2^-24} relative, depth being the
 * additions on a path of the canonical sum ({@code 8 + 4 + segments}). The margin is taken at the
 * final parameters (the scale of the predictions), per unit of that epoch's mean |r|.
 */
public final class Agreement {
    /**
     * How two results differ.
     *
     * @param epochLossRelative per epoch, |loss_a - loss_b| / |loss_a|
     */
    public record Difference(double maxAbsDw, double absDb, double[] epochLossRelative, boolean parametersIdentical,
            boolean bitIdentical) {
        /** The largest per-epoch relative loss difference. */
        public double maxLossRelative() {
            double max = 0;
            for (double v : epochLossRelative) {
                max = Math.max(max, v);
            }
            return max;
        }
    }

    /**
     * The verdict.
     *
     * @param lossTolerance per epoch, the largest relative loss difference allowed
     * @param worstEpoch the epoch whose loss difference is nearest its tolerance, or -1
     */
    public record Verdict(Difference difference, double[] lossTolerance, boolean agree, int worstEpoch) {}

    private Agreement() {}

    public static Difference difference(TrainResult a, TrainResult b) {
        double dw = 0;
        boolean params = a.b() == b.b();
        for (int j = 0; j < a.w().length; j++) {
            dw = Math.max(dw, Math.abs((double) a.w()[j] - b.w()[j]));
            params &= a.w()[j] == b.w()[j];
        }
        boolean losses = a.epochs() == b.epochs();
        double[] loss = new double[Math.min(a.epochs(), b.epochs())];
        for (int e = 0; e < loss.length; e++) {
            double la = a.epochLoss()[e];
            double lb = b.epochLoss()[e];
            loss[e] = la == lb ? 0 : Math.abs(la - lb) / Math.abs(la);
            losses &= la == lb;
        }
        return new Difference(dw, Math.abs((double) a.b() - b.b()), loss, params, params && losses);
    }

    /** Per epoch, the relative loss difference that rounding of the residuals can explain. */
    public static double[] lossTolerance(Dataset data, TrainConfig config, TrainResult reference) {
        int depth = 8 + 4 + CanonicalSum.segments(Math.min(config.batchSize(), data.samples()));
        double sums = (2.0 * depth + 4) * 0x1p-24;
        double margin = meanHalfMargin(data, reference);
        double[] tolerance = new double[reference.epochs()];
        for (int e = 0; e < tolerance.length; e++) {
            tolerance[e] = margin / reference.epochMae()[e] + sums;
        }
        return tolerance;
    }

    /** Compares {@code other} with {@code reference}, the CPU engine's run of {@code config} on {@code data}. */
    public static Verdict verdict(Dataset data, TrainConfig config, TrainResult reference, TrainResult other) {
        Difference d = difference(reference, other);
        double[] tolerance = lossTolerance(data, config, reference);
        boolean agree = d.parametersIdentical() && reference.epochs() == other.epochs();
        int worst = -1;
        double worstRatio = -1;
        for (int e = 0; e < d.epochLossRelative().length; e++) {
            double ratio = d.epochLossRelative()[e] / tolerance[e];
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worst = e;
            }
            agree &= d.epochLossRelative()[e] <= tolerance[e];
        }
        return new Verdict(d, tolerance, agree, worst);
    }

    /**
     * Half the mean {@link MaeGradient#signMargin} over the samples, at the final parameters;
     * weighted samples give the weighted mean, as their losses are weighted means.
     */
    static double meanHalfMargin(Dataset data, TrainResult result) {
        int d = data.features();
        float[] params = result.params();
        float[] v = data.weighted() ? data.weights().values() : null;
        double[] sum = {0, 0};
        data.forEachBlock((x, y, first, count) -> {
            for (int i = 0; i < count; i++) {
                float p = Residual.residual(x, y, d, i, params) + y[i] - params[d];
                double weight = v == null ? 1 : v[first + i];
                sum[0] += weight * Residual.signMargin(p, x, y, d, i, params);
                sum[1] += weight;
            }
        });
        return sum[0] / (2.0 * (v == null ? data.samples() : sum[1]));
    }
}
