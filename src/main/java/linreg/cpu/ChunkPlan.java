package linreg.cpu;

import linreg.spec.CanonicalSum;
/**
 * How an epoch's positions are cut into the chunks that {@link RowFeed} gathers: whole batches
 * per chunk when a batch fits, so that a step never spans two chunks, else each batch in parts
 * of a whole number of segments ({@link MaeGradient#SEGMENT}), so that no segment of the
 * canonical sum spans two. Chunk i of every epoch covers the same positions.
 */
final class ChunkPlan {
    /** Floats of one gathered chunk, rows × (d + 1), aimed at: 64 KiB, at home in the L2 cache. */
    static final int TARGET_FLOATS = 16 * 1024;

    private final int n;
    /** The batch size as the epoch sees it: at most n. */
    private final int batch;
    /** Rows a chunk holds at most. */
    private final int capacity;
    /** Parts of a batch (batches larger than a chunk), else 0. */
    private final int parts;
    private final int chunks;

    ChunkPlan(int n, int d, int batchSize) {
        this.n = n;
        this.batch = Math.min(batchSize, n);
        int segments = Math.max(1, TARGET_FLOATS / (d + 1) / CanonicalSum.SEGMENT);
        int partRows = segments * CanonicalSum.SEGMENT;
        if (batch <= partRows) {
            this.capacity = partRows / batch * batch;
            this.parts = 0;
            this.chunks = (n + capacity - 1) / capacity;
        } else {
            this.capacity = partRows;
            this.parts = (batch + partRows - 1) / partRows;
            int batches = (n + batch - 1) / batch;
            int last = n - (batches - 1) * batch;
            this.chunks = (batches - 1) * parts + (last + partRows - 1) / partRows;
        }
    }

    /** Chunks per epoch. */
    int chunks() {
        return chunks;
    }

    /** Rows a chunk holds at most. */
    int capacity() {
        return capacity;
    }

    /** Whether a chunk holds whole batches (else a part of one). */
    boolean wholeBatches() {
        return parts == 0;
    }

    /** The epoch position of chunk i's first row. */
    int start(int i) {
        return parts == 0 ? i * capacity : (i / parts) * batch + (i % parts) * capacity;
    }

    /** Rows in chunk i. */
    int rows(int i) {
        if (parts == 0) {
            return Math.min(capacity, n - i * capacity);
        }
        return Math.min(capacity, batchRows(i) - (i % parts) * capacity);
    }

    /** Whether chunk i is the first part of its batch (always, for whole batches). */
    boolean startsBatch(int i) {
        return parts == 0 || i % parts == 0;
    }

    /** Whether chunk i is the last part of its batch (always, for whole batches). */
    boolean endsBatch(int i) {
        return parts == 0 || (i % parts + 1) * capacity >= batchRows(i);
    }

    /** Rows of the batch that chunk i is a part of (parts only). */
    int batchRows(int i) {
        return Math.min(batch, n - (i / parts) * batch);
    }
}
