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
import linreg.spec.Permutation;
import linreg.spec.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResumedEpochTest {
    private static final long RUN_SEED = Long.getLong("linreg.test.seed", System.nanoTime());

    @Test
    void unmixUndoesMix() {
        SplittableRandom random = new SplittableRandom(RUN_SEED);
        for (int i = 0; i < 10_000; i++) {
            long z = random.nextLong();
            assertEquals(z, ResumedEpoch.unmix64(Seeds.mix64(z)), "z = " + z);
        }
    }

    @Test
    void theSolvedSeedGivesTheEpochsOrder() {
        SplittableRandom random = new SplittableRandom(RUN_SEED ^ 1);
        for (int i = 0; i < 200; i++) {
            long seed = random.nextLong();
            int epoch = random.nextInt(1000);
            long solved = ResumedEpoch.seedOfEpoch(seed, epoch);
            assertArrayEquals(Permutation.roundKeys(Seeds.stream(seed, Seeds.PERMUTATION), epoch),
                    Permutation.roundKeys(Seeds.stream(solved, Seeds.PERMUTATION), 0), "seed " + seed + ", epoch " + epoch);
        }
        assertEquals(42, ResumedEpoch.seedOfEpoch(42, 0));
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
            params = Arrays.copyOf(one.w(), d + 1);
            params[d] = one.b();
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
}
