package linreg.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import linreg.data.DataException;
import linreg.data.Dataset;
import linreg.data.SampleWeights;
import linreg.data.SyntheticData;
import linreg.spec.CanonicalSum;
import linreg.spec.Objective;
import linreg.spec.Residual;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import org.junit.jupiter.api.Test;

/** Sample weights in the CPU engine: the identities of docs/algorithm.md §4, "Sample weights". */
class SampleWeightsTest {
    private static SampleWeights weights(float[] v) {
        try {
            return SampleWeights.of(v, "test", "test");
        } catch (DataException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int[] bits(TrainResult r) {
        int[] b = new int[r.w().length + 1];
        for (int j = 0; j < r.w().length; j++) {
            b[j] = Float.floatToIntBits(r.w()[j]);
        }
        b[r.w().length] = Float.floatToIntBits(r.b());
        return b;
    }

    private static long[] lossBits(TrainResult r) {
        return Arrays.stream(r.epochLoss()).mapToLong(Double::doubleToLongBits).toArray();
    }

    /** Weights of 1 compute the unweighted bits in every path: tree, one lane, segments, the feed, threads, validation. */
    @Test
    void allOnesIsUnweightedBitForBit() {
        for (int d : new int[] {4, 7, 40}) {
            for (int batch : new int[] {1, 2, 16, 1000, 3000}) {
                for (boolean shuffle : new boolean[] {true, false}) {
                    Dataset data = SyntheticData.generate(5000, SyntheticData.trueW(d), 1.1f, 7 + d);
                    float[] ones = new float[data.samples()];
                    Arrays.fill(ones, 1f);
                    for (Objective objective : new Objective[] {Objective.MAE, Objective.quantile(0.8)}) {
                        for (int threads : new int[] {1, 2}) {
                            TrainConfig config = TrainConfig.builder().lr(0.01f).epochs(2).batchSize(batch)
                                    .shuffle(shuffle).objective(objective).threads(threads)
                                    .validation(batch == 16 && objective.isMae() ? 0.2 : null).seed(3).build();
                            TrainResult plain = new CpuTrainer(threads).train(data, config);
                            TrainResult weighted = new CpuTrainer(threads).train(data.withWeights(weights(ones)), config);
                            String where = "d " + d + ", batch " + batch + ", shuffle " + shuffle + ", " + objective
                                    + ", threads " + threads;
                            assertArrayEquals(bits(plain), bits(weighted), where);
                            assertArrayEquals(lossBits(plain), lossBits(weighted), where);
                            assertArrayEquals(Arrays.stream(plain.epochMae()).mapToLong(Double::doubleToLongBits).toArray(),
                                    Arrays.stream(weighted.epochMae()).mapToLong(Double::doubleToLongBits).toArray(), where);
                            if (plain.validation() != null) {
                                assertEquals(plain.validation()[1], weighted.validation()[1], where);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Rows in segments (read through the feed, unshuffled too) take their weights along: all ones, the unweighted bits. */
    @Test
    void segmentedRowsKeepTheirWeights() {
        Dataset data = SyntheticData.generate(3000, SyntheticData.trueW(5), 0.5f, 2);
        float[] ones = new float[data.samples()];
        Arrays.fill(ones, 1f);
        float[] halves = new float[data.samples()];
        Arrays.fill(halves, 0.5f);
        for (boolean shuffle : new boolean[] {true, false}) {
            for (int batch : new int[] {16, 2500}) {
                TrainConfig config = TrainConfig.builder().lr(0.01f).epochs(2).batchSize(batch).shuffle(shuffle).seed(9)
                        .build();
                TrainResult plain = new CpuTrainer(1).train(data, config);
                Dataset segmented = data.withWeights(weights(ones)).inSegments(37);
                assertArrayEquals(bits(plain), bits(new CpuTrainer(1).train(segmented, config)),
                        "shuffle " + shuffle + ", batch " + batch);
                // weights of one half: every item and V halve exactly, so the steps are the same too
                assertArrayEquals(bits(plain), bits(new CpuTrainer(1).train(data.withWeights(weights(halves))
                        .inSegments(37), config)), "halves, shuffle " + shuffle + ", batch " + batch);
            }
        }
    }

    /**
     * Features and targets on a grid of small integers: every product s·v·x and every sum of
     * the gradient is an exact integer in float32, so the gradient does not depend on the order of
     * its sums and integer weights give the bits of repeated rows (the losses, sums of |r| at
     * parameters off the grid, are equal to rounding only and are not compared).
     */
    private static Dataset gridData(int n, int d, long seed, SplittableRandom random) {
        float[] x = new float[n * d];
        float[] y = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextInt(-8, 9);
        }
        for (int i = 0; i < n; i++) {
            y[i] = random.nextInt(-50, 51);
        }
        return Dataset.of(x, y, d, "grid " + seed, null, null);
    }

    @Test
    void integerWeightsInOneFullBatchEqualRepeatedRows() {
        SplittableRandom random = new SplittableRandom(11);
        int n = 300;
        int d = 3;
        Dataset data = gridData(n, d, 11, random);
        float[] v = new float[n];
        int total = 0;
        for (int i = 0; i < n; i++) {
            v[i] = random.nextInt(0, 4);
            total += (int) v[i];
        }
        v[0] = 2;
        total = 0;
        for (float w : v) {
            total += (int) w;
        }
        float[] rx = new float[total * d];
        float[] ry = new float[total];
        int at = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < (int) v[i]; k++) {
                System.arraycopy(data.x(), i * d, rx, at * d, d);
                ry[at++] = data.y()[i];
            }
        }
        Dataset repeated = Dataset.of(rx, ry, d, "repeated", null, null);
        float[] w0 = {0.25f, -0.5f, 0.125f};
        TrainConfig weightedRun = TrainConfig.builder().lr(0.01f).epochs(20).batchSize(n).shuffle(false).initW(w0)
                .initB(0.5f).seed(1).build();
        TrainConfig repeatedRun = weightedRun.toBuilder().batchSize(total).build();
        TrainResult a = new CpuTrainer(1).train(data.withWeights(weights(v)), weightedRun);
        TrainResult b = new CpuTrainer(1).train(repeated, repeatedRun);
        assertArrayEquals(bits(b), bits(a));
        assertNotEquals(Float.floatToIntBits(0.5f), Float.floatToIntBits(a.b()), "the run moved");
    }

    @Test
    void weightZeroRemovesARowFromAFullBatchRun() {
        SplittableRandom random = new SplittableRandom(5);
        int n = 200;
        int d = 2;
        Dataset data = gridData(n, d, 5, random);
        float[] v = new float[n];
        Arrays.fill(v, 1f);
        int dropped = 77;
        v[dropped] = 0f;
        float[] kx = new float[(n - 1) * d];
        float[] ky = new float[n - 1];
        for (int i = 0, at = 0; i < n; i++) {
            if (i != dropped) {
                System.arraycopy(data.x(), i * d, kx, at * d, d);
                ky[at++] = data.y()[i];
            }
        }
        TrainConfig full = TrainConfig.builder().lr(0.02f).epochs(15).batchSize(n).shuffle(false)
                .initW(new float[] {0.5f, 0.25f}).initB(0f).seed(1).build();
        TrainResult weighted = new CpuTrainer(1).train(data.withWeights(weights(v)), full);
        TrainResult kept = new CpuTrainer(1).train(Dataset.of(kx, ky, d, "kept", null, null),
                full.toBuilder().batchSize(n - 1).build());
        assertArrayEquals(bits(kept), bits(weighted));
    }

    /** The reducer against the canonical sums written from the text, on fresh random data and weights. */
    @Test
    void weightedReducerIsTheCanonicalSumOfTheWeightedItems() {
        SplittableRandom random = new SplittableRandom(System.nanoTime());
        for (int trial = 0; trial < 40; trial++) {
            int d = 1 + random.nextInt(9);
            int m = 1 + random.nextInt(trial % 3 == 0 ? 3000 : 300);
            int n = m + random.nextInt(50);
            float[] x = new float[n * d];
            float[] y = new float[n];
            float[] v = new float[n];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian();
            }
            for (int i = 0; i < n; i++) {
                y[i] = (float) random.nextGaussian();
                v[i] = random.nextInt(5) == 0 ? 0f : (float) random.nextDouble(0, 3);
            }
            float[] params = new float[d + 1];
            for (int j = 0; j <= d; j++) {
                params[j] = (float) random.nextGaussian();
            }
            int[] rows = new int[m];
            for (int t = 0; t < m; t++) {
                rows[t] = random.nextInt(n);
            }
            Objective objective = trial % 2 == 0 ? Objective.MAE : Objective.quantile(0.3);
            float[] out = new float[d + 3];
            new MaeGradient(d, objective, true).compute(x, y, v, rows, 0, m, params, out);
            float[][] items = new float[d + 3][m];
            for (int t = 0; t < m; t++) {
                int i = rows[t];
                float r = Residual.residual(x, y, d, i, params);
                float u = v[i] * objective.slope(r);
                items[0][t] = v[i] * objective.loss(r);
                items[1][t] = u;
                for (int j = 0; j < d; j++) {
                    items[2 + j][t] = u * x[i * d + j];
                }
                items[2 + d][t] = v[i];
            }
            for (int q = 0; q < d + 3; q++) {
                assertEquals(Float.floatToIntBits(CanonicalSum.of(items[q], m)), Float.floatToIntBits(out[q]),
                        "trial " + trial + ", quantity " + q + ", m " + m + ", d " + d);
            }
        }
    }

    @Test
    void badWeightsNameTheirRow() {
        DataException negative = org.junit.jupiter.api.Assertions.assertThrows(DataException.class,
                () -> SampleWeights.of(new float[] {1, 2, -1}, "w.npy", "w.npy"));
        assertEquals("w.npy: the weight of row 2 is -1.0: a weight must not be negative", negative.getMessage());
        DataException zero = org.junit.jupiter.api.Assertions.assertThrows(DataException.class,
                () -> SampleWeights.of(new float[] {0, 0}, "w.npy", "w.npy"));
        assertEquals("w.npy: every weight is 0; at least one sample must count", zero.getMessage());
    }
}
