package linreg.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import linreg.data.FloatRows;
import linreg.data.HeapRows;
import linreg.spec.Permutation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The chunk ring on a fake device whose two streams run their queued work at random moments (as
 * far as their events allow): every row exactly once an epoch, in the epoch's order; the host
 * never refills a pinned buffer whose copy is still queued; an error on any chunk reaches the
 * caller and every pinned buffer is freed.
 */
class ChunkStreamerTest {
    private static final long SEED = Long.getLong("linreg.test.seed", System.nanoTime());

    /** Row i holds 10·i + j in column j and i as its target: a chunk's values name its rows. */
    private static FloatRows[] rows(int n, int d) {
        float[] x = new float[n * d];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i * d + j] = 10f * i + j;
            }
            y[i] = i;
        }
        return new FloatRows[] {HeapRows.of(x, d), HeapRows.of(y, 1)};
    }

    /** A device of two streams (copies, computes) that run queued work in a random order their events allow. */
    static final class FakeDevice implements ChunkLink {
        private final StreamPlan plan;
        private final SplittableRandom random;
        private final FloatBuffer[] pinned;
        private final float[][] device;
        private final long[] copiesQueued;
        private final long[] copiesDone;
        private final long[] computesDone;
        private final Deque<int[]> copies = new ArrayDeque<>();
        private final Deque<Object[]> computes = new ArrayDeque<>();
        int live;
        int failCopyAt = -1;
        private int copyCalls;

        FakeDevice(StreamPlan plan, long seed) {
            this.plan = plan;
            this.random = new SplittableRandom(seed);
            int slots = plan.slots();
            pinned = new FloatBuffer[slots];
            device = new float[slots][(int) plan.slotFloats()];
            copiesQueued = new long[slots];
            copiesDone = new long[slots];
            computesDone = new long[slots];
            for (int s = 0; s < slots; s++) {
                pinned[s] = FloatBuffer.allocate((int) plan.slotFloats());
                live++;
            }
        }

        @Override
        public FloatBuffer pinned(int slot) {
            assertTrue(live > 0, "a pinned buffer used after close");
            assertEquals(copiesDone[slot], copiesQueued[slot], "slot " + slot + " refilled while its copy is queued");
            return pinned[slot];
        }

        @Override
        public void copy(int slot, int floats) {
            if (copyCalls++ == failCopyAt) {
                throw new IllegalStateException("copy " + failCopyAt + " failed");
            }
            copiesQueued[slot]++;
            copies.add(new int[] {slot, floats});
            runSome();
        }

        @Override
        public void awaitCopied(int slot) {
            while (copiesDone[slot] < copiesQueued[slot]) {
                assertTrue(step(true), "a wait that can never end (slot " + slot + ")");
            }
            runSome();
        }

        @Override
        public void compute(int slot, Runnable work) {
            computes.add(new Object[] {slot, work});
            runSome();
        }

        private void runSome() {
            for (int k = random.nextInt(3); k > 0; k--) {
                step(random.nextBoolean());
            }
        }

        /** Runs the head of one stream if its event allows; returns whether anything ran. */
        private boolean step(boolean copyFirst) {
            return copyFirst ? stepCopy() || stepCompute() : stepCompute() || stepCopy();
        }

        private boolean stepCopy() {
            int[] head = copies.peek();
            // A copy into a device buffer waits for the compute that last read it.
            if (head == null || computesDone[head[0]] < copiesDone[head[0]]) {
                return false;
            }
            copies.poll();
            pinned[head[0]].get(0, device[head[0]], 0, head[1]);
            copiesDone[head[0]]++;
            return true;
        }

        private boolean stepCompute() {
            Object[] head = computes.peek();
            if (head == null) {
                return false;
            }
            int slot = (Integer) head[0];
            // A compute waits for its slot's copy.
            if (copiesDone[slot] <= computesDone[slot]) {
                return false;
            }
            computes.poll();
            ((Runnable) head[1]).run();
            computesDone[slot]++;
            return true;
        }

        /** Everything queued, run (the stream's synchronisation at the end of a run). */
        void drain() {
            while (step(true)) {
                // runs until both queues are empty
            }
            assertTrue(copies.isEmpty() && computes.isEmpty(), "work left queued");
        }

        float[] deviceSlot(int slot) {
            return device[slot];
        }

        @Override
        public void close() {
            live = 0;
        }
    }

    @ParameterizedTest(name = "n {0}, d {1}, batch {2}, chunk bytes {3}, shuffle {4}")
    @CsvSource({"1000, 3, 16, 1024, true", "1000, 3, 16, 1024, false", "777, 5, 7, 300, true", "64, 2, 64, 100, true",
        "500, 1, 1, 8, true", "300, 4, 299, 100000, true"})
    void everyRowOnceAnEpochInTheEpochsOrder(int n, int d, int batch, long chunkBytes, boolean shuffle) {
        long seed = SEED ^ n * 31L ^ batch;
        FloatRows[] data = rows(n, d);
        StreamPlan plan = StreamPlan.of(n, d, batch, chunkBytes);
        assertTrue(plan.chunkRows() % plan.batch() == 0 || plan.chunks() == 1, "chunks of whole batches");
        ChunkStreamer streamer = new ChunkStreamer(data[0], data[1], plan, seed, shuffle);
        FakeDevice device = new FakeDevice(plan, seed);
        int epochs = 3;
        List<List<Integer>> seen = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            seen.add(new ArrayList<>());
        }
        int[] next = new int[epochs];
        int streamed = streamer.run(device, epochs, (slot, e, i, count) -> {
            assertEquals(next[e]++, i, "chunks of epoch " + e + " in order");
            float[] chunk = device.deviceSlot(slot);
            for (int t = 0; t < count; t++) {
                int row = (int) chunk[plan.chunkRows() * d + t];
                for (int j = 0; j < d; j++) {
                    assertEquals(10f * row + j, chunk[t * d + j], "row " + row + " whole in its chunk");
                }
                seen.get(e).add(row);
            }
        }, e -> {
            device.drain();
            return false;
        });
        assertEquals(epochs, streamed);
        assertEquals(0, device.live, "pinned buffers freed");
        for (int e = 0; e < epochs; e++) {
            Permutation p = Permutation.of(seed, e, n);
            assertEquals(n, seen.get(e).size(), "rows of epoch " + e);
            boolean[] once = new boolean[n];
            for (int pos = 0; pos < n; pos++) {
                int row = seen.get(e).get(pos);
                assertFalse(once[row], "row " + row + " twice in epoch " + e);
                once[row] = true;
                assertEquals(shuffle ? p.apply(pos) : pos, row, "position " + pos + " of epoch " + e);
            }
        }
    }

    @ParameterizedTest(name = "a failure at chunk {0} of {1}")
    @CsvSource({"0, copy", "4, copy", "11, copy", "0, gather", "7, gather", "3, compute", "10, compute"})
    void anErrorOnAnyChunkReachesTheCallerAndFreesThePinnedBuffers(int at, String where) {
        int n = 120;
        int d = 2;
        FloatRows[] data = rows(n, d);
        RuntimeException planted = new IllegalStateException("planted");
        // 10 rows a chunk: 12 chunks an epoch.
        StreamPlan plan = StreamPlan.of(n, d, 10, 120);
        assertEquals(12, plan.chunks());
        FloatRows x = where.equals("gather") ? failingRows(data[0], at * 10, planted) : data[0];
        ChunkStreamer streamer = new ChunkStreamer(x, data[1], plan, SEED, false);
        FakeDevice device = new FakeDevice(plan, SEED);
        if (where.equals("copy")) {
            device.failCopyAt = at;
        }
        int[] computed = {0};
        RuntimeException e = assertThrows(RuntimeException.class, () -> streamer.run(device, 2, (slot, epoch, i, count) -> {
            if (where.equals("compute") && computed[0]++ == at) {
                throw planted;
            }
        }, epoch -> {
            device.drain();
            return false;
        }));
        if (!where.equals("copy")) {
            assertSame(planted, e);
        } else {
            assertEquals("copy " + at + " failed", e.getMessage());
        }
        assertEquals(0, device.live, "every pinned buffer freed after the error");
    }

    /** {@code rows} whose row {@code bad} cannot be read (a file that went away). */
    private static FloatRows failingRows(FloatRows rows, int bad, RuntimeException failure) {
        return new FloatRows() {
            public int rows() {
                return rows.rows();
            }

            public int width() {
                return rows.width();
            }

            public float[] array() {
                return null;
            }

            public void copyRows(int first, int count, float[] to, int offset) {
                if (bad >= first && bad < first + count) {
                    throw failure;
                }
                rows.copyRows(first, count, to, offset);
            }

            public void copyRow(int row, float[] to, int offset) {
                copyRows(row, 1, to, offset);
            }

            public float get(int row, int column) {
                return rows.get(row, column);
            }

            public long heapBytes() {
                return rows.heapBytes();
            }

            public long mappedBytes() {
                return 0;
            }
        };
    }
}
