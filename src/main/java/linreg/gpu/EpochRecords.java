package linreg.gpu;

import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import linreg.spec.CanonicalSum;
import linreg.train.TrainingHistory;

/**
 * The per-epoch records a GPU run leaves on the device, 32 bytes each (double loss sum, double
 * |r| sum, float validation A, float validation B, double ΣV of a weighted run, else padding),
 * their copies in pinned host memory, the events that time the epochs, and reading them into the
 * run's {@link TrainingHistory}. Only the record crosses to the host: 16 bytes an epoch, 24 with a
 * hold-out, 32 for a weighted run.
 */
final class EpochRecords {
    /** Bytes of one record. */
    static final int RECORD = 32;
    /** Offset of the validation sums A and B in a record. */
    static final int VALIDATION = 16;
    /** Offset of a weighted run's total weight ΣV of the epoch's stepping batches. */
    static final int WEIGHT = 24;

    private final CudaContext context;
    private final DeviceBuffer records;
    private final ByteBuffer host;
    private final Pointer pinned;
    private final CUevent[] done;
    private final long samples;
    private final boolean validation;
    private final boolean weighted;
    /** The hold-out's total weight V (the same every epoch: the host sums it once), or null. */
    private final Float validationWeight;
    private final TrainingHistory history;

    /** Zeroed records for {@code epochs} epochs of {@code samples} unweighted training rows. */
    EpochRecords(CudaContext context, int epochs, long samples, boolean validation, TrainingHistory history) {
        this(context, epochs, samples, validation, false, null, history);
    }

    /**
     * Zeroed records for {@code epochs} epochs of {@code samples} training rows, weighted or not;
     * {@code validationWeights}: the held-out rows' weights, or null.
     */
    EpochRecords(CudaContext context, int epochs, long samples, boolean validation, boolean weighted,
            float[] validationWeights, TrainingHistory history) {
        this.context = context;
        this.samples = samples;
        this.validation = validation;
        this.weighted = weighted;
        this.validationWeight = validationWeights != null ? CanonicalSum.of(validationWeights) : null;
        this.history = history;
        long bytes = (long) RECORD * Math.max(1, epochs);
        records = context.allocate("epoch records", bytes);
        records.clear();
        pinned = context.allocatePinned(bytes);
        host = pinned.getByteBuffer(0, bytes).order(ByteOrder.nativeOrder());
        done = new CUevent[epochs + 1];
        for (int e = 0; e <= epochs; e++) {
            done[e] = context.event();
        }
    }

    /** The first record: where the pipeline's graph finds every epoch's. */
    CUdeviceptr base() {
        return records.pointer();
    }

    /** Epoch e's record: the loss and |r| sums are added there. */
    CUdeviceptr record(int e) {
        return records.at((long) RECORD * e);
    }

    /** Where epoch e's validation sums go. */
    CUdeviceptr validationSums(int e) {
        return records.at((long) RECORD * e + VALIDATION);
    }

    /** Marks the start of the first epoch in the stream. */
    void start() {
        context.record(done[0]);
    }

    /** Queues the copy of epoch e's record to the host and the event that ends the epoch. */
    void queue(int e) {
        records.downloadAsync(pinned.withByteOffset((long) RECORD * e), (long) RECORD * e,
                weighted ? RECORD : validation ? 24 : 16);
        context.record(done[e + 1]);
    }

    /** Waits for epoch e and returns its GPU time: from the end of epoch e - 1 to its own. */
    double seconds(int e) {
        Status.cuda(cuEventSynchronize(done[e + 1]), "waiting for epoch " + e);
        float[] ms = {0f};
        Status.cuda(cuEventElapsedTime(ms, done[e], done[e + 1]), "cuEventElapsedTime");
        return ms[0] * 1e-3;
    }

    /**
     * After epoch e is queued: with lookahead, records epoch e - 1 (the GPU already has e to work
     * on); without (early stopping needs each epoch before the next is queued), records epoch e.
     *
     * @return true when the run should stop after epoch e
     */
    boolean settle(int e, boolean lookahead) {
        if (!lookahead) {
            return finish(e);
        }
        if (e > 0) {
            finish(e - 1);
        }
        return false;
    }

    /** After the loop: with lookahead, records the last epoch trained (none for zero epochs). */
    void settleLast(int epochs, boolean lookahead) {
        if (lookahead && epochs > 0) {
            finish(epochs - 1);
        }
    }

    /** Waits for epoch e, records it in the history; true when the run should stop there. */
    boolean finish(int e) {
        double seconds = seconds(e);
        int at = RECORD * e;
        float[] sums = null;
        if (validation) {
            float a = host.getFloat(at + VALIDATION);
            float b = host.getFloat(at + VALIDATION + 4);
            // Weighted sums carry V (ValidationMetrics.sums' layout).
            sums = validationWeight == null ? new float[] {a, b} : new float[] {a, b, validationWeight};
        }
        // The epoch's mean loss: ΣS over the rows' count, or over ΣV (CpuTrainer's lossSum / weight).
        double count = weighted ? host.getDouble(at + WEIGHT) : samples;
        return history.record(e, host.getDouble(at), host.getDouble(at + 8) / count, seconds, sums);
    }
}
