package linreg.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import linreg.data.Dataset;
import linreg.data.SyntheticData;
import linreg.spec.LearningRateSchedule;
import linreg.spec.Permutation;
import linreg.spec.SgdUpdate;
import org.junit.jupiter.api.Test;

/** The hold-out split, its metrics, early stopping and the schedules. */
class ValidationTest {
    @Test
    void splitIsSeededDisjointAndComplete() {
        int n = 1000;
        float[] x = new float[n * 2];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i - 1;
            y[i] = i;
        }
        Dataset data = Dataset.of(x, y, 2, "test", null, null);
        ValidationSplit split = ValidationSplit.of(data, 0.2, 7);
        assertEquals(200, split.validation().samples());
        assertEquals(800, split.training().samples());
        Set<Float> seen = new HashSet<>();
        for (Dataset part : new Dataset[] {split.validation(), split.training()}) {
            for (int i = 0; i < part.samples(); i++) {
                assertEquals(part.y()[i], part.x()[2 * i], "rows stay whole");
                assertEquals(-part.y()[i] - 1, part.x()[2 * i + 1], "rows stay whole");
                assertTrue(seen.add(part.y()[i]), "row " + part.y()[i] + " twice");
            }
        }
        assertEquals(n, seen.size());
        Permutation q = Permutation.of(ValidationSplit.permutationSeed(7), 0, n);
        assertEquals(q.apply(0), (int) split.validation().y()[0]);
        assertEquals(q.apply(200), (int) split.training().y()[0]);
        assertArrayEquals(split.validation().y(), ValidationSplit.of(data, 0.2, 7).validation().y());
        assertFalse(java.util.Arrays.equals(split.validation().y(), ValidationSplit.of(data, 0.2, 8).validation().y()));
    }

    @Test
    void splitNeedsRowsOnBothSides() {
        assertThrows(IllegalArgumentException.class, () -> ValidationSplit.validationRows(500, 0.001));
        assertThrows(IllegalArgumentException.class, () -> ValidationSplit.validationRows(1, 0.5));
        assertEquals(1, ValidationSplit.validationRows(2, 0.5));
    }

    @Test
    void metricsAreTheFloat64Ones() {
        Dataset data = SyntheticData.generate(3000, SyntheticData.TUTORIAL_W, 1.1f, 2);
        float[] params = {9.9f, 7.1f, 5f, 2f, 1f};
        ValidationMetrics m = ValidationMetrics.of(ValidationMetrics.sums(data, params), 3000,
                ValidationMetrics.totalSquares(data.y()));
        double abs = 0;
        double sq = 0;
        double mean = 0;
        for (float v : data.y()) {
            mean += v / 3000.0;
        }
        double tot = 0;
        for (int i = 0; i < 3000; i++) {
            double r = params[4] - data.y()[i];
            for (int j = 0; j < 4; j++) {
                r += (double) data.x()[i * 4 + j] * params[j];
            }
            abs += Math.abs(r);
            sq += r * r;
            tot += (data.y()[i] - mean) * (data.y()[i] - mean);
        }
        assertEquals(abs / 3000, m.mae(), 1e-5 * abs / 3000);
        assertEquals(Math.sqrt(sq / 3000), m.rmse(), 1e-5 * Math.sqrt(sq / 3000));
        assertEquals(1 - sq / tot, m.r2(), 1e-6);
    }

    @Test
    void trainingWithValidationReportsEveryEpoch() {
        Dataset data = SyntheticData.generate(2000, SyntheticData.TUTORIAL_W, 1.1f, 3);
        TrainResult r = Engines.cpu().train(data, TrainConfig.builder().epochs(10).validation(0.25).build());
        assertEquals(10, r.validation().length);
        assertTrue(r.validation()[9].mae() < r.validation()[0].mae());
        assertTrue(r.validation()[9].r2() > 0.99, "R² " + r.validation()[9].r2());
        assertEquals(1500 / 16 + 1, (int) Math.round(r.epochLoss()[0] / r.epochMae()[0]),
                "the loss sums 94 batches of the 1500 training rows");
    }

    @Test
    void aConstantTargetHasNoR2() {
        ValidationMetrics m = ValidationMetrics.of(new float[] {2f, 5f}, 4, ValidationMetrics.totalSquares(new float[] {7, 7, 7, 7}));
        assertEquals(Double.NaN, m.r2());
        assertEquals(0.5, m.mae());
        assertEquals(Double.NaN, ValidationMetrics.of(new float[] {0f, 0f}, 4, 0).r2(), "even with exact predictions");
    }

    @Test
    void earlyStoppingWaitsPatienceEpochs() {
        Dataset data = SyntheticData.generate(500, SyntheticData.TUTORIAL_W, 1.1f, 4);
        // A tolerance no epoch can meet: the first epoch sets the best, then 3 epochs without
        // improvement stop the run after epoch 3.
        TrainResult r = Engines.cpu().train(data, TrainConfig.builder().epochs(50).patience(3).tol(1e9).build());
        assertEquals(4, r.epochs());
        assertTrue(r.stoppedEarly());
        TrainResult full = Engines.cpu().train(data, TrainConfig.builder().epochs(50).build());
        assertArrayEquals(java.util.Arrays.copyOf(full.epochLoss(), 4), r.epochLoss(), "the same epochs up to the stop");
        // The tutorial problem keeps improving for a while with tol 0: the run goes further.
        TrainResult patient = Engines.cpu().train(data, TrainConfig.builder().epochs(50).patience(3).build());
        assertTrue(patient.epochs() > 10, "stopped after " + patient.epochs());
    }

    @Test
    void schedules() {
        LearningRateSchedule inv = new LearningRateSchedule(LearningRateSchedule.Kind.invsqrt, 4, 10, 0.5);
        assertEquals(0.1f, inv.rate(0.1f, 0));
        assertEquals((float) (0.1f / Math.sqrt(2)), inv.rate(0.1f, 4));
        LearningRateSchedule step = new LearningRateSchedule(LearningRateSchedule.Kind.step, 1, 3, 0.5);
        assertEquals(0.1f, step.rate(0.1f, 2));
        assertEquals((float) (0.1f * 0.5), step.rate(0.1f, 3));
        assertEquals((float) (0.1f * 0.25), step.rate(0.1f, 7));
        assertEquals(0.05f, LearningRateSchedule.CONSTANT.rate(0.05f, 1000));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(LearningRateSchedule.Kind.step, 1, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(LearningRateSchedule.Kind.step, 1, 2, 1.5));
    }

    @Test
    void clippingScalesToTheNorm() {
        float[] g = {3f, 4f};
        SgdUpdate.clip(g, 1f);
        assertEquals(3f * (1f / (5f + 1e-6f)), g[0]);
        assertEquals(4f * (1f / (5f + 1e-6f)), g[1]);
        float[] small = {0.3f, 0.4f};
        SgdUpdate.clip(small, 1f);
        assertArrayEquals(new float[] {0.3f, 0.4f}, small, "under the norm: untouched");
    }
}
