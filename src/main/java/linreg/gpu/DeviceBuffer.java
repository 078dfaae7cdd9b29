package linreg.gpu;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD8Async;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/** Device memory of known size, freed on close; every copy goes through the context's {@link TransferLog}. */
public final class DeviceBuffer implements AutoCloseable {
    private final CudaContext context;
    private final String name;
    private final long bytes;
    private CUdeviceptr pointer;

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
     * Copies {@code count} bytes from a host array or buffer. Synchronous: the call returns when
     * the data is on the device (an asynchronous copy could read a Java array the GC has moved).
     */
    public void upload(Pointer host, long offsetBytes, long count) {
        context.synchronize();
        context.transfers().toDevice(count);
        Status.cuda(cuMemcpyHtoD(at(offsetBytes), host, count), "copy to " + name);
    }

    /** Copies {@code count} bytes to a host array once the stream's work so far is done. */
    public void download(Pointer host, long offsetBytes, long count) {
        context.synchronize();
        context.transfers().toHost(count);
        Status.cuda(cuMemcpyDtoH(host, at(offsetBytes), count), "copy from " + name);
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
