package linreg.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import linreg.data.Dataset;
import linreg.spec.LearningRateSchedule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A run of E1 epochs continued for E2 more from its result (its w and b, first epoch E1) is one
 * run of E1 + E2 epochs, bit for bit: every epoch takes its order, its rate and its averaging
 * from its index in the longer run. Without momentum (velocities restart at zero) and, with
 * averaging, continued from the last step's parameters and the running mean.
 */
class ContinuedRunTest {
    private static final long RUN_SEED = Long.getLong("linreg.test.seed", System.nanoTime());

    /** Schedules (which continue with the epoch index), no shuffle, the feed's helper threads, wide rows. */
    static Stream<Arguments> runs() {
        LearningRateSchedule step = new LearningRateSchedule(LearningRateSchedule.Kind.step, 1, 2, 0.5);
        return Stream.of(
                Arguments.of("tutorial", 500, 3, TrainConfig.builder()),
                Arguments.of("invsqrt", 700, 3, TrainConfig.builder()
                        .schedule(new LearningRateSchedule(LearningRateSchedule.Kind.invsqrt, 2, 10, 0.5))),
                Arguments.of("step every 2, clip", 900, 3, TrainConfig.builder().schedule(step).clipNorm(0.5f)),
                Arguments.of("no shuffle", 300, 3, TrainConfig.builder().shuffle(false)),
                Arguments.of("2 threads", 70_000, 3, TrainConfig.builder().threads(2).batchSize(64)),
                Arguments.of("2 threads, wide rows", 4_200, 40, TrainConfig.builder().threads(2).batchSize(2100)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void e1ThenE2EpochsAreOneRunOfE1PlusE2(String name, int n, int d, TrainConfig.Builder builder) {
        SplittableRandom random = new SplittableRandom(RUN_SEED ^ name.hashCode());
        Dataset data = Problems.marginProblem(random, n, d, Problems.gaussianVector(random, d, 2), 0.3f, 1f);
        long seed = random.nextLong();
        int e1 = 3;
        int e2 = 2;
        String where = name + " (replay with -Dlinreg.test.seed=" + RUN_SEED + ")";
        TrainResult whole = Engines.cpu().train(data, builder.seed(seed).epochs(e1 + e2).build());
        TrainResult first = Engines.cpu().train(data, builder.seed(seed).epochs(e1).build());
        TrainResult second = Engines.cpu().train(data, builder.seed(seed).epochs(e2).firstEpoch(e1)
                .initW(first.w()).initB(first.b()).build());
        assertArrayEquals(bits(whole.w()), bits(second.w()), "w, " + where);
        assertEquals(Float.floatToIntBits(whole.b()), Float.floatToIntBits(second.b()), "b, " + where);
        for (int e = 0; e < e2; e++) {
            assertEquals(whole.epochLoss()[e1 + e], second.epochLoss()[e], "epoch " + (e1 + e) + ", " + where);
        }
        assertEquals(whole.epochLoss()[0], first.epochLoss()[0], where);
    }

    @ParameterizedTest(name = "average from epoch {0}")
    @MethodSource("averageStarts")
    void anAveragedRunContinuesFromItsIterateAndMean(int averageFrom) {
        SplittableRandom random = new SplittableRandom(RUN_SEED ^ averageFrom);
        int d = 4;
        Dataset data = Problems.marginProblem(random, 600, d, Problems.gaussianVector(random, d, 2), 0.3f, 1f);
        TrainConfig.Builder builder = TrainConfig.builder().seed(random.nextLong()).batchSize(8).average(averageFrom);
        TrainResult whole = Engines.cpu().train(data, builder.epochs(5).build());
        TrainResult first = Engines.cpu().train(data, builder.epochs(3).build());
        float[] iterate = first.iterate();
        float[] mean = null;
        if (first.averagedSteps() > 0) {
            mean = first.params();
        }
        TrainResult second = Engines.cpu().train(data, builder.epochs(2).firstEpoch(3).initW(Arrays.copyOf(iterate, d))
                .initB(iterate[d]).startAverage(mean, first.averagedSteps()).build());
        assertArrayEquals(bits(whole.w()), bits(second.w()), "the mean's w");
        assertEquals(Float.floatToIntBits(whole.b()), Float.floatToIntBits(second.b()), "the mean's b");
        assertEquals(whole.averagedSteps(), second.averagedSteps());
    }

    static Stream<Integer> averageStarts() {
        return Stream.of(0, 2, 3, 4);
    }

    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int j = 0; j < v.length; j++) {
            b[j] = Float.floatToIntBits(v[j]);
        }
        return b;
    }
}
