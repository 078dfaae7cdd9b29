package linreg.gpu;

import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasOperation;
import jcuda.jcurand.JCurand;
import jcuda.jcurand.curandGenerator;
import linreg.data.SyntheticData;
import linreg.train.SampleLimit;
import linreg.train.Seeds;

/**
 * The tutorial's {@code create_data} on the device: cuRAND (Philox4x32-10, legacy ordering,
 * seed {@code stream(seed, GPU_DATA)}) draws X ~ N(0, 1) and then the noise z; cuBLAS gemv gives
 * X·w*; the finish_targets kernel makes {@code y = (X·w* + b*) + 0.01·z}. Nothing crosses to
 * the host.
 */
public final class DeviceDataGenerator {
    /** Rows per gemv call: keeps every cuBLAS int argument and index far below 2^31. */
    private static final long GEMV_ROWS = 1L << 24;

    private DeviceDataGenerator() {}

    public static DeviceDataset generate(CudaContext context, long n, float[] trueW, float trueB, long seed) {
        int samples = SampleLimit.check(n);
        int d = trueW.length;
        Kernels kernels = context.kernels();
        DeviceBuffer x = context.allocate("X", 4L * DeviceMemoryPlan.evenCount(n * d));
        DeviceBuffer y = context.allocate("y", 4L * DeviceMemoryPlan.evenCount(n));
        try (DeviceBuffer noise = new DeviceBuffer(context, "noise", 4L * DeviceMemoryPlan.evenCount(n));
                DeviceBuffer w = new DeviceBuffer(context, "true w", 4L * d)) {
            curandGenerator generator = context.curand(Seeds.stream(seed, Seeds.GPU_DATA));
            Status.curand(JCurand.curandGenerateNormal(generator, x.pointer(), DeviceMemoryPlan.evenCount(n * d), 0f, 1f),
                    "curandGenerateNormal(X)");
            Status.curand(JCurand.curandGenerateNormal(generator, noise.pointer(), DeviceMemoryPlan.evenCount(n), 0f, 1f),
                    "curandGenerateNormal(noise)");
            w.upload(trueW);
            Pointer one = Pointer.to(new float[] {1f});
            Pointer zero = Pointer.to(new float[] {0f});
            for (long row = 0; row < n; row += GEMV_ROWS) {
                int rows = (int) Math.min(GEMV_ROWS, n - row);
                Status.cublas(JCublas2.cublasSgemv(context.cublas(), cublasOperation.CUBLAS_OP_T, d, rows, one,
                        x.at(4L * row * d), d, w.pointer(), 1, zero, y.at(4L * row), 1), "cublasSgemv(X·w*)");
            }
            kernels.launch(kernels.finishTargets, "finish_targets", Launch.gridStride(context.device(), n), Launch.THREADS,
                    Pointer.to(y.pointer()), Pointer.to(noise.pointer()), Pointer.to(new int[] {samples}),
                    Pointer.to(new float[] {trueB}), Pointer.to(new float[] {(float) SyntheticData.NOISE_STD}));
            context.synchronize();
        }
        return new DeviceDataset(n, d, x, y, trueW.clone(), trueB);
    }
}
