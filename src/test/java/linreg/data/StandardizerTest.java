package linreg.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StandardizerTest {
    /** n rows of d features with offsets and scales far from 0 and 1, and a target. */
    private static Dataset data(int n, int d, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n * d];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double t = 3;
            for (int j = 0; j < d; j++) {
                float v = (float) (1000 * (j + 1) + Math.pow(10, j - 1) * random.nextGaussian());
                x[i * d + j] = v;
                t += (j + 1) * v;
            }
            y[i] = (float) (t + random.nextGaussian());
        }
        return Dataset.of(x, y, d, "test", null, null);
    }

    @Test
    void fitsPopulationMeanAndStandardDeviationInFloat64() throws Exception {
        Dataset data = Dataset.of(new float[] {1, 10, 2, 20, 3, 30, 4, 40}, new float[] {5, 6, 7, 8}, 2, "t", null, null);
        Standardizer s = Standardizer.fit(data);
        assertArrayEquals(new double[] {2.5, 25}, s.featureMeans());
        assertArrayEquals(new double[] {Math.sqrt(1.25), Math.sqrt(125)}, s.featureStds(), 1e-15);
        assertEquals(6.5, s.targetMean());
        assertEquals(Math.sqrt(1.25), s.targetStd(), 1e-15);
    }

    @Test
    void transformGivesZScores() throws Exception {
        Dataset data = data(1000, 3, 1);
        Standardizer s = Standardizer.fit(data);
        Dataset z = s.transform(data);
        assertEquals(data.samples(), z.samples());
        for (int j = 0; j < 3; j++) {
            double mean = 0;
            double squares = 0;
            for (int i = 0; i < 1000; i++) {
                mean += z.x()[i * 3 + j];
            }
            mean /= 1000;
            for (int i = 0; i < 1000; i++) {
                squares += (z.x()[i * 3 + j] - mean) * (z.x()[i * 3 + j] - mean);
            }
            assertEquals(0, mean, 1e-6);
            assertEquals(1, Math.sqrt(squares / 1000), 1e-6);
        }
        for (int i = 0; i < 1000; i++) {
            assertEquals((float) ((data.x()[i * 3 + 2] - s.featureMeans()[2]) / s.featureStds()[2]), z.x()[i * 3 + 2]);
            assertEquals((float) ((data.y()[i] - s.targetMean()) / s.targetStd()), z.y()[i]);
        }
    }

    /**
     * The back-transformed parameters predict, on the original data, what the z-space
     * parameters predict on the z-scores mapped back (μ_y + σ_y·ŷ_z), to float64 rounding.
     */
    @Test
    void backTransformIsExact() throws Exception {
        Dataset data = data(500, 4, 2);
        Standardizer s = Standardizer.fit(data);
        double[] mean = s.featureMeans();
        double[] std = s.featureStds();
        SplittableRandom random = new SplittableRandom(9);
        for (int trial = 0; trial < 20; trial++) {
            float[] wz = new float[4];
            for (int j = 0; j < 4; j++) {
                wz[j] = (float) random.nextGaussian();
            }
            float bz = (float) random.nextGaussian();
            double[] w = s.weights(wz);
            double b = s.bias(wz, bz);
            for (int i = 0; i < data.samples(); i++) {
                double original = b;
                double magnitude = Math.abs(b);
                double zSpace = bz;
                for (int j = 0; j < 4; j++) {
                    float x = data.x()[i * 4 + j];
                    original += w[j] * x;
                    magnitude += Math.abs(w[j] * x);
                    zSpace += wz[j] * ((x - mean[j]) / std[j]);
                }
                double mappedBack = s.targetMean() + s.targetStd() * zSpace;
                // Offsets cancel in b + Σ w_j·x_j: float64 rounding is relative to the terms' size.
                assertEquals(mappedBack, original, 32 * Math.ulp(magnitude), "row " + i);
            }
        }
    }

    @Test
    void theTrueParametersSurviveTheRoundTrip() throws Exception {
        // y = 2·x1 − 3·x2 + 7 exactly: the z-space parameters of that line map back to it.
        float[] x = {1, 5, 2, 3, 4, 8, 7, 1, 3, 3};
        float[] y = new float[5];
        for (int i = 0; i < 5; i++) {
            y[i] = 2 * x[2 * i] - 3 * x[2 * i + 1] + 7;
        }
        Standardizer s = Standardizer.fit(Dataset.of(x, y, 2, "t", null, null));
        double[] std = s.featureStds();
        float[] wz = {(float) (2 * std[0] / s.targetStd()), (float) (-3 * std[1] / s.targetStd())};
        double bz = (2 * s.featureMeans()[0] - 3 * s.featureMeans()[1] + 7 - s.targetMean()) / s.targetStd();
        double[] w = s.weights(wz);
        assertEquals(2, w[0], 1e-6);
        assertEquals(-3, w[1], 1e-6);
        assertEquals(7, s.bias(wz, (float) bz), 1e-5);
    }

    @Test
    void constantColumnsAreAnErrorThatNamesThem() {
        Dataset named = Dataset.of(new float[] {1, 0.1f, 2, 0.1f, 3, 0.1f}, new float[] {1, 2, 3}, 2, "d.csv",
                List.of("size", "rate"), "price");
        DataException e = assertThrows(DataException.class, () -> Standardizer.fit(named));
        assertTrue(e.getMessage().startsWith("d.csv: column \"rate\" (feature 2) is constant (every value is 0.1)"), e.getMessage());
        assertTrue(e.getMessage().contains("--standardize"), e.getMessage());
        Dataset unnamed = Dataset.of(new float[] {4, 1, 4, 2}, new float[] {1, 2}, 2, "X.npy", null, null);
        e = assertThrows(DataException.class, () -> Standardizer.fit(unnamed));
        assertTrue(e.getMessage().startsWith("X.npy: column 1 (feature 1) is constant (every value is 4.0)"), e.getMessage());
        Dataset target = Dataset.of(new float[] {1, 2}, new float[] {5, 5}, 1, "t.csv", List.of("a"), "y");
        e = assertThrows(DataException.class, () -> Standardizer.fit(target));
        assertTrue(e.getMessage().startsWith("t.csv: the target \"y\" is constant"), e.getMessage());
    }

    @Test
    void aLargeOffsetDoesNotHideTheSpread() throws Exception {
        // Values 1e6 + {0, 0.125, 0.25}: a naive Σx² − n·x̄² loses them; the shifted sums do not.
        Dataset data = Dataset.of(new float[] {1e6f, 1e6f + 0.125f, 1e6f + 0.25f}, new float[] {0, 1, 2}, 1, "t", null, null);
        Standardizer s = Standardizer.fit(data);
        assertEquals(1e6 + 0.125, s.featureMeans()[0], 0);
        assertEquals(Math.sqrt(2 * 0.125 * 0.125 / 3), s.featureStds()[0], 1e-15);
    }

    @Test
    void storedParametersAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Standardizer(new double[] {0}, new double[] {0}, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Standardizer(new double[] {0}, new double[] {1}, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> new Standardizer(new double[] {0, 1}, new double[] {1}, 0, 1));
    }
}
