package linreg.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import linreg.data.Dataset;
import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void maeRmseAndR2() {
        // y = x + 1 predicted by w = 1, b = 0: residuals 1, 1, 1, 1 ... then one of 3.
        Dataset data = Dataset.of(new float[] {0, 1, 2, 3}, new float[] {1, 2, 3, 6}, 1, "t", null, null);
        Metrics m = Metrics.of(new double[] {1}, 0, data);
        assertEquals((1 + 1 + 1 + 3) / 4.0, m.mae(), 1e-15);
        assertEquals(Math.sqrt((1 + 1 + 1 + 9) / 4.0), m.rmse(), 1e-15);
        double mean = 3;
        double total = 4 + 1 + 0 + 9;
        assertEquals(1 - 12 / total, m.r2(), 1e-15);
        assertEquals(mean, (1 + 2 + 3 + 6) / 4.0);
    }

    @Test
    void aPerfectFitHasR2One() {
        Dataset data = Dataset.of(new float[] {1, 2, 3, 4, 5, 6}, new float[] {5.5f, 12.5f, 19.5f}, 2, "t", null, null);
        Metrics m = Metrics.of(new double[] {2, 1.5}, 0.5, data);
        assertEquals(0, m.mae());
        assertEquals(0, m.rmse());
        assertEquals(1, m.r2());
    }

    @Test
    void aConstantTargetHasNoR2() {
        Dataset data = Dataset.of(new float[] {1, 2}, new float[] {3, 3}, 1, "t", null, null);
        assertEquals(Double.NaN, Metrics.of(new double[] {0}, 3, data).r2(), "exact predictions");
        Metrics off = Metrics.of(new double[] {1}, 3, data);
        assertEquals(Double.NaN, off.r2());
        assertEquals(1.5, off.mae());
    }

    @Test
    void computedInFloat64() {
        // float32 would round 1e8 + 1 to 1e8 and report no error at all.
        Dataset data = Dataset.of(new float[] {1e8f}, new float[] {1e8f}, 1, "t", null, null);
        assertEquals(1, Metrics.of(new double[] {1}, 1, data).mae());
    }

    @Test
    void shapesMustAgree() {
        assertThrows(IllegalArgumentException.class, () -> Metrics.of(new double[] {1, 2}, 0, new float[3], new float[2], 2));
    }
}
