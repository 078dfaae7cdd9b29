package linreg.cpu;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import linreg.data.FloatRows;
import linreg.spec.Permutation;

/**
 * Every epoch's rows in its shuffled order, chunk by chunk ({@link ChunkPlan}), each chunk's
 * rows copied from the data into small arrays of its own, so that the steps read them in order
 * from cache. The trips to memory for random rows, and the permutation itself, happen here.
 *
 * <p>Chunks are numbered through the run (epoch e's chunk i is e·chunks + i) and taken by the
 * trainer in that order. Helper threads claim the next chunks and gather them ahead, across
 * epochs too, since every epoch's order follows from the seed alone; the trainer gathers a
 * chunk itself when no helper has claimed it yet. So with one helper both cores gather, and
 * the trainer, which also steps, simply claims fewer. Claims go through one counter, so each
 * chunk is gathered once, and a ring of slots bounds how far ahead the helpers run.
 *
 * <p>The rows are copied by {@link RowGather}, in the epoch's order or, unshuffled, in row order.
 */
final class RowFeed implements AutoCloseable {
    /** Spins of a helper that waits for a free slot before it naps (about 100 µs). */
    private static final int SPINS_BEFORE_NAPS = 1 << 14;
    private static final long NAP_NANOS = 20_000;

    /**
     * One gathered chunk: rows {@code 0..count-1} of {@link #x} (row-major), {@link #y} and, for
     * weighted samples, their weights {@link #v} (else null).
     */
    static final class Chunk {
        final float[] x;
        final float[] y;
        final float[] v;
        int count;
        /** The chunk's sample indices, scratch of the gathering. */
        private final int[] indices;

        Chunk(int capacity, int d, boolean weighted) {
            x = new float[capacity * d];
            y = new float[capacity];
            v = weighted ? new float[capacity] : null;
            indices = new int[capacity];
        }
    }

    private final RowGather gather;
    /** The samples' weights, or null. */
    private final float[] weights;
    private final boolean shuffled;
    private final int d;
    private final int n;
    private final long permutationSeed;
    private final int firstEpoch;
    private final ChunkPlan plan;
    private final long total;
    private final Chunk[] slots;
    /** Sequence number of the chunk in each slot once gathered; -1 before. */
    private final AtomicLongArray ready;
    /** The next chunk nobody has claimed. */
    private final AtomicLong next = new AtomicLong();
    /** Chunks the trainer is done with: their slots are free. */
    private volatile long taken;
    private volatile boolean closed;
    private volatile Throwable failure;
    private final Gatherer own;
    private final Thread[] helpers;

    /**
     * @param helpers threads that gather ahead (0: the trainer gathers every chunk itself)
     * @param firstEpoch the run's first epoch, whose order the feed's epoch 0 takes
     * @param epochs the run's epochs: no chunk past them is gathered
     * @param shuffled whether epochs go in the order of {@code permutationSeed} or in row order
     * @param weights the samples' weights, gathered with their rows, or null
     */
    RowFeed(FloatRows x, FloatRows y, float[] weights, long permutationSeed, boolean shuffled, ChunkPlan plan, int firstEpoch,
            int epochs, int helpers) {
        this.gather = new RowGather(x, y);
        this.weights = weights;
        this.shuffled = shuffled;
        this.d = x.width();
        this.n = y.rows();
        this.permutationSeed = permutationSeed;
        this.firstEpoch = firstEpoch;
        this.plan = plan;
        this.total = (long) epochs * plan.chunks();
        // Two slots per gatherer ahead of the one the trainer reads.
        int count = 2 * (helpers + 1) + 1;
        this.slots = new Chunk[count];
        this.ready = new AtomicLongArray(count);
        for (int s = 0; s < count; s++) {
            slots[s] = new Chunk(plan.capacity(), d, weights != null);
            ready.set(s, -1);
        }
        this.own = new Gatherer();
        this.helpers = new Thread[helpers];
        for (int h = 0; h < helpers; h++) {
            Thread t = new Thread(this::help, "linreg-cpu-feed-" + (h + 1));
            t.setDaemon(true);
            this.helpers[h] = t;
            t.start();
        }
    }

    /** How the epochs are cut into chunks. */
    ChunkPlan plan() {
        return plan;
    }

    /** Threads that gather: the helpers and the trainer. */
    int threads() {
        return helpers.length + 1;
    }

    /** Chunk i of epoch e, gathered; the trainer takes every chunk once, in order, then {@link #done}s it. */
    Chunk take(int epoch, int i) {
        long q = (long) epoch * plan.chunks() + i;
        int slot = (int) (q % slots.length);
        if (next.get() == q && next.compareAndSet(q, q + 1)) {
            own.gather(q, slots[slot]);
            return slots[slot];
        }
        // Spin: the helper is about done. Past that, yield, for a machine with more threads
        // than cores, where the helper may be waiting for this one's core.
        for (int spins = 0; ready.get(slot) != q; spins++) {
            Throwable t = failure;
            if (t != null) {
                throw new IllegalStateException("a CPU feed thread failed", t);
            }
            if (spins < SPINS_BEFORE_NAPS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        return slots[slot];
    }

    /** The trainer is done with chunk i of epoch e: its slot may be gathered into again. */
    void done(int epoch, int i) {
        taken = (long) epoch * plan.chunks() + i + 1;
    }

    private void help() {
        Gatherer gatherer = new Gatherer();
        try {
            int spins = 0;
            while (!closed) {
                long q = next.get();
                if (q >= total) {
                    return;
                }
                if (q >= taken + slots.length) {
                    if (++spins < SPINS_BEFORE_NAPS) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.parkNanos(NAP_NANOS);
                    }
                    continue;
                }
                spins = 0;
                if (next.compareAndSet(q, q + 1)) {
                    int slot = (int) (q % slots.length);
                    gatherer.gather(q, slots[slot]);
                    ready.set(slot, q);
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** One thread's permutation of the epoch at hand and its scratch of sample indices. */
    private final class Gatherer {
        private int epoch = -1;
        private Permutation permutation;

        void gather(long q, Chunk into) {
            int e = (int) (q / plan.chunks());
            int i = (int) (q % plan.chunks());
            if (e != epoch && shuffled) {
                permutation = Permutation.of(permutationSeed, firstEpoch + e, n);
                epoch = e;
            }
            int start = plan.start(i);
            int rows = plan.rows(i);
            int[] indices = into.indices;
            into.count = rows;
            if (!shuffled) {
                gather.copy(start, rows, into.x, into.y);
                if (weights != null) {
                    System.arraycopy(weights, start, into.v, 0, rows);
                }
                return;
            }
            permutation.fill(indices, 0, start, start + rows);
            gather.gather(indices, rows, into.x, into.y);
            if (weights != null) {
                for (int t = 0; t < rows; t++) {
                    into.v[t] = weights[indices[t]];
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : helpers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
