package linreg.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import linreg.cpu.MaeGradient;
import linreg.data.Dataset;
import linreg.data.SyntheticData;
import linreg.spec.CanonicalSum;
import linreg.spec.Permutation;
import linreg.spec.Residual;
import linreg.spec.SgdUpdate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The compare verdict, and the sign check that makes it exact, on runs whose relation is known:
 * identical runs; a run whose predictions are summed in another order (as cuBLAS gemv may) and
 * pass through {@link MaeGradient#checkedResidual}; runs of another algorithm.
 */
class AgreementTest {
    private static final Dataset TUTORIAL = SyntheticData.generate(500, SyntheticData.TUTORIAL_W, 1.1f, 3);
    private static final TrainConfig CONFIG = TrainConfig.builder().seed(3).build();

    /**
     * The GPU pipeline's step on the CPU: predictions summed in reverse feature order with
     * separate roundings (another valid order), residuals through the sign check, then the
     * canonical sums (written from the spec) and update.
     */
    static TrainResult otherOrderRun(Dataset data, TrainConfig config) {
        int n = data.samples();
        int d = data.features();
        float[] x = data.x();
        float[] params = config.initialParams(d);
        SgdUpdate update = config.update(d);
        double[] loss = new double[config.epochs()];
        double[] mae = new double[config.epochs()];
        for (int e = 0; e < config.epochs(); e++) {
            Permutation perm = Permutation.of(config.permutationSeed(), e, n);
            double absSum = 0;
            for (int from = 0; from < n; from += config.batchSize()) {
                int m = Math.min(config.batchSize(), n - from);
                float[][] items = new float[d + 2][m];
                for (int t = 0; t < m; t++) {
                    int row = config.shuffle() ? perm.apply(from + t) : from + t;
                    float p = 0f;
                    for (int j = d - 1; j >= 0; j--) {
                        p += x[row * d + j] * params[j];
                    }
                    float r = Residual.checkedResidual(p, x, data.y(), d, row, params);
                    float s = MaeGradient.sign(r);
                    items[0][t] = Math.abs(r);
                    items[1][t] = s;
                    for (int j = 0; j < d; j++) {
                        items[2 + j][t] = s * x[row * d + j];
                    }
                }
                float[] sums = new float[d + 2];
                for (int q = 0; q < d + 2; q++) {
                    sums[q] = CanonicalSum.of(items[q]);
                }
                loss[e] += sums[0] / m;
                absSum += sums[0];
                update.apply(params, sums, m, config.optimiser().rate(e));
            }
            mae[e] = absSum / n;
        }
        return new TrainResult("other-order", "", Arrays.copyOf(params, d), params[d], loss, mae, new double[config.epochs()], 0);
    }

    @Test
    void identicalRunsAreBitIdentical() {
        TrainResult a = Engines.cpu().train(TUTORIAL, CONFIG);
        TrainResult b = Engines.cpu().train(TUTORIAL, TrainConfig.builder().seed(3).threads(2).build());
        Agreement.Verdict v = Agreement.verdict(TUTORIAL, CONFIG, a, b);
        assertTrue(v.difference().bitIdentical());
        assertTrue(v.agree());
    }

    @ParameterizedTest(name = "n={0} d={1} batch={2}")
    @CsvSource({"500, 4, 16", "20000, 4, 16", "20000, 13, 64", "5000, 300, 32", "30000, 3, 3000"})
    void anotherSummationOrderKeepsTheParametersBitIdentical(int n, int d, int batch) {
        Dataset data = SyntheticData.generate(n, SyntheticData.trueW(d), 0.7f, n + d);
        TrainConfig config = TrainConfig.builder().seed(11).epochs(8).batchSize(batch).lr(0.02f).build();
        TrainResult reference = Engines.cpu().train(data, config);
        TrainResult other = otherOrderRun(data, config);
        assertArrayEquals(reference.w(), other.w(), "w");
        assertTrue(reference.b() == other.b(), "b");
        Agreement.Verdict v = Agreement.verdict(data, config, reference, other);
        assertTrue(v.agree(), "worst epoch " + v.worstEpoch() + ": " + Arrays.toString(v.difference().epochLossRelative())
                + " vs " + Arrays.toString(v.lossTolerance()));
    }

    @Test
    void withoutTheSignCheckTheRunsPart() {
        // The same other-order run taking gemv's residual as it is: somewhere a sign flips and
        // the parameters part, which is why the kernel checks the sign.
        Dataset data = SyntheticData.generate(20000, SyntheticData.trueW(4), 0.7f, 5);
        TrainConfig config = TrainConfig.builder().seed(11).epochs(8).batchSize(16).lr(0.02f).build();
        TrainResult reference = Engines.cpu().train(data, config);
        int flips = 0;
        float[] params = config.initialParams(4);
        for (int i = 0; i < data.samples(); i++) {
            float p = 0f;
            for (int j = 3; j >= 0; j--) {
                p += data.x()[i * 4 + j] * reference.w()[j];
            }
            params = reference.params();
            float unchecked = (p + params[4]) - data.y()[i];
            flips += MaeGradient.sign(unchecked) != MaeGradient.sign(Residual.residual(data.x(), data.y(), 4, i, params)) ? 1 : 0;
        }
        assertTrue(flips > 0, "expected at least one residual whose sign depends on the order");
    }

    @Test
    void anotherAlgorithmDiffers() {
        TrainResult reference = Engines.cpu().train(TUTORIAL, CONFIG);
        TrainResult otherLr = Engines.cpu().train(TUTORIAL, TrainConfig.builder().seed(3).lr(0.051f).build());
        assertFalse(Agreement.verdict(TUTORIAL, CONFIG, reference, otherLr).agree(), "lr 0.051 instead of 0.05");
        TrainResult otherOrder = Engines.cpu().train(TUTORIAL, TrainConfig.builder().seed(3).shuffle(false)
                .initW(Arrays.copyOf(CONFIG.initialParams(4), 4)).build());
        assertFalse(Agreement.verdict(TUTORIAL, CONFIG, reference, otherOrder).agree(), "batches in row order");
        TrainResult otherBatch = Engines.cpu().train(TUTORIAL, TrainConfig.builder().seed(3).batchSize(17).build());
        assertFalse(Agreement.verdict(TUTORIAL, CONFIG, reference, otherBatch).agree(), "batch 17 instead of 16");
    }
}
