package linreg.gpu;

import java.nio.FloatBuffer;
import linreg.cpu.RowGather;
import linreg.data.FloatRows;
import linreg.spec.Permutation;

/**
 * Streams each epoch's rows to the device through a ring of {@link StreamPlan#slots} chunks: the
 * host gathers the epoch's permuted rows (the in-memory run's permutation, so the same batches)
 * into the pinned buffer of the next slot, the copy stream moves it to the slot's device buffer,
 * and the compute stream runs the chunk's batches once the copy is done. Chunk q goes to slot
 * q mod slots through the whole run; before refilling a slot the host waits for the slot's last
 * copy, and the copy waits for the last compute on the slot's device buffer, so the ring is
 * never overrun while gathering, copying and computing overlap.
 */
final class ChunkStreamer {
    /** What the compute stream does with one chunk on the device. */
    @FunctionalInterface
    interface ChunkWork {
        /**
         * Queues chunk {@code i} of epoch {@code e}, of {@code rows} rows, held by {@code slot}'s
         * device buffer (X rows, then y), for the compute stream.
         */
        void queue(int slot, int e, int i, int rows);
    }

    private final StreamPlan plan;
    private final RowGather gather;
    private final long permutationSeed;
    private final int firstEpoch;
    private final boolean shuffle;
    private final float[] x;
    private final float[] y;
    private final int[] indices;
    /** Chunks handed to the link so far, through every epoch. */
    private long sequence;

    ChunkStreamer(FloatRows x, FloatRows y, StreamPlan plan, long permutationSeed, boolean shuffle) {
        this(x, y, plan, permutationSeed, 0, shuffle);
    }

    /** Epoch e streams in the order of the run's epoch {@code firstEpoch + e}. */
    ChunkStreamer(FloatRows x, FloatRows y, StreamPlan plan, long permutationSeed, int firstEpoch, boolean shuffle) {
        this.plan = plan;
        this.gather = new RowGather(x, y);
        this.permutationSeed = permutationSeed;
        this.firstEpoch = firstEpoch;
        this.shuffle = shuffle;
        this.x = new float[plan.chunkRows() * plan.features()];
        this.y = new float[plan.chunkRows()];
        this.indices = new int[plan.chunkRows()];
    }

    /** What happens once an epoch's chunks are queued: returns whether the run stops there. */
    @FunctionalInterface
    interface EpochEnd {
        boolean after(int e);
    }

    StreamPlan plan() {
        return plan;
    }

    /**
     * Streams up to {@code epochs} epochs through {@code link}, which it closes at the end, on an
     * error too (a failed gather, copy or launch): every pinned buffer is freed, and the error
     * goes on to the caller.
     *
     * @return the epochs streamed
     */
    int run(ChunkLink link, int epochs, ChunkWork work, EpochEnd end) {
        try (link) {
            for (int e = 0; e < epochs; e++) {
                epoch(e, link, work);
                if (end.after(e)) {
                    return e + 1;
                }
            }
            return epochs;
        }
    }

    /** Streams epoch e's chunks through {@code link}, queuing {@code work} for each. */
    void epoch(int e, ChunkLink link, ChunkWork work) {
        Permutation permutation = shuffle ? Permutation.of(permutationSeed, firstEpoch + e, plan.rows()) : null;
        int d = plan.features();
        for (int i = 0; i < plan.chunks(); i++) {
            int slot = (int) (sequence % plan.slots());
            if (sequence >= plan.slots()) {
                link.awaitCopied(slot);
            }
            int start = plan.start(i);
            int rows = plan.rowsOf(i);
            if (permutation != null) {
                permutation.fill(indices, 0, start, start + rows);
                gather.gather(indices, rows, x, y);
            } else {
                gather.copy(start, rows, x, y);
            }
            FloatBuffer pinned = link.pinned(slot);
            pinned.clear();
            pinned.put(x, 0, rows * d);
            // y after the chunk's full X block, where the compute side finds it for every chunk.
            pinned.position(plan.chunkRows() * d);
            pinned.put(y, 0, rows);
            link.copy(slot, (int) plan.slotFloats());
            int chunk = i;
            link.compute(slot, () -> work.queue(slot, e, chunk, rows));
            sequence++;
        }
    }
}
