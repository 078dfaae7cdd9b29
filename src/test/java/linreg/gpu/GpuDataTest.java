package linreg.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import linreg.data.Dataset;
import linreg.data.SyntheticData;
import org.junit.jupiter.api.Test;

/** The data cuRAND and finish_targets draw on the device: its moments, and that the seed fixes it. */
@RequiresGpu
class GpuDataTest {
    @Test
    void momentsAreTheTutorials() {
        int n = 1_000_001;  // odd: cuRAND's even-count rule must be handled
        Dataset data;
        try (GpuSession session = GpuSession.open(0)) {
            data = session.generate(n, SyntheticData.TUTORIAL_W, 1.1f, 2).toHost();
        }
        double sum = 0;
        double sumSq = 0;
        for (float v : data.x()) {
            sum += v;
            sumSq += (double) v * v;
        }
        double count = data.x().length;
        double mean = sum / count;
        double var = sumSq / count - mean * mean;
        // 6 standard errors: mean 6/sqrt(4e6) = 3e-3, variance 6·sqrt(2/4e6) = 4.2e-3.
        assertTrue(Math.abs(mean) < 3e-3, "mean " + mean);
        assertTrue(Math.abs(var - 1) < 4.3e-3, "variance " + var);
        double noiseSq = 0;
        for (int i = 0; i < n; i++) {
            double clean = 1.1;
            for (int j = 0; j < 4; j++) {
                clean += (double) data.x()[i * 4 + j] * SyntheticData.TUTORIAL_W[j];
            }
            double noise = data.y()[i] - clean;
            noiseSq += noise * noise;
        }
        double std = Math.sqrt(noiseSq / n);
        assertTrue(Math.abs(std - 0.01) < 1e-4, "noise standard deviation " + std);
    }

    @Test
    void theSeedFixesTheData() {
        try (GpuSession session = GpuSession.open(0)) {
            Dataset a = session.generate(1000, SyntheticData.trueW(3), 0f, 5).toHost();
            Dataset b = session.generate(1000, SyntheticData.trueW(3), 0f, 5).toHost();
            Dataset c = session.generate(1000, SyntheticData.trueW(3), 0f, 6).toHost();
            assertArrayEquals(a.x(), b.x());
            assertArrayEquals(a.y(), b.y());
            assertTrue(a.x()[0] != c.x()[0] || a.x()[1] != c.x()[1], "another seed, other data");
        }
    }
}
