package linreg.gpu;

import jcuda.driver.CUdeviceptr;
import linreg.train.SampleLimit;
import linreg.train.TrainConfig;
import linreg.train.ValidationSplit;

/**
 * Where a GPU run's training and validation rows are: the data itself, or, with a hold-out, a
 * copy gathered by the split permutation (docs/algorithm.md §6) whose first v rows validate. The
 * sample weights of a weighted run follow their rows (the pointers are null without weights).
 *
 * @param validationTargets the held-out targets, copied to the host once for R²'s Σ(y - ȳ)², or null
 * @param validationWeights the held-out weights on the host (for V and R²), or null
 */
record TrainingRows(CUdeviceptr trainX, CUdeviceptr trainY, CUdeviceptr trainV, long trainCount,
        CUdeviceptr validationX, CUdeviceptr validationY, CUdeviceptr validationV, long validationCount,
        float[] validationTargets, float[] validationWeights) {

    static TrainingRows split(CudaContext context, DeviceDataset data, TrainConfig config) {
        int n = SampleLimit.check(data.samples());  // positions are 32-bit in every kernel
        int d = data.features();
        CUdeviceptr weights = data.weighted() ? data.v().pointer() : null;
        if (!config.holdOut().validates()) {
            return new TrainingRows(data.x().pointer(), data.y().pointer(), weights, n, null, null, null, 0, null, null);
        }
        int v = ValidationSplit.validationRows(n, config.holdOut().share());
        DeviceBuffer x = context.allocate("split X", 4L * n * d);
        DeviceBuffer y = context.allocate("split y", 4L * n);
        DeviceBuffer w = data.weighted() ? context.allocate("split weights", 4L * n) : null;
        Kernels kernels = context.kernels();
        kernels.launch(KernelSignature.shuffle_gather.args().pointer("X", data.x().pointer()).pointer("y", data.y().pointer())
                .pointer("v", weights).pointer("Xs", x.pointer()).pointer("ys", y.pointer())
                .pointer("vs", w != null ? w.pointer() : null).intValue("n", n).intValue("d", d)
                .unsignedLong("permSeed", ValidationSplit.permutationSeed(config.seed())).intValue("epoch", 0),
                "shuffle_gather (validation split)", Launch.gridStride(context.device(), n), Launch.THREADS);
        // Set-up, not the training loop.
        float[] targets = new float[v];
        y.download(targets);
        float[] heldWeights = null;
        if (w != null) {
            heldWeights = new float[v];
            w.download(heldWeights);
        }
        return new TrainingRows(x.at(4L * v * d), y.at(4L * v), w != null ? w.at(4L * v) : null, n - v, x.pointer(),
                y.pointer(), w != null ? w.pointer() : null, v, targets, heldWeights);
    }

    boolean validates() {
        return validationCount > 0;
    }

    boolean weighted() {
        return trainV != null;
    }
}
