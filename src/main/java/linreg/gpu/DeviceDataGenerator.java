package linreg.gpu;

import jcuda.jcurand.JCurand;
import jcuda.jcurand.curandGenerator;
import linreg.data.SyntheticData;
import linreg.spec.Residual;
import linreg.spec.Seeds;
import linreg.train.SampleLimit;

/**
 * The tutorial's {@code create_data} on the device (docs/algorithm.md §5): cuRAND (Philox4x32-10,
 * legacy ordering, seed {@code stream(seed, GPU_DATA)}) draws X ~ N(0, 1) and then the noise z;
 * the finish_targets kernel makes {@code y = (X·w* + b*) + 0.01·z} with the canonical dot
 * product. No cuBLAS (the fused strategy runs without it), and nothing crosses to the host.
 */
public final class DeviceDataGenerator {
    private DeviceDataGenerator() {}

    public static DeviceDataset generate(CudaContext context, long n, float[] trueW, float trueB, long seed) {
        int samples = SampleLimit.check(n);
        if (trueW.length < 1) {
            throw new IllegalArgumentException("the GPU draws samples of at least one feature");
        }
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
            kernels.launch(KernelSignature.finish_targets.args().pointer("y", y.pointer()).pointer("X", x.pointer())
                    .pointer("trueW", w.pointer()).pointer("noise", noise.pointer()).intValue("n", samples).intValue("d", d)
                    .floatValue("trueB", trueB).floatValue("noiseStd", (float) SyntheticData.NOISE_STD),
                    Launch.gridStride(context.device(), n), Launch.THREADS);
            context.synchronize();
        }
        return new DeviceDataset(n, d, x, y, trueW.clone(), trueB);
    }

    /**
     * The CPU twin of finish_targets for row {@code row}: {@code (x·w* + b*) + noiseStd·z}, the dot
     * product in the canonical order, each operation rounded on its own.
     */
    static float target(float[] x, int row, float[] trueW, float trueB, float noiseStd, float z) {
        return (Residual.dot(x, trueW.length, row, trueW) + trueB) + noiseStd * z;
    }
}
