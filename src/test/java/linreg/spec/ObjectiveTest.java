package linreg.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The loss rule: weights, slopes and losses, and τ = 0.5 as the MAE on every float. */
class ObjectiveTest {
    private static int bits(float v) {
        return Float.floatToRawIntBits(v);
    }

    @Test
    void theMedianHasTheMaesSlopeAndLossOnEveryKindOfFloat() {
        Objective median = Objective.quantile(0.5);
        assertEquals(1f, median.above());
        assertEquals(1f, median.below());
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f, -1f};
        SplittableRandom r = new SplittableRandom(12);
        for (int k = 0; k < 200_000; k++) {
            float v = k < special.length ? special[k] : Float.intBitsToFloat(r.nextInt());
            if (Float.isNaN(v)) {
                assertEquals(0f, median.slope(v), "slope of NaN");
                assertTrue(Float.isNaN(median.loss(v)), "the NaN reaches the loss");
                continue;
            }
            assertEquals(bits(Objective.sign(v)), bits(median.slope(v)), "slope of " + v);
            assertEquals(bits(Math.abs(v)), bits(median.loss(v)), "loss of " + v);
            assertEquals(bits(Objective.MAE.slope(v)), bits(median.slope(v)), "MAE slope of " + v);
        }
    }

    @Test
    void quantileWeightsAreTwiceThePinballSlopes() {
        Objective q = Objective.quantile(0.9);
        assertEquals((float) (2 * (1 - 0.9)), q.above());
        assertEquals(1.8f, q.below());
        assertEquals(q.above(), q.slope(3f));
        assertEquals(-1.8f, q.slope(-3f));
        assertEquals(0f, q.slope(0f));
        assertEquals(0f, q.slope(-0f));
        // 2·ρ_τ(y − p) with r = p − y: (1 − τ)·r above the fit, τ·|r| below, both doubled.
        assertEquals(2 * 0.1 * 2.5, q.loss(2.5f), 1e-6);
        assertEquals(2 * 0.9 * 2.5, q.loss(-2.5f), 1e-6);
        assertEquals(0, bits(q.loss(-0f)), "+0 at a zero residual");
    }

    @Test
    void levelsOutsideTheOpenUnitIntervalAreRefused() {
        for (double tau : new double[] {0, 1, -0.5, 2, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Objective.quantile(tau));
            assertTrue(e.getMessage().contains("(0, 1)"), e.getMessage());
        }
        assertEquals(Objective.MAE, Objective.of(Objective.Kind.mae, 0.3));
        assertEquals("quantile (tau 0.25)", Objective.of(Objective.Kind.quantile, 0.25).describe());
    }
}
