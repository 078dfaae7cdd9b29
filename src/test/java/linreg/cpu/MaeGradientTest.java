package linreg.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;
import linreg.spec.CanonicalSum;
import linreg.spec.Residual;
import linreg.spec.SgdUpdate;
import linreg.train.Problems;
import org.junit.jupiter.api.Test;

class MaeGradientTest {
    private static final long RUN_SEED = System.nanoTime();

    @Test
    void sumsFollowTheDocumentedOrderBitForBit() {
        SplittableRandom random = new SplittableRandom(RUN_SEED);
        int[] sizes = {1, 2, 3, 5, 16, 17, 255, 256, 257, 1000, 1023, 1024, 1025, 2048, 4097, 1 + random.nextInt(9000)};
        for (int d : new int[] {1, 4, 300}) {
            for (int m : sizes) {
                int n = m + 7;
                float[] x = Problems.gaussianVector(random, n * d, 3);
                float[] y = Problems.gaussianVector(random, n, 10);
                float[] params = Problems.gaussianVector(random, d + 1, 1);
                int[] rows = new int[n];
                for (int i = 0; i < n; i++) {
                    rows[i] = (i * 5 + 3) % n;
                }
                int from = 7;
                float[] out = new float[d + 2];
                new MaeGradient(d).compute(x, y, rows, from, m, params, out);

                float[] abs = new float[m];
                float[] sign = new float[m];
                float[][] sx = new float[d][m];
                for (int t = 0; t < m; t++) {
                    int row = rows[from + t];
                    float r = Residual.residual(x, y, d, row, params);
                    abs[t] = Math.abs(r);
                    sign[t] = r > 0 ? 1f : r < 0 ? -1f : 0f;
                    for (int j = 0; j < d; j++) {
                        sx[j][t] = sign[t] * x[row * d + j];
                    }
                }
                String where = "d=" + d + " m=" + m + " seed " + RUN_SEED;
                assertBits(CanonicalSum.of(abs), out[0], "S, " + where);
                assertBits(CanonicalSum.of(sign), out[1], "G_b, " + where);
                for (int j = 0; j < d; j++) {
                    assertBits(CanonicalSum.of(sx[j]), out[2 + j], "G_" + j + ", " + where);
                }
            }
        }
    }

    /**
     * Signed zeros everywhere (residuals of -0 and +0, products s·x of -0): the depth-first tree
     * of small batches applies the leaves' +0 once at the root, which must give the same bits.
     */
    @Test
    void signedZerosKeepTheDocumentedBits() {
        SplittableRandom random = new SplittableRandom(RUN_SEED + 2);
        float[] values = {-0f, 0f, -1f, 2f, -0x1p-149f, 0x1p-149f};
        for (int d : new int[] {1, 4, 5}) {
            for (int m : new int[] {3, 4, 5, 7, 8, 9, 16, 17, 31, 64, 100, 255, 256, 300}) {
                // Half the cases: every residual -0 and every x negative, so every s·x is -0.
                boolean allNegativeZero = random.nextBoolean();
                float[] x = new float[m * d];
                float[] y = new float[m];
                for (int i = 0; i < x.length; i++) {
                    x[i] = allNegativeZero ? -1f : values[random.nextInt(values.length)];
                }
                for (int i = 0; i < m; i++) {
                    y[i] = allNegativeZero ? 0f : values[random.nextInt(2)];
                }
                float[] params = new float[d + 1];
                for (int j = 0; j < d; j++) {
                    params[j] = allNegativeZero ? 0f : values[random.nextInt(4)];
                }
                params[d] = allNegativeZero || random.nextBoolean() ? -0f : 0f;
                int[] rows = new int[m];
                for (int i = 0; i < m; i++) {
                    rows[i] = i;
                }
                float[] out = new float[d + 2];
                new MaeGradient(d).compute(x, y, rows, 0, m, params, out);
                float[] abs = new float[m];
                float[] sign = new float[m];
                float[][] sx = new float[d][m];
                for (int t = 0; t < m; t++) {
                    float r = Residual.residual(x, y, d, t, params);
                    abs[t] = Math.abs(r);
                    sign[t] = MaeGradient.sign(r);
                    for (int j = 0; j < d; j++) {
                        sx[j][t] = sign[t] * x[t * d + j];
                    }
                }
                String where = "d=" + d + " m=" + m + " seed " + RUN_SEED;
                assertBits(CanonicalSum.of(abs), out[0], "S, " + where);
                assertBits(CanonicalSum.of(sign), out[1], "G_b, " + where);
                for (int j = 0; j < d; j++) {
                    assertBits(CanonicalSum.of(sx[j]), out[2 + j], "G_" + j + ", " + where);
                }
            }
        }
    }

