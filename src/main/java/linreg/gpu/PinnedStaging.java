package linreg.gpu;

import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;

/**
 * How Java arrays cross to and from the device: through two chunks of pinned host memory, with
 * asynchronous copies on the context's work stream. On that stream a copy is ordered with the
 * kernels around it (a copy on the legacy default stream is not ordered with a non-blocking
 * stream's work), and a Java array is never handed to an asynchronous copy, which could read it
 * after the garbage collector has moved it. While one chunk is copying, the host fills or empties
 * the other. The chunks start small and grow, up to {@link #MAX_CHUNK} bytes, with the largest
 * copy asked for.
 */
final class PinnedStaging implements AutoCloseable {
    /** Bytes of one chunk at most. */
    static final long MAX_CHUNK = 8L << 20;
    private static final long MIN_CHUNK = 64L << 10;

    /** Moves {@code count} elements between a Java array at {@code from} and a chunk. */
    @FunctionalInterface
    private interface Elements {
        void move(ByteBuffer chunk, int from, int count);
    }

    private final CudaContext context;
    private final Pointer[] chunk = new Pointer[2];
    private final ByteBuffer[] view = new ByteBuffer[2];
    private final CUevent[] idle = new CUevent[2];  // recorded after the last copy that used the chunk
    private long chunkBytes;

    PinnedStaging(CudaContext context) {
        this.context = context;
        for (int k = 0; k < 2; k++) {
            idle[k] = context.event();
        }
    }

    /** Queues the copy of {@code src} to {@code dst}; returns once the array is no longer needed. */
    void toDevice(float[] src, CUdeviceptr dst) {
        toDevice(src.length, 4, dst, (c, from, n) -> c.asFloatBuffer().put(src, from, n));
    }

    void toDevice(int[] src, CUdeviceptr dst) {
        toDevice(src.length, 4, dst, (c, from, n) -> c.asIntBuffer().put(src, from, n));
    }

    void toDevice(long[] src, CUdeviceptr dst) {
        toDevice(src.length, 8, dst, (c, from, n) -> c.asLongBuffer().put(src, from, n));
    }

    /** Copies {@code dst.length} floats from {@code src}, after the stream's work so far. */
    void toHost(CUdeviceptr src, float[] dst) {
        toHost(src, dst.length, 4, (c, from, n) -> c.asFloatBuffer().get(dst, from, n));
    }

    void toHost(CUdeviceptr src, int[] dst) {
        toHost(src, dst.length, 4, (c, from, n) -> c.asIntBuffer().get(dst, from, n));
    }

    void toHost(CUdeviceptr src, long[] dst) {
        toHost(src, dst.length, 8, (c, from, n) -> c.asLongBuffer().get(dst, from, n));
    }

    void toHost(CUdeviceptr src, double[] dst) {
        toHost(src, dst.length, 8, (c, from, n) -> c.asDoubleBuffer().get(dst, from, n));
    }

    private void toDevice(int count, int size, CUdeviceptr dst, Elements fill) {
        int per = elementsPerChunk(count, size);
        for (int from = 0, k = 0; from < count; from += per, k ^= 1) {
            int n = Math.min(per, count - from);
            await(k);
            fill.move(view[k].clear(), from, n);
            Status.cuda(cuMemcpyHtoDAsync(dst.withByteOffset((long) size * from), chunk[k], (long) size * n, context.stream()),
                    "cuMemcpyHtoDAsync");
            context.record(idle[k]);
        }
    }

    private void toHost(CUdeviceptr src, int count, int size, Elements drain) {
        int per = elementsPerChunk(count, size);
        int chunks = count == 0 ? 0 : (count - 1) / per + 1;
        for (int c = 0; c < Math.min(2, chunks); c++) {
            queueToHost(src, count, size, per, c);
        }
        for (int c = 0; c < chunks; c++) {
            int k = c & 1;
            await(k);
            drain.move(view[k].clear(), c * per, Math.min(per, count - c * per));
            if (c + 2 < chunks) {
                queueToHost(src, count, size, per, c + 2);
            }
        }
    }

    private void queueToHost(CUdeviceptr src, int count, int size, int per, int c) {
        int k = c & 1;
        long from = (long) c * per;
        Status.cuda(cuMemcpyDtoHAsync(chunk[k], src.withByteOffset(size * from), size * Math.min(per, count - from),
                context.stream()), "cuMemcpyDtoHAsync");
        context.record(idle[k]);
    }

    private void await(int k) {
        Status.cuda(cuEventSynchronize(idle[k]), "waiting for a pinned copy");
    }

    /** Grows the chunks for a copy of {@code count} elements of {@code size} bytes; returns how many a chunk holds. */
    private int elementsPerChunk(int count, int size) {
        long want = Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, Long.highestOneBit(Math.max(1, (long) size * count - 1)) << 1));
        if (want > chunkBytes) {
            free();  // waits for copies in flight
            for (int k = 0; k < 2; k++) {
                chunk[k] = new Pointer();
                Status.cuda(cuMemAllocHost(chunk[k], want), "cuMemAllocHost(" + want + ")");
                view[k] = chunk[k].getByteBuffer(0, want).order(ByteOrder.nativeOrder());
            }
            chunkBytes = want;
        }
        return (int) (chunkBytes / size);
    }

    private void free() {
        for (int k = 0; k < 2; k++) {
            if (chunk[k] != null) {
                cuEventSynchronize(idle[k]);
                cuMemFreeHost(chunk[k]);
                chunk[k] = null;
                view[k] = null;
            }
        }
        chunkBytes = 0;
    }

    @Override
    public void close() {
        free();
    }
}
