package linreg.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PermutationTest {
    private static final long SEED0 = Seeds.stream(0, Seeds.PERMUTATION);
    private static final long SEED42 = Seeds.stream(42, Seeds.PERMUTATION);

    private static int[] order(long seed, int epoch, int n) {
        int[] out = new int[n];
        Permutation.of(seed, epoch, n).fill(out, 0, n);
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 16, 500, 1_000_003})
    void isABijection(int n) {
        for (long seed : new long[] {SEED0, SEED42, -1L}) {
            for (int epoch : new int[] {0, 1, 49, Integer.MAX_VALUE}) {
                boolean[] seen = new boolean[n];
                for (int v : order(seed, epoch, n)) {
                    assertTrue(v >= 0 && v < n, "out of range: " + v);
                    assertFalse(seen[v], "twice: " + v);
                    seen[v] = true;
                }
            }
        }
    }

    /** The block form walks cycles for a whole block at once; it must give apply's values exactly. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 17, 1000, 2047, 2048, 2049, 4096, 4097, 65_537, 1_000_003})
    void fillAgreesWithApply(int n) {
        for (int epoch : new int[] {0, 7}) {
            Permutation p = Permutation.of(SEED42, epoch, n);
            int[] filled = new int[n];
            p.fill(filled, 0, n);
            for (int i = 0; i < n; i++) {
                assertEquals(p.apply(i), filled[i], "n " + n + ", position " + i);
            }
            // A range that starts and ends inside blocks, written at an offset.
            int from = n / 3;
            int to = n - n / 5;
            int[] part = new int[to - from + 3];
            p.fill(part, 3, from, to);
            for (int i = from; i < to; i++) {
                assertEquals(filled[i], part[3 + i - from], "n " + n + ", range position " + i);
            }
        }
    }

    @Test
    void matchesTheDocumentedTestVectors() {
        assertEquals(0x06c45d188009454fL, SEED0);
        assertEquals(0x2a990be63a01b2d5L, SEED42);
        assertEquals(0xe220a8397b1dcdafL, Seeds.stream(0, Seeds.DATA));
        assertEquals(0x6e789e6aa1b965f4L, Seeds.stream(0, Seeds.INIT));
        assertEquals(0xf88bb8a8724c81ecL, Seeds.stream(0, Seeds.GPU_DATA));
        assertArrayEquals(new int[] {0xccea3ac9, 0x674641ae, 0x80ec130e, 0x48e54448,
            0x0450dbe5, 0x781712f6, 0x3f9e8325, 0x4dfe4291}, Permutation.roundKeys(SEED0, 0));
        assertArrayEquals(new int[] {0xd7b80a77, 0xc4d6fed8, 0x59a46a32, 0x1ec345f9,
            0x137c7e82, 0xd5b572ce, 0x33ce1f08, 0x16b78f67}, Permutation.roundKeys(SEED0, 1));
        assertArrayEquals(new int[] {0}, order(SEED0, 0, 1));
        assertArrayEquals(new int[] {1, 0}, order(SEED0, 0, 2));
        assertArrayEquals(new int[] {1, 0, 2}, order(SEED0, 0, 3));
        assertArrayEquals(new int[] {6, 3, 5, 9, 4, 2, 8, 1, 0, 7}, order(SEED0, 0, 10));
        assertArrayEquals(new int[] {6, 5, 8, 7, 4, 3, 1, 2, 0, 9}, order(SEED0, 1, 10));
        assertVector(order(SEED0, 0, 500), 296, 376, 384, 268, 447, 81, 238, 304, 437, 497, 451);
        assertVector(order(SEED0, 1, 500), 488, 250, 339, 398, 348, 343, 112, 322, 84, 238, 444);
        assertVector(order(SEED42, 0, 500), 303, 135, 466, 173, 140, 442, 5, 373, 82, 439, 416);
        assertVector(order(SEED0, 0, 1_000_003), 740789,
                576358, 851809, 240248, 135452, 272266, 56389, 744223, 667699, 935575, 933963);
        assertVector(order(SEED42, 1, 1_000_003), 830467,
                301799, 365763, 652295, 194780, 44064, 78491, 807476, 663493, 500628, 48068);
    }

    private static void assertVector(int[] order, int last, int... first) {
        assertArrayEquals(first, Arrays.copyOf(order, first.length));
        assertEquals(last, order[order.length - 1]);
    }

    @Test
    void differsAcrossEpochsAndSeeds() {
        int n = 500;
        int[] base = order(SEED0, 0, n);
        for (int epoch = 1; epoch < 50; epoch++) {
            assertFalse(Arrays.equals(base, order(SEED0, epoch, n)), "epoch " + epoch + " repeats epoch 0");
        }
        for (long seed = 1; seed < 50; seed++) {
            assertFalse(Arrays.equals(base, order(Seeds.stream(seed, Seeds.PERMUTATION), 0, n)), "seed " + seed);
        }
    }

    /**
     * Well mixed: over many epochs every sample visits every position about equally often
     * (chi-square), an epoch's order keeps neighbours together, or one apart, no more often than
     * chance, has about one fixed point, and correlates neither with the identity nor with the
     * epoch before. Bounds are 6 standard deviations: a fair shuffle fails them with
     * probability below 1e-8. (Domains of 16 or fewer keep a small bias: docs/algorithm.md.)
     */
    @ParameterizedTest
    @ValueSource(ints = {64, 500, 4096})
    void isWellMixed(int n) {
        int epochs = 20_000;
        int tracked = Math.min(n, 64);
        long[][] counts = new long[tracked][tracked];
        long adjacent = 0;
        long oneApart = 0;
        long fixedPoints = 0;
        for (int e = 0; e < epochs; e++) {
            int[] o = order(SEED42, e, n);
            for (int i = 0; i < n; i++) {
                if (i < tracked && o[i] < tracked) {
                    counts[i][o[i]]++;
                }
                fixedPoints += o[i] == i ? 1 : 0;
                adjacent += i > 0 && Math.abs(o[i] - o[i - 1]) == 1 ? 1 : 0;
                oneApart += i > 1 && Math.abs(o[i] - o[i - 2]) == 1 ? 1 : 0;
            }
        }
        double expected = (double) epochs / n;
        double chi2 = 0;
        for (long[] row : counts) {
            for (long c : row) {
                chi2 += (c - expected) * (c - expected) / expected;
            }
        }
        // Cells of a sub-square are close to independent Poisson counts when n >> 64.
        double df = n == tracked ? (n - 1) * (n - 1) : tracked * tracked;
        assertTrue(Math.abs(chi2 - df) < 6 * Math.sqrt(2 * df), "chi-square " + chi2 + " for " + df + " degrees of freedom");
        assertPoisson(fixedPoints, epochs, 1.0, "fixed points");
        assertPoisson(adjacent, epochs, 2.0 * (n - 1) / n, "neighbours kept together");
        assertPoisson(oneApart, epochs, 2.0 * (n - 2) / n, "neighbours one apart");
    }

    private static void assertPoisson(long count, int epochs, double meanPerEpoch, String what) {
        double mean = (double) count / epochs;
        assertTrue(Math.abs(mean - meanPerEpoch) < 6 * Math.sqrt(meanPerEpoch / epochs),
                what + " per epoch: " + mean + ", expected " + meanPerEpoch);
    }

    @Test
    void largeOrdersAreUncorrelated() {
        int big = 1_000_003;
        int[] previous = order(SEED0, 0, big);
        for (int e = 1; e < 4; e++) {
            int[] current = order(SEED0, e, big);
            assertTrue(Math.abs(rankCorrelation(current, identity(big))) < 6 / Math.sqrt(big), "epoch " + e + " vs identity");
            assertTrue(Math.abs(rankCorrelation(current, previous)) < 6 / Math.sqrt(big), "epoch " + e + " vs epoch " + (e - 1));
            previous = current;
        }
    }

    private static int[] identity(int n) {
        int[] id = new int[n];
        for (int i = 0; i < n; i++) {
            id[i] = i;
        }
        return id;
    }

    /** Spearman's rho of two permutations of 0..n-1 (their values are their ranks). */
    private static double rankCorrelation(int[] a, int[] b) {
        double n = a.length;
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double diff = a[i] - b[i];
            sum += diff * diff;
        }
        return 1 - 6 * sum / (n * (n * n - 1));
    }
}
