package linreg.gpu;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxReset;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;

import java.util.ArrayDeque;
import java.util.Deque;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasPointerMode;
import jcuda.jcurand.JCurand;
import jcuda.jcurand.curandGenerator;
import jcuda.jcurand.curandOrdering;
import jcuda.jcurand.curandRngType;
import jcuda.runtime.cudaStream_t;

/**
 * One GPU at work: its primary context (shared by the driver API, cuBLAS and cuRAND), one
 * non-blocking stream for everything, the cuBLAS handle and cuRAND generator when asked for,
 * and every buffer allocated through it. {@link #close()} releases all of it, in reverse order,
 * whether the work succeeded or failed.
 *
 * <p>A fault on the GPU (an illegal address, a trap) is sticky: every later call in that context
 * fails with it. So when closing finds the context faulted, it resets the primary context after
 * releasing what it owns (cuBLAS and cuRAND hold their own references to it, so a release alone
 * would keep the broken one alive), and the next context of the process starts clean. The fault
 * is remembered: should the next context fail anyway, its error names the first one.
 */
public final class CudaContext implements AutoCloseable {
    /** The first fault that made a context of this process reset, or null. */
    private static String firstFault;

    private final DeviceInfo device;
    private final CUdevice cuDevice = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final TransferLog transfers = new TransferLog();
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();
    private cublasHandle cublas;
    private curandGenerator curand;
    private Kernels kernels;
    private PinnedStaging staging;
    private boolean retained;

    private CudaContext(DeviceInfo device) {
        this.device = device;
    }

    /**
     * Opens GPU {@code ordinal} (cuBLAS and cuRAND are loaded only when first used).
     *
     * @throws GpuUnavailableException naming why the GPU cannot be used
     */
    public static CudaContext open(int ordinal) {
        String reason = GpuProbe.deviceReason(ordinal);
        if (reason != null) {
            throw new GpuUnavailableException(reason);
        }
        CudaContext c = new CudaContext(GpuProbe.driver().devices().get(ordinal));
        try {
            Status.cuda(cuDeviceGet(c.cuDevice, ordinal), "cuDeviceGet");
            Status.cuda(cuDevicePrimaryCtxRetain(c.context, c.cuDevice), "cuDevicePrimaryCtxRetain");
            c.retained = true;
            Status.cuda(cuCtxSetCurrent(c.context), "cuCtxSetCurrent");
            Status.cuda(cuStreamCreate(c.stream, CUstream_flags.CU_STREAM_NON_BLOCKING), "cuStreamCreate");
            c.owned.push(() -> cuStreamDestroy(c.stream));
            return c;
        } catch (RuntimeException e) {
            c.close();
            String fault = firstFault();
            throw fault == null || !(e instanceof GpuException) ? e : new GpuException(e.getMessage()
                    + " (this process reset the GPU after an earlier fault, " + fault + "; restart the program)");
        }
    }

    /** The fault that first made a context of this process reset, or null. */
    static synchronized String firstFault() {
        return firstFault;
    }

    public DeviceInfo device() {
        return device;
    }

    CUstream stream() {
        return stream;
    }

    /** Host-device copies made through this context so far. */
    public TransferLog transfers() {
        return transfers;
    }

    /** Free and total device memory, in bytes. */
    public long[] memoryInfo() {
        long[] free = {0};
        long[] total = {0};
        Status.cuda(cuMemGetInfo(free, total), "cuMemGetInfo");
        return new long[] {free[0], total[0]};
    }

    /** Allocates a buffer that lives until the context closes (or until closed itself). */
    public DeviceBuffer allocate(String name, long bytes) {
        DeviceBuffer buffer = new DeviceBuffer(this, name, bytes);
        owned.push(buffer);
        return buffer;
    }

    /** The PTX kernels, loaded (JIT-compiled by the driver) on first use. */
    public Kernels kernels() {
        if (kernels == null) {
            kernels = Kernels.load(this);
            owned.push(kernels);
        }
        return kernels;
    }

    /** The pinned chunks every array copy goes through, on this context's stream. */
    PinnedStaging staging() {
        if (staging == null) {
            staging = new PinnedStaging(this);
            owned.push(staging);
        }
        return staging;
    }

