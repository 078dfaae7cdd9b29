package linreg.gpu;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemsetD8Async;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import linreg.data.FloatRows;
import linreg.data.HeapRows;

/** Device memory of known size, freed on close; every copy goes through the context's {@link TransferLog}. */
public final class DeviceBuffer implements AutoCloseable {
    private final CudaContext context;
    private final String name;
    private final long bytes;
    private CUdeviceptr pointer;
    /** Floats of a heap block that carries rows not in one array to the device: 16 MiB. */
    static final int UPLOAD_BLOCK_FLOATS = 1 << 22;

    DeviceBuffer(CudaContext context, String name, long bytes) {
        this.context = context;
        this.name = name;
        this.bytes = bytes;
        this.pointer = new CUdeviceptr();
        Status.cuda(cuMemAlloc(pointer, Math.max(bytes, 4)), "cuMemAlloc(" + name + ", " + bytes + " bytes)");
    }

    /** The device address, for kernel arguments and library calls. */
    public CUdeviceptr pointer() {
        return pointer;
    }

    /** The address {@code offsetBytes} into the buffer. */
    public CUdeviceptr at(long offsetBytes) {
        return pointer.withByteOffset(offsetBytes);
    }

    public long bytes() {
        return bytes;
    }

    /**
     * Copies {@code host} to the start of the buffer, in stream order: kernels queued after it
     * see the data. Returns once the array may change again.
     */
    public void upload(float[] host) {
        fits(host.length);
        context.transfers().toDevice(4L * host.length);
        context.staging().toDevice(host, pointer);
    }

    /**
     * Copies every row of {@code rows} to the start of the buffer, row-major, segment by segment
     * (a mapped segment through a heap block of at most {@link #UPLOAD_BLOCK_FLOATS}), as
     * {@link #upload(float[])}.
     */
    public void upload(FloatRows rows) {
        fits((long) rows.rows() * rows.width());
        float[] one = rows.array();
        if (one != null) {
            upload(one);
            return;
        }
        int w = rows.width();
        int block = (int) Math.max(1, Math.min(rows.rows(), UPLOAD_BLOCK_FLOATS / w));
        float[] values = new float[block * w];
        for (int first = 0; first < rows.rows(); first += block) {
            int count = Math.min(block, rows.rows() - first);
            float[] part = count == block ? values : new float[count * w];
            rows.copyRows(first, count, part, 0);
            context.transfers().toDevice(4L * part.length);
            context.staging().toDevice(part, at(4L * first * w));
        }
    }

    public void upload(int[] host) {
        fits(host.length);
        context.transfers().toDevice(4L * host.length);
        context.staging().toDevice(host, pointer);
    }

    public void upload(long[] host) {
        fits(2L * host.length);
        context.transfers().toDevice(8L * host.length);
        context.staging().toDevice(host, pointer);
    }

    /** Fills the segments of {@code rows} from the start of the buffer, as {@link #download(float[])}. */
    public void download(HeapRows rows) {
        fits((long) rows.rows() * rows.width());
        long offset = 0;
        for (int s = 0; s < rows.segments(); s++) {
            float[] segment = rows.segment(s);
            context.transfers().toHost(4L * segment.length);
            context.staging().toHost(at(offset), segment);
            offset += 4L * segment.length;
        }
    }

    /** Fills {@code host} from the start of the buffer once the stream's work so far is done. */
    public void download(float[] host) {
        fits(host.length);
        context.transfers().toHost(4L * host.length);
        context.staging().toHost(pointer, host);
    }

    public void download(int[] host) {
        fits(host.length);
        context.transfers().toHost(4L * host.length);
        context.staging().toHost(pointer, host);
    }

    public void download(long[] host) {
        fits(2L * host.length);
        context.transfers().toHost(8L * host.length);
        context.staging().toHost(pointer, host);
    }

    public void download(double[] host) {
        fits(2L * host.length);
        context.transfers().toHost(8L * host.length);
        context.staging().toHost(pointer, host);
    }

    /** Checks that {@code words} 4-byte words fit in the buffer. */
    private void fits(long words) {
        if (4 * words > bytes) {
            throw new IllegalArgumentException(4 * words + " bytes do not fit in " + name + " (" + bytes + " bytes)");
        }
    }

    /** Queues a copy of {@code count} bytes into pinned host memory, in stream order. */
    void downloadAsync(Pointer pinned, long offsetBytes, long count) {
        context.transfers().toHost(count);
        Status.cuda(cuMemcpyDtoHAsync(pinned, at(offsetBytes), count, context.stream()), "copy from " + name);
    }

    /** Zeroes the buffer, in stream order. */
    public void clear() {
        Status.cuda(cuMemsetD8Async(pointer, (byte) 0, bytes, context.stream()), "clearing " + name);
    }

    @Override
    public void close() {
        if (pointer != null) {
            cuMemFree(pointer);
            pointer = null;
        }
    }
}
