package linreg.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed team of threads that run one job together and meet at its end: the CPU engine's
 * fork-join for a mini-batch step. A step takes tens of microseconds, so the workers spin
 * between jobs instead of blocking (an executor hand-off costs about as much as the step).
 */
final class WorkerTeam implements AutoCloseable {
    /** Spins before a waiting worker starts to sleep in short naps (about 100 µs of spinning). */
    private static final int SPINS_BEFORE_NAPS = 1 << 14;
    private static final long NAP_NANOS = 20_000;

    private final int size;
    private final Thread[] workers;
    private final AtomicInteger generation = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private volatile IntConsumer job;
    private volatile boolean closed;
    private volatile Throwable failure;

    /** A team of {@code size} members: the calling thread and {@code size - 1} workers. */
    WorkerTeam(int size) {
        this.size = size;
        this.workers = new Thread[size - 1];
        for (int i = 1; i < size; i++) {
            int index = i;
            Thread t = new Thread(() -> loop(index), "linreg-cpu-" + i);
            t.setDaemon(true);
            workers[i - 1] = t;
            t.start();
        }
    }

    /** Members, the caller included. */
    int size() {
        return size;
    }

    /** Runs {@code job.accept(member)} on every member (the caller is member 0) and waits for all. */
    void run(IntConsumer job) {
        this.job = job;
        finished.set(0);
        generation.incrementAndGet();
        try {
            job.accept(0);
        } finally {
            while (finished.get() < size - 1) {
                Thread.onSpinWait();
            }
        }
        Throwable t = failure;
        if (t != null) {
            failure = null;
            if (t instanceof RuntimeException e) {
                throw e;
            }
            throw new IllegalStateException("a CPU worker failed", t);
        }
    }

    private void loop(int index) {
        int seen = 0;
        while (true) {
            int spins = 0;
            while (generation.get() == seen) {
                if (closed) {
                    return;
                }
                if (++spins < SPINS_BEFORE_NAPS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(NAP_NANOS);
                }
            }
            seen++;
            try {
                job.accept(index);
            } catch (Throwable t) {
                failure = t;
            } finally {
                finished.incrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : workers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
