package linreg.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import linreg.data.Dataset;
import linreg.data.SyntheticData;
import linreg.spec.SgdUpdate;
import linreg.train.Engines;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import org.junit.jupiter.api.Test;

/** --no-intercept, --l2 and --l1 in the CPU engine (issue 13 items 2 and 4). */
class PenaltyAndInterceptTest {
    private static final Dataset TUTORIAL = SyntheticData.generate(2000, SyntheticData.TUTORIAL_W,
            SyntheticData.TUTORIAL_B, 5);

    private static TrainResult train(Dataset data, TrainConfig.Builder b) {
        return Engines.cpu().train(data, b.build());
    }

    private static int[] bits(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Float.floatToRawIntBits(v[i]);
        }
        return out;
    }

    private static double norm(float[] w) {
        double s = 0;
        for (float v : w) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }

    @Test
    void withoutAnInterceptBIsExactlyZeroAfterTraining() {
        for (TrainConfig.Builder b : new TrainConfig.Builder[] {TrainConfig.builder().epochs(5),
            TrainConfig.builder().epochs(5).momentum(0.9f).nesterov(true).clipNorm(1f).l2(0.01f).l1(0.001f).initB(3f)}) {
            TrainResult r = train(TUTORIAL, b.intercept(false));
            assertEquals(0, Float.floatToRawIntBits(r.b()), "b is +0");
            assertTrue(Float.isFinite(r.w()[0]) && r.w()[0] > 1f, "w trained: " + Arrays.toString(r.w()));
        }
    }

    @Test
    void zeroPenaltiesAndTheInterceptAreTheDefaultBits() {
        TrainResult plain = train(TUTORIAL, TrainConfig.builder().epochs(4));
        TrainResult zero = train(TUTORIAL, TrainConfig.builder().epochs(4).intercept(true).l2(0f).l1(0f));
        assertArrayEquals(bits(plain.w()), bits(zero.w()));
        assertEquals(Float.floatToRawIntBits(plain.b()), Float.floatToRawIntBits(zero.b()));
        assertArrayEquals(plain.epochLoss(), zero.epochLoss(), 0.0);
    }

    /** The no-intercept step is the plain step of w with b left out of the norm: a bias gradient never moves b. */
    @Test
    void theNoInterceptStepLeavesBAndItsNormOut() {
        float[] sums = {5f, 40f, 3f, -4f};  // S, G_b, G_0, G_1 of a batch of 1
        float[] params = {1f, 2f, 0f};
        new SgdUpdate(TrainConfig.builder().clipNorm(5f).intercept(false).build().optimiser(), 2).apply(params, sums, 1, 0.1f);
        // |g_w| = 5 = C: no clipping, whatever G_b is.
        assertArrayEquals(new float[] {Math.fma(-0.1f, 3f, 1f), Math.fma(-0.1f, -4f, 2f), 0f}, params);
    }

    @Test
    void l2ShrinksTheWeightsMonotonicallyInAlpha() {
        double previous = Double.POSITIVE_INFINITY;
        for (float alpha : new float[] {0f, 0.01f, 0.05f, 0.2f, 1f, 5f}) {
            TrainResult r = train(TUTORIAL, TrainConfig.builder().epochs(20).batchSize(100).l2(alpha));
            double n = norm(r.w());
            assertTrue(n < previous, "‖w‖ " + n + " at l2 " + alpha + " after " + previous);
            previous = n;
        }
    }

    @Test
    void l1SetsExactlyTheIrrelevantFeaturesToZero() {
        float[] trueW = {3f, 0f, -2f, 0f, 0f, 1.5f, 0f, -1f};
        Dataset data = SyntheticData.generate(4000, trueW, 0.5f, 21);
        TrainResult r = train(data, TrainConfig.builder().epochs(40).batchSize(500).l1(0.2f));
        for (int j = 0; j < trueW.length; j++) {
            if (trueW[j] == 0f) {
                assertEquals(0, Float.floatToRawIntBits(r.w()[j]), "w[" + j + "] is +0: " + Arrays.toString(r.w()));
            } else {
                assertNotEquals(0f, r.w()[j], "w[" + j + "] kept: " + Arrays.toString(r.w()));
                assertEquals(Math.signum(trueW[j]), Math.signum(r.w()[j]), "w[" + j + "]'s sign");
            }
        }
        assertNotEquals(0f, r.b(), "b is not thresholded");
    }

    @Test
    void theSoftThresholdMovesTowardsZeroAndStopsAtPlusZero() {
        assertEquals(0.75f, SgdUpdate.softThreshold(1f, 0.25f));
        assertEquals(-0.75f, SgdUpdate.softThreshold(-1f, 0.25f));
        assertEquals(0, Float.floatToRawIntBits(SgdUpdate.softThreshold(-0.25f, 0.25f)));
        assertEquals(0, Float.floatToRawIntBits(SgdUpdate.softThreshold(0.1f, 0.25f)));
        assertEquals(0, Float.floatToRawIntBits(SgdUpdate.softThreshold(-0f, 0.25f)));
        assertTrue(Float.isNaN(SgdUpdate.softThreshold(Float.NaN, 0.25f)), "NaN stays NaN: divergence shows");
        assertEquals(1f - 0.1f, SgdUpdate.softThreshold(1f, 0.1f), "one rounding: |w| - t");
    }
}
