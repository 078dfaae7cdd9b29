package linreg.gpu;

/**
 * How a streamed GPU run cuts each epoch: chunks of whole batches (so a batch's rows are
 * contiguous on the device, and the batches are the in-memory run's), and a ring of
 * {@link #slots} chunks, each a pinned host buffer and a device buffer of the chunk's X rows
 * followed by its y values. The ring is what bounds the memory of streaming, on both sides.
 *
 * @param rows the run's training rows n
 * @param features d
 * @param batch rows a step (at most n)
 * @param chunkRows rows of a chunk: a whole number of batches (the last chunk may be shorter)
 * @param slots chunks of the ring
 */
public record StreamPlan(int rows, int features, int batch, int chunkRows, int slots) {
    /** Bytes a chunk aims at: big copies run near the link's bandwidth, a few fit any card. */
    public static final long CHUNK_BYTES = 64L << 20;
    /** Chunks of the ring: one being copied, one being computed on, one being gathered. */
    public static final int SLOTS = 3;

    public StreamPlan {
        if (rows < 1 || features < 1 || batch < 1 || batch > rows || chunkRows < batch || chunkRows % batch != 0 && chunkRows != rows
                || slots < 2) {
            throw new IllegalArgumentException("a stream of " + rows + " rows of " + features + " in chunks of " + chunkRows
                    + " rows, batches of " + batch + ", " + slots + " slots");
        }
    }

    /** The plan for n rows of d features in batches of {@code batch}, chunks near {@code chunkBytes}. */
    public static StreamPlan of(int n, int d, int batch, long chunkBytes) {
        int m = Math.min(batch, n);
        long batchBytes = 4L * m * (d + 1);
        long batches = Math.max(1, chunkBytes / batchBytes);
        long chunkRows = Math.min((long) m * batches, n);
        if (chunkRows < n) {
            chunkRows = chunkRows / m * m;
        }
        return new StreamPlan(n, d, m, (int) chunkRows, SLOTS);
    }

    /** Chunks of an epoch. */
    public int chunks() {
        return (int) (((long) rows + chunkRows - 1) / chunkRows);
    }

    /** First position (in the epoch's order) of chunk i. */
    public int start(int i) {
        return i * chunkRows;
    }

    /** Rows of chunk i. */
    public int rowsOf(int i) {
        return Math.min(chunkRows, rows - start(i));
    }

    /** Floats of one slot: a chunk's X then its y. */
    public long slotFloats() {
        return (long) chunkRows * (features + 1);
    }

    /** Bytes of the ring on one side (pinned host or device). */
    public long ringBytes() {
        return 4L * slotFloats() * slots;
    }
}
