package linreg.gpu;

import jcuda.driver.CUdeviceptr;
import linreg.train.SampleLimit;
import linreg.train.TrainConfig;
import linreg.train.ValidationSplit;

/**
 * Where a GPU run's training and validation rows are: the data itself, or, with a hold-out, a
 * copy gathered by the split permutation (docs/algorithm.md §6) whose first v rows validate.
 *
 * @param validationTargets the held-out targets, copied to the host once for R²'s Σ(y - ȳ)², or null
 */
record TrainingRows(CUdeviceptr trainX, CUdeviceptr trainY, long trainCount, CUdeviceptr validationX,
        CUdeviceptr validationY, long validationCount, float[] validationTargets) {

    static TrainingRows split(CudaContext context, DeviceDataset data, TrainConfig config) {
        int n = SampleLimit.check(data.samples());  // positions are 32-bit in every kernel
        int d = data.features();
        if (!config.holdOut().validates()) {
            return new TrainingRows(data.x().pointer(), data.y().pointer(), n, null, null, 0, null);
        }
        int v = ValidationSplit.validationRows(n, config.holdOut().share());
        DeviceBuffer x = context.allocate("split X", 4L * n * d);
        DeviceBuffer y = context.allocate("split y", 4L * n);
        Kernels kernels = context.kernels();
        kernels.launch(KernelSignature.shuffle_gather.args().pointer("X", data.x().pointer()).pointer("y", data.y().pointer())
                .pointer("Xs", x.pointer()).pointer("ys", y.pointer()).intValue("n", n).intValue("d", d)
                .unsignedLong("permSeed", ValidationSplit.permutationSeed(config.seed())).intValue("epoch", 0),
                "shuffle_gather (validation split)", Launch.gridStride(context.device(), n), Launch.THREADS);
        // Set-up, not the training loop.
        float[] targets = new float[v];
        y.download(targets);
        return new TrainingRows(x.at(4L * v * d), y.at(4L * v), n - v, x.pointer(), y.pointer(), v, targets);
    }

    boolean validates() {
        return validationCount > 0;
    }
}
