package linreg.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import linreg.data.Dataset;
import linreg.spec.LearningRateSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResumedEpochTest {
    private static final long RUN_SEED = Long.getLong("linreg.test.seed", System.nanoTime());

    @Test
    void theEpochIsTheRunsOwnFromItsEpoch() {
        TrainConfig run = TrainConfig.builder().epochs(9).seed(42).lr(0.2f)
                .schedule(new LearningRateSchedule(LearningRateSchedule.Kind.invsqrt, 2, 10, 0.5)).build();
        TrainConfig seventh = ResumedEpoch.of(run, 7, new float[] {1, 2}, 3);
        assertEquals(42, seventh.seed(), "the run's own seed: no seed is solved for");
        assertEquals(7, seventh.start().firstEpoch());
        assertEquals(1, seventh.epochs());
        assertEquals(Float.floatToIntBits(run.optimiser().rate(7)),
                Float.floatToIntBits(seventh.optimiser().rate(seventh.start().firstEpoch())),
                "the run's rate of epoch 7");
        assertArrayEquals(new float[] {1, 2, 3}, seventh.initialParams(2));
    }

    /** Schedules, clipping, no shuffle, and the feed's helper threads (n >= 2^16). */
    static Stream<Arguments> runs() {
        return Stream.of(
                Arguments.of("tutorial", 500, TrainConfig.builder()),
                Arguments.of("invsqrt+clip", 700, TrainConfig.builder().clipNorm(0.5f)
                        .schedule(new LearningRateSchedule(LearningRateSchedule.Kind.invsqrt, 2, 10, 0.5))),
                Arguments.of("step, batch 100", 1003, TrainConfig.builder().batchSize(100)
                        .schedule(new LearningRateSchedule(LearningRateSchedule.Kind.step, 1, 2, 0.3))),
                Arguments.of("no shuffle", 300, TrainConfig.builder().shuffle(false)),
                Arguments.of("2 threads", 70_000, TrainConfig.builder().threads(2).batchSize(64)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void epochsOneAtATimeAreTheWholeRun(String name, int n, TrainConfig.Builder builder) {
        SplittableRandom random = new SplittableRandom(RUN_SEED ^ name.hashCode());
        int d = 3;
        float[] trueW = Problems.gaussianVector(random, d, 2);
        Dataset data = Problems.marginProblem(random, n, d, trueW, 0.3f, 1f);
        TrainConfig run = builder.epochs(5).seed(random.nextLong()).build();
        TrainResult whole = Engines.cpu().train(data, run);

        float[] params = run.initialParams(d);
        for (int e = 0; e < run.epochs(); e++) {
            TrainResult one = Engines.cpu().train(data, ResumedEpoch.of(run, e, Arrays.copyOf(params, d), params[d]));
            String where = name + ", epoch " + e + " (replay with -Dlinreg.test.seed=" + RUN_SEED + ")";
            assertEquals(whole.epochLoss()[e], one.epochLoss()[0], where);
            assertEquals(whole.epochMae()[e], one.epochMae()[0], where);
            params = one.params();
        }
        assertArrayEquals(whole.w(), Arrays.copyOf(params, d), name);
        assertEquals(whole.b(), params[d], name);
        assertNotEquals(whole.w()[0], run.initialParams(d)[0], "the run trained");
    }

    @Test
    void refusesWhatCannotBeTrainedAlone() {
        TrainConfig validating = TrainConfig.builder().validation(0.2).build();
        assertThrows(IllegalArgumentException.class, () -> ResumedEpoch.of(validating, 0, new float[] {0}, 0));
        TrainConfig run = TrainConfig.builder().epochs(3).build();
        assertThrows(IllegalArgumentException.class, () -> ResumedEpoch.of(run, 3, new float[] {0}, 0));
        TrainConfig averaging = TrainConfig.builder().epochs(3).average(1).build();
        assertThrows(IllegalArgumentException.class, () -> ResumedEpoch.of(averaging, 1, new float[] {0}, 0));
    }

    /**
     * With averaging, epochs one at a time, each from the last step's parameters and the running
     * mean of the one before, are the whole run: its epoch losses, and its mean at the end.
     */
    @ParameterizedTest(name = "average from epoch {0}")
    @ValueSource(ints = {0, 2, 6})
    void averagedEpochsOneAtATimeAreTheWholeRun(int averageFrom) {
        SplittableRandom random = new SplittableRandom(RUN_SEED ^ averageFrom);
        int d = 3;
        Dataset data = Problems.marginProblem(random, 400, d, Problems.gaussianVector(random, d, 2), 0.3f, 1f);
        TrainConfig run = TrainConfig.builder().epochs(6).batchSize(8).momentum(0f).seed(random.nextLong())
                .schedule(new LearningRateSchedule(LearningRateSchedule.Kind.invsqrt, 2, 10, 0.5)).average(averageFrom)
                .build();
        TrainResult whole = Engines.cpu().train(data, run);

        float[] params = run.initialParams(d);
        float[] mean = null;
        long steps = 0;
        TrainResult one = null;
        for (int e = 0; e < run.epochs(); e++) {
            one = Engines.cpu().train(data, ResumedEpoch.of(run, e, Arrays.copyOf(params, d), params[d], mean, steps));
            String where = "epoch " + e + " (replay with -Dlinreg.test.seed=" + RUN_SEED + ")";
            assertEquals(whole.epochLoss()[e], one.epochLoss()[0], where);
            params = one.iterate();
            if (one.averagedSteps() > 0) {
                mean = one.params();
            }
            steps = one.averagedSteps();
        }
        assertEquals(whole.averagedSteps(), steps);
        assertArrayEquals(whole.iterate(), params, "the last step's parameters");
        assertArrayEquals(whole.w(), one.w(), "the mean's w");
        assertEquals(whole.b(), one.b(), "the mean's b");
    }
}
