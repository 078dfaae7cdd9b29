package linreg.gpu;

import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;

import java.util.Arrays;
import jcuda.Pointer;
import jcuda.driver.CUevent;

/**
 * The GPU's device-to-device copy bandwidth: the ceiling a bandwidth-bound epoch is measured
 * against (DESIGN.md §8: one epoch reads at least n·(d+1)·4 bytes). One buffer is copied to
 * another with cuMemcpyDtoDAsync on the context's stream, each copy timed by CUDA events; the
 * answer is the median. As NVIDIA's bandwidthTest does, a copy of B bytes counts as 2·B bytes of
 * memory traffic (read and write).
 */
public final class CopyBandwidth {
    /** The size the bench copies unless the card's free memory asks for less. */
    public static final long DEFAULT_BYTES = 1L << 30;

    /**
     * One measurement.
     *
     * @param device the GPU's name
     * @param bytes the size of one copy
     * @param copies the timed copies (after one untimed)
     * @param secondsPerCopy the median copy's time
     */
    public record Result(String device, long bytes, int copies, double secondsPerCopy) {
        /** Memory traffic per second, read plus write, in bytes. */
        public double trafficBytesPerSecond() {
            return 2.0 * bytes / secondsPerCopy;
        }
    }

    private CopyBandwidth() {}

    /**
     * Copies {@code bytes} (fewer when less than twice that is free) {@code copies} times on GPU
     * {@code device}.
     *
     * @throws GpuUnavailableException naming why the GPU cannot be used
     */
    public static Result measure(int device, long bytes, int copies) {
        if (bytes < 4 || copies < 1) {
            throw new IllegalArgumentException("copy at least 4 bytes at least once, got " + bytes + " bytes × " + copies);
        }
        try (CudaContext context = CudaContext.open(device)) {
            long size = fitting(bytes, context.memoryInfo()[0]);
            return new Result(context.device().name(), size, copies, medianCopySeconds(context, size, copies));
        }
    }

    /**
     * Host-to-device bandwidth: {@code bytes} of pinned host memory copied to the device
     * {@code copies} times (cuMemcpyHtoDAsync, timed by events): the ceiling of a streamed epoch,
     * which moves every row across the link once. A copy of B bytes is B bytes of traffic. Not yet
     * run on a GPU.
     */
    public static Result measureHostToDevice(int device, long bytes, int copies) {
        if (bytes < 4 || copies < 1) {
            throw new IllegalArgumentException("copy at least 4 bytes at least once, got " + bytes + " bytes × " + copies);
        }
        try (CudaContext context = CudaContext.open(device)) {
            long size = fitting(bytes, context.memoryInfo()[0]);
            Pointer host = context.allocatePinned(size);
            DeviceBuffer to = context.allocate("copy target", size);
            return new Result(context.device().name(), size, copies, medianSeconds(context, copies,
                    () -> Status.cuda(cuMemcpyHtoDAsync(to.pointer(), host, size, context.stream()), "cuMemcpyHtoDAsync")));
        }
    }

    /** The copy size: {@code wanted}, or the largest that two buffers and the reserve leave room for. */
    static long fitting(long wanted, long freeBytes) {
        long room = (freeBytes - DeviceMemoryPlan.RESERVE_BYTES) / 2;
        long size = Math.min(wanted, room) & ~255L;
        if (size < (1L << 20)) {
            throw new DeviceMemoryException("too little free GPU memory to time a copy: "
                    + DeviceMemoryPlan.gib(freeBytes) + " free");
        }
        return size;
    }

    private static double medianCopySeconds(CudaContext context, long size, int copies) {
        DeviceBuffer from = context.allocate("copy source", size);
        DeviceBuffer to = context.allocate("copy target", size);
        from.clear();
        return medianSeconds(context, copies, () -> copy(context, from, to));
    }

    /** The median time of {@code copies} runs of {@code copy} on the context's stream, after one untimed. */
    private static double medianSeconds(CudaContext context, int copies, Runnable copy) {
        CUevent start = context.event();
        CUevent end = context.event();
        copy.run();
        double[] seconds = new double[copies];
        for (int i = 0; i < copies; i++) {
            context.record(start);
            copy.run();
            context.record(end);
            Status.cuda(cuEventSynchronize(end), "waiting for a copy");
            float[] ms = {0f};
            Status.cuda(cuEventElapsedTime(ms, start, end), "cuEventElapsedTime");
            seconds[i] = ms[0] * 1e-3;
        }
        Arrays.sort(seconds);
        return seconds[copies / 2];
    }

    private static void copy(CudaContext context, DeviceBuffer from, DeviceBuffer to) {
        Status.cuda(cuMemcpyDtoDAsync(to.pointer(), from.pointer(), from.bytes(), context.stream()), "cuMemcpyDtoDAsync");
    }
}
