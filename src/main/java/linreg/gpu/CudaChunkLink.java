package linreg.gpu;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;
import static jcuda.driver.JCudaDriver.cuStreamWaitEvent;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;

/**
 * {@link ChunkLink} on a GPU: pinned host buffers (cuMemAllocHost), device buffers owned by the
 * context, a copy stream of its own beside the context's compute stream, and two events a slot:
 * "copied" (recorded on the copy stream, waited for by the compute stream and by the host before
 * it refills the pinned buffer) and "consumed" (recorded on the compute stream after the chunk's
 * kernels, waited for by the next copy into the slot's device buffer). Not yet run on a GPU.
 */
final class CudaChunkLink implements ChunkLink {
    private final CudaContext context;
    private final StreamPlan plan;
    private final CUstream copies = new CUstream();
    private final Pointer[] hosts;
    private final FloatBuffer[] views;
    private final DeviceBuffer[] device;
    private final CUevent[] copied;
    private final CUevent[] consumed;

    CudaChunkLink(CudaContext context, StreamPlan plan) {
        this.context = context;
        this.plan = plan;
        int slots = plan.slots();
        long bytes = 4 * plan.slotFloats();
        hosts = new Pointer[slots];
        views = new FloatBuffer[slots];
        device = new DeviceBuffer[slots];
        copied = new CUevent[slots];
        consumed = new CUevent[slots];
        try {
            Status.cuda(cuStreamCreate(copies, CUstream_flags.CU_STREAM_NON_BLOCKING), "cuStreamCreate (copies)");
            for (int s = 0; s < slots; s++) {
                device[s] = context.allocate("stream chunk " + s, bytes);
                Pointer host = new Pointer();
                Status.cuda(cuMemAllocHost(host, bytes), "cuMemAllocHost(" + bytes + ", stream chunk " + s + ")");
                hosts[s] = host;
                views[s] = host.getByteBuffer(0, bytes).order(ByteOrder.nativeOrder()).asFloatBuffer();
                copied[s] = event();
                consumed[s] = event();
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static CUevent event() {
        CUevent event = new CUevent();
        Status.cuda(cuEventCreate(event, CUevent_flags.CU_EVENT_DISABLE_TIMING), "cuEventCreate");
        return event;
    }

    /** The device buffer of {@code slot}: the chunk's X rows, then its y from float chunkRows·d on. */
    CUdeviceptr device(int slot) {
        return device[slot].pointer();
    }

    @Override
    public FloatBuffer pinned(int slot) {
        return views[slot];
    }

    @Override
    public void copy(int slot, int floats) {
        Status.cuda(cuStreamWaitEvent(copies, consumed[slot], 0), "cuStreamWaitEvent (chunk copy)");
        context.transfers().toDevice(4L * floats);
        Status.cuda(cuMemcpyHtoDAsync(device[slot].pointer(), hosts[slot], 4L * floats, copies), "cuMemcpyHtoDAsync (chunk)");
        Status.cuda(cuEventRecord(copied[slot], copies), "cuEventRecord (chunk copied)");
    }

    @Override
    public void awaitCopied(int slot) {
        Status.cuda(cuEventSynchronize(copied[slot]), "waiting for a chunk copy");
    }

    @Override
    public void compute(int slot, Runnable work) {
        Status.cuda(cuStreamWaitEvent(context.stream(), copied[slot], 0), "cuStreamWaitEvent (chunk compute)");
        work.run();
        Status.cuda(cuEventRecord(consumed[slot], context.stream()), "cuEventRecord (chunk consumed)");
    }

    /** Waits for copies in flight (a pinned buffer is never freed under one), then frees what it made. */
    @Override
    public void close() {
        cuStreamSynchronize(copies);
        for (int s = 0; s < plan.slots(); s++) {
            if (hosts[s] != null) {
                cuMemFreeHost(hosts[s]);
                hosts[s] = null;
            }
            if (copied[s] != null) {
                cuEventDestroy(copied[s]);
                copied[s] = null;
            }
            if (consumed[s] != null) {
                cuEventDestroy(consumed[s]);
                consumed[s] = null;
            }
        }
        cuStreamDestroy(copies);
    }
}
