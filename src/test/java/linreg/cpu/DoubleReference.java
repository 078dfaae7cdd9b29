package linreg.cpu;

import linreg.data.Dataset;
import linreg.spec.Permutation;
import linreg.train.TrainConfig;

/**
 * The tutorial's algorithm written plainly in float64, as a yardstick for the float32 engines:
 * residual, sign (sign(0) = 0) times the objective's weight (1 for the MAE), batch loss
 * Σ weight·|r|/m, gradient Σ weight·sign·x / m, then clipping and
 * momentum as PyTorch does them, p -= lr_e·step, same batches in the same permutation. No
 * canonical order, no fma: just the mathematics. With --average the result is the mean of the
 * parameters after every step from the averaging epoch on.
 */
final class DoubleReference {
    /** What the reference computed. */
    record Result(double[] w, double b, double[] epochLoss, double[] epochMae, double minAbsResidual) {}

    static Result train(Dataset data, TrainConfig config) {
        int n = data.samples();
        int d = data.features();
        float[] x = data.x();
        float[] y = data.y();
        float[] start = config.initialParams(d);
        double[] w = new double[d];
        for (int j = 0; j < d; j++) {
            w[j] = start[j];
        }
        double b = start[d];
        int batch = config.batchSize();
        double[] velocity = new double[d + 1];
        double[] epochLoss = new double[config.epochs()];
        double[] epochMae = new double[config.epochs()];
        double minAbs = Double.POSITIVE_INFINITY;
        // --average: the plain mean of the parameters after every step from epoch averageStart on.
        double[] sum = new double[d + 1];
        long averaged = 0;
        for (int e = 0; e < config.epochs(); e++) {
            double lr = config.optimiser().rate(e);
            Permutation perm = Permutation.of(config.permutationSeed(), e, n);
            double loss = 0;
            double abs = 0;
            for (int from = 0; from < n; from += batch) {
                int m = Math.min(batch, n - from);
                double[] gw = new double[d];
                double gb = 0;
                double batchAbs = 0;
                for (int t = 0; t < m; t++) {
                    int i = config.shuffle() ? perm.apply(from + t) : from + t;
                    double r = b - y[i];
                    for (int j = 0; j < d; j++) {
                        r += (double) x[i * d + j] * w[j];
                    }
                    minAbs = Math.min(minAbs, Math.abs(r));
                    // The objective's weights in float64: 2(1 - τ) above the fit, 2τ below (1 for the MAE).
                    double tau = config.objective().tau();
                    double weight = r > 0 ? 2 * (1 - tau) : 2 * tau;
                    double s = Math.signum(r) * weight;
                    batchAbs += weight * Math.abs(r);
                    for (int j = 0; j < d; j++) {
                        gw[j] += s * x[i * d + j] / m;
                    }
                    gb += s / m;
                }
                double[] g = java.util.Arrays.copyOf(gw, d + 1);
                g[d] = gb;
                if (config.optimiser().clip() > 0) {
                    double norm = 0;
                    for (double v : g) {
                        norm += v * v;
                    }
                    norm = Math.sqrt(norm);
                    if (norm > config.optimiser().clip()) {
                        for (int j = 0; j <= d; j++) {
                            g[j] *= config.optimiser().clip() / (norm + 1e-6);
                        }
                    }
                }
                for (int j = 0; j <= d; j++) {
                    double u = g[j];
                    if (config.optimiser().momentum() > 0) {
                        velocity[j] = config.optimiser().momentum() * velocity[j] + g[j];
                        u = config.optimiser().nesterov() ? g[j] + config.optimiser().momentum() * velocity[j] : velocity[j];
                    }
                    if (j < d) {
                        w[j] -= lr * u;
                    } else {
                        b -= lr * u;
                    }
                }
                if (config.optimiser().averages() && e >= config.optimiser().averageStart()) {
                    for (int j = 0; j < d; j++) {
                        sum[j] += w[j];
                    }
                    sum[d] += b;
                    averaged++;
                }
                loss += batchAbs / m;
                abs += batchAbs;
            }
            epochLoss[e] = loss;
            epochMae[e] = abs / n;
        }
        if (averaged > 0) {
            for (int j = 0; j < d; j++) {
                w[j] = sum[j] / averaged;
            }
            b = sum[d] / averaged;
        }
        return new Result(w, b, epochLoss, epochMae, minAbs);
    }

    private DoubleReference() {}
}