    @Test
    void canonicalOrderIsNotTheSequentialOne() {
        // Sequential, 1 swallows each 2^-24 in turn; the tree (lanes 0+2, 1+3) adds them first.
        float[] v = {1f, 0x1p-24f, 0f, 0x1p-24f};
        float sequential = ((v[0] + v[1]) + v[2]) + v[3];
        assertEquals(1f, sequential);
        assertEquals(1f + 0x1p-23f, CanonicalSum.of(v));
        assertNotEquals(sequential, CanonicalSum.of(v));
    }

    @Test
    void residualIsTheFmaChainThenBiasThenTarget() {
        float[] x = {1.1f, -2.3f, 0.7f};
        float[] params = {0.3f, 1.7f, -0.9f, 0.25f};
        float[] y = {0.5f};
        float expected = (Math.fma(0.7f, -0.9f, Math.fma(-2.3f, 1.7f, 1.1f * 0.3f)) + 0.25f) - 0.5f;
        assertBits(expected, Residual.residual(x, y, 3, 0, params), "residual");
    }

    @Test
    void signOfZeroAndNaNIsZero() {
        assertEquals(0f, MaeGradient.sign(0f));
        assertEquals(0f, MaeGradient.sign(-0f));
        assertEquals(0f, MaeGradient.sign(Float.NaN));
        assertEquals(1f, MaeGradient.sign(Float.MIN_VALUE));
        assertEquals(-1f, MaeGradient.sign(-3e38f));
    }

    @Test
    void lanesArePowersOfTwoUpTo256() {
        int[][] cases = {{1, 1}, {2, 2}, {3, 4}, {4, 4}, {5, 8}, {16, 16}, {17, 32}, {255, 256}, {256, 256}, {100000, 256}};
        for (int[] c : cases) {
            assertEquals(c[1], CanonicalSum.lanes(c[0]), "lanes(" + c[0] + ")");
        }
    }

    @Test
    void threadsSplittingLanesGiveTheSameBits() {
        SplittableRandom random = new SplittableRandom(RUN_SEED + 1);
        for (int members : new int[] {2, 3}) {
            try (WorkerTeam team = new WorkerTeam(members)) {
                for (int d : new int[] {1, 5}) {
                    MaeGradient one = new MaeGradient(d);
                    ParallelMaeGradient many = new ParallelMaeGradient(new MaeGradient(d), team);
                    for (int m : new int[] {257, 1024, 3000, 5000 + random.nextInt(5000)}) {
                        float[] x = Problems.gaussianVector(random, m * d, 1);
                        float[] y = Problems.gaussianVector(random, m, 1);
                        float[] params = Problems.gaussianVector(random, d + 1, 1);
                        int[] rows = new int[m];
                        for (int i = 0; i < m; i++) {
                            rows[i] = m - 1 - i;
                        }
                        float[] a = new float[d + 2];
                        float[] b = new float[d + 2];
                        one.compute(x, y, rows, 0, m, params, a);
                        many.compute(x, y, rows, 0, m, params, b);
                        for (int q = 0; q < d + 2; q++) {
                            assertBits(a[q], b[q], "members=" + members + " d=" + d + " m=" + m + " q=" + q);
                        }
                    }
                }
            }
        }
    }

    @Test
    void updateIsOneFmaPerParameter() {
        float[] params = {1.5f, -0.25f, 0.125f};
        float[] sums = {9f, 3f, -7f, 2f};
        SgdUpdate.plain(2).apply(params, sums, 3, 0.1f);
        assertBits(Math.fma(-0.1f, -7f / 3f, 1.5f), params[0], "w0");
        assertBits(Math.fma(-0.1f, 2f / 3f, -0.25f), params[1], "w1");
        assertBits(Math.fma(-0.1f, 3f / 3f, 0.125f), params[2], "b");
    }

    static void assertBits(float expected, float actual, String what) {
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual),
                what + ": expected " + expected + ", got " + actual);
    }
}
