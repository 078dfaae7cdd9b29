package linreg.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticDataTest {
    @Test
    void momentsAreTheTutorials() {
        int n = 400_000;
        Dataset data = SyntheticData.generate(n, SyntheticData.TUTORIAL_W, SyntheticData.TUTORIAL_B, 11);
        float[] x = data.x();
        double sum = 0;
        double sumSq = 0;
        for (float v : x) {
            sum += v;
            sumSq += (double) v * v;
        }
        double mean = sum / x.length;
        double var = sumSq / x.length - mean * mean;
        // Standard errors: mean 1/sqrt(1.6e6) = 8e-4, variance sqrt(2/1.6e6) = 1.1e-3; 6 sd bounds.
        assertTrue(Math.abs(mean) < 5e-3, "mean " + mean);
        assertTrue(Math.abs(var - 1) < 7e-3, "variance " + var);
        // The noise: y - X·w* - b* has standard deviation 0.01.
        double noiseSq = 0;
        for (int i = 0; i < n; i++) {
            double clean = SyntheticData.TUTORIAL_B;
            for (int j = 0; j < 4; j++) {
                clean += (double) x[i * 4 + j] * SyntheticData.TUTORIAL_W[j];
            }
            double noise = data.y()[i] - clean;
            noiseSq += noise * noise;
        }
        double noiseStd = Math.sqrt(noiseSq / n);
        assertTrue(Math.abs(noiseStd - 0.01) < 2e-4, "noise std " + noiseStd);
    }

    @Test
    void sameSeedSameData_otherSeedOtherData() {
        Dataset a = SyntheticData.generate(200_000, SyntheticData.trueW(3), 0f, 5);
        Dataset b = SyntheticData.generate(200_000, SyntheticData.trueW(3), 0f, 5);
        Dataset c = SyntheticData.generate(200_000, SyntheticData.trueW(3), 0f, 6);
        assertArrayEquals(a.x(), b.x());
        assertArrayEquals(a.y(), b.y());
        assertFalse(Arrays.equals(a.x(), c.x()));
    }

    @Test
    void chunksAreIndependentOfN() {
        // Rows come in independently seeded chunks, so a shorter run is a prefix of a longer one.
        Dataset small = SyntheticData.generate(SyntheticData.CHUNK_ROWS + 3, SyntheticData.trueW(2), 1f, 8);
        Dataset large = SyntheticData.generate(3 * SyntheticData.CHUNK_ROWS, SyntheticData.trueW(2), 1f, 8);
        assertArrayEquals(small.x(), Arrays.copyOf(large.x(), small.x().length));
    }

    @Test
    void trueWOfD() {
        assertArrayEquals(new float[] {10, 7, 5, 2}, SyntheticData.trueW(4));
        assertArrayEquals(new float[] {-3, -2, -1, 0, 1, 2, 3, -3}, SyntheticData.trueW(8));
        assertEquals(1, SyntheticData.trueW(1).length);
    }
}
