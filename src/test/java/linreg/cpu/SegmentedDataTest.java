package linreg.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import linreg.data.DataException;
import linreg.data.Dataset;
import linreg.data.HeapRows;
import linreg.data.Standardizer;
import linreg.data.SyntheticData;
import linreg.model.Metrics;
import linreg.train.EpochListener;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import linreg.train.ValidationMetrics;
import linreg.train.ValidationSplit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Data in heap segments of a few rows, so that small problems cross many segment edges: every
 * reader (the CPU engine's paths, the split, the z-scores, the metrics) gives the bits of the
 * same data in one array.
 */
class SegmentedDataTest {
    private static final long SEED = Long.getLong("linreg.test.seed", System.nanoTime());

    static Stream<Arguments> runs() {
        return Stream.of(
                // d, n, batch, shuffle, validation, threads, segment rows
                Arguments.of(4, 3001, 16, true, 0.0, 1, 7),
                Arguments.of(4, 3001, 16, false, 0.0, 1, 64),
                Arguments.of(5, 2500, 300, true, 0.2, 2, 13),
                Arguments.of(12, 1200, 1, true, 0.0, 1, 1),
                Arguments.of(3, 2000, 2000, false, 0.1, 2, 100),
                // Wide rows in big batches: one array splits each step across threads, segments feed.
                Arguments.of(40, 5000, 4096, true, 0.0, 2, 333),
                Arguments.of(40, 5000, 4096, false, 0.0, 2, 999),
                // Enough rows that helper threads gather.
                Arguments.of(4, (1 << 16) + 77, 64, true, 0.0, 2, 5000));
    }

    @ParameterizedTest(name = "d={0} n={1} batch={2} shuffle={3} validation={4} threads={5} segments of {6}")
    @MethodSource("runs")
    void trainingOnSegmentsGivesTheBitsOfOneArray(int d, int n, int batch, boolean shuffle, double validation,
            int threads, int segmentRows) {
        long seed = SEED ^ 31L * d ^ n;
        float[] w = SyntheticData.trueW(d);
        Dataset whole = SyntheticData.generate(n, w, 0.5f, seed);
        Dataset segmented = SyntheticData.generate(n, w, 0.5f, seed, segmentRows);
        assertNull(segmented.featureRows().array(), "the data must really be in segments");
        assertEquals(Math.min(n, segmentRows), ((HeapRows) segmented.featureRows()).segmentRows());
        TrainConfig config = TrainConfig.builder().lr(0.01f).epochs(3).batchSize(batch).shuffle(shuffle)
                .validation(validation > 0 ? validation : null).threads(threads).seed(seed).build();
        TrainResult one = new CpuTrainer(threads).train(whole, config, EpochListener.NONE);
        TrainResult many = new CpuTrainer(threads).train(segmented, config, EpochListener.NONE);
        String where = "seed " + seed + " (replay with -Dlinreg.test.seed=" + SEED + ")";
        assertSameRun(one, many, where);
    }

    static void assertSameRun(TrainResult one, TrainResult other, String where) {
        for (float v : one.w()) {
            assertTrue(Float.isFinite(v), "weights of the run on one array: " + where);
        }
        assertArrayEquals(one.w(), other.w(), where);
        assertEquals(Float.floatToRawIntBits(one.b()), Float.floatToRawIntBits(other.b()), where);
        assertArrayEquals(one.epochLoss(), other.epochLoss(), where);
        assertArrayEquals(one.epochMae(), other.epochMae(), where);
        assertEquals(one.validation() == null, other.validation() == null, where);
        if (one.validation() != null) {
            assertArrayEquals(one.validation(), other.validation(), where);
        }
    }

    @Test
    void segmentsHoldTheSameValuesAsOneArray() {
        Dataset whole = SyntheticData.generate(1000, SyntheticData.trueW(6), 1f, SEED);
        for (int rows : new int[] {1, 7, 999, 1000, 5000}) {
            Dataset segmented = whole.inSegments(rows);
            HeapRows x = (HeapRows) segmented.featureRows();
            assertEquals((1000 + Math.min(rows, 1000) - 1) / Math.min(rows, 1000), x.segments());
            float[] copy = new float[1000 * 6];
            x.copyRows(0, 1000, copy, 0);
            assertArrayEquals(whole.x(), copy);
            float[] part = new float[3 * 6];
            x.copyRows(rows % 997, 3, part, 0);
            for (int k = 0; k < part.length; k++) {
                assertEquals(whole.x()[(rows % 997) * 6 + k], part[k]);
            }
            assertEquals(whole.x()[6 * 999 + 5], x.get(999, 5));
            assertArrayEquals(whole.x(), copy(SyntheticData.generate(1000, SyntheticData.trueW(6), 1f, SEED, rows)));
        }
    }

    @Test
    void standardisingAndMetricsOnSegmentsMatchOneArray() throws DataException {
        Dataset whole = SyntheticData.generate(2000, SyntheticData.trueW(5), 3f, SEED);
        Dataset segmented = whole.inSegments(17);
        Standardizer a = Standardizer.fit(whole);
        Standardizer b = Standardizer.fit(segmented);
        assertArrayEquals(a.featureMeans(), b.featureMeans());
        assertArrayEquals(a.featureStds(), b.featureStds());
        assertEquals(a.targetMean(), b.targetMean());
        assertEquals(a.targetStd(), b.targetStd());
        Dataset za = a.transform(whole);
        Dataset zb = b.transform(segmented);
        assertNull(zb.featureRows().array(), "the z-scores keep the segments");
        assertArrayEquals(za.x(), Dataset.of(copy(zb), ys(zb), 5, "z", null, null).x());
        double[] w = {1, -2, 0.5, 3, 0.25};
        Metrics m = Metrics.of(w, 0.5, whole);
        assertTrue(Double.isFinite(m.mae()) && Double.isFinite(m.r2()));
        assertEquals(m, Metrics.of(w, 0.5, segmented));
        ValidationSplit s1 = ValidationSplit.of(whole, 0.25, SEED);
        ValidationSplit s2 = ValidationSplit.of(segmented, 0.25, SEED);
        assertNotNull(s2.training().featureRows());
        assertArrayEquals(s1.training().x(), copy(s2.training()));
        assertArrayEquals(s1.validation().y(), ys(s2.validation()));
        float[] params = {1, 2, 3, 4, 5, 0.5f};
        assertArrayEquals(ValidationMetrics.sums(s1.validation(), params), ValidationMetrics.sums(s2.validation(), params));
    }

    private static float[] copy(Dataset data) {
        float[] x = new float[data.samples() * data.features()];
        data.featureRows().copyRows(0, data.samples(), x, 0);
        return x;
    }

    private static float[] ys(Dataset data) {
        return ValidationMetrics.targets(data);
    }
}