    /** The cuBLAS handle, bound to this context's stream, host pointer mode. */
    cublasHandle cublas() {
        if (cublas == null) {
            cublasHandle handle = new cublasHandle();
            Status.cublas(JCublas2.cublasCreate(handle), "cublasCreate");
            owned.push(() -> JCublas2.cublasDestroy(handle));
            Status.cublas(JCublas2.cublasSetStream(handle, new cudaStream_t(stream)), "cublasSetStream");
            Status.cublas(JCublas2.cublasSetPointerMode(handle, cublasPointerMode.CUBLAS_POINTER_MODE_HOST),
                    "cublasSetPointerMode");
            cublas = handle;
        }
        return cublas;
    }

    /**
     * A cuRAND Philox4x32-10 generator with {@code seed}, legacy ordering (results do not depend
     * on the GPU model), bound to this context's stream.
     */
    curandGenerator curand(long seed) {
        if (curand == null) {
            curandGenerator generator = new curandGenerator();
            Status.curand(JCurand.curandCreateGenerator(generator, curandRngType.CURAND_RNG_PSEUDO_PHILOX4_32_10),
                    "curandCreateGenerator(PHILOX4_32_10)");
            owned.push(() -> JCurand.curandDestroyGenerator(generator));
            Status.curand(JCurand.curandSetStream(generator, new cudaStream_t(stream)), "curandSetStream");
            Status.curand(JCurand.curandSetGeneratorOrdering(generator, curandOrdering.CURAND_ORDERING_PSEUDO_LEGACY),
                    "curandSetGeneratorOrdering(LEGACY)");
            curand = generator;
        }
        Status.curand(JCurand.curandSetPseudoRandomGeneratorSeed(curand, seed), "curandSetPseudoRandomGeneratorSeed");
        Status.curand(JCurand.curandSetGeneratorOffset(curand, 0), "curandSetGeneratorOffset");
        return curand;
    }

    /** Waits until the stream has done everything queued so far. */
    public void synchronize() {
        Status.cuda(cuStreamSynchronize(stream), "cuStreamSynchronize");
    }

    /** Pinned host memory (for asynchronous copies back), freed when the context closes. */
    Pointer allocatePinned(long bytes) {
        Pointer host = new Pointer();
        Status.cuda(cuMemAllocHost(host, bytes), "cuMemAllocHost(" + bytes + ")");
        owned.push(() -> cuMemFreeHost(host));
        return host;
    }

    /** An event on this context, destroyed when the context closes. */
    CUevent event() {
        CUevent event = new CUevent();
        Status.cuda(cuEventCreate(event, CUevent_flags.CU_EVENT_DEFAULT), "cuEventCreate");
        owned.push(() -> cuEventDestroy(event));
        return event;
    }

    /** Records {@code event} at this point of the stream. */
    void record(CUevent event) {
        Status.cuda(cuEventRecord(event, stream), "cuEventRecord");
    }

    /**
     * Releases everything; a faulted context is reset as well (see the class comment). Never
     * throws for a fault: the call that met it has already reported it.
     */
    @Override
    public void close() {
        RuntimeException first = null;
        int state = CUresult.CUDA_SUCCESS;
        if (retained) {
            cuCtxSetCurrent(context);
            state = cuCtxSynchronize();  // after a fault: that fault, as every call now returns
        }
        while (!owned.isEmpty()) {
            try {
                owned.pop().close();
            } catch (Exception e) {
                first = first == null ? new GpuException("releasing GPU resources: " + e.getMessage()) : first;
            }
        }
        if (retained) {
            if (state != CUresult.CUDA_SUCCESS) {
                cuDevicePrimaryCtxReset(cuDevice);
                synchronized (CudaContext.class) {
                    if (firstFault == null) {
                        firstFault = CUresult.stringFor(state) + " on " + device.name();
                    }
                }
            }
            cuDevicePrimaryCtxRelease(cuDevice);
            retained = false;
        }
        if (first != null && state == CUresult.CUDA_SUCCESS) {
            throw first;
        }
    }
}
