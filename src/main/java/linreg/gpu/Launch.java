package linreg.gpu;

import linreg.train.TrainConfig;

/** Launch shapes shared by the kernels' callers. */
final class Launch {
    /** Threads per block of the grid-stride kernels and of mae_gradient (its lanes). */
    static final int THREADS = 256;
    /** Blocks per SM for grid-stride kernels: enough to hide memory latency. */
    private static final int BLOCKS_PER_SM = 8;

    private Launch() {}

    /** Blocks for a grid-stride loop over {@code items}: no more than the GPU keeps busy. */
    static int gridStride(DeviceInfo device, long items) {
        long needed = (items + THREADS - 1) / THREADS;
        return (int) Math.max(1, Math.min(needed, (long) device.multiprocessors() * BLOCKS_PER_SM));
    }

    /**
     * The update rule's settings (docs/algorithm.md §4): momentum, clipping, the intercept and the
     * penalties, as sgd_update and the fused kernels take them.
     */
    static KernelArgs updateRule(KernelArgs args, TrainConfig config) {
        return args.floatValue("momentum", config.optimiser().momentum()).flag("nesterov", config.optimiser().nesterov())
                .floatValue("clipNorm", config.optimiser().clip()).flag("intercept", config.optimiser().intercept())
                .floatValue("l2", config.optimiser().l2Alpha()).floatValue("l1", config.optimiser().l1Alpha());
    }

    /** Threads of the one-block sgd_update kernel: a warp multiple covering d + 1 parameters. */
    static int updateThreads(int d) {
        return Math.min(1024, ((d + 1 + 31) / 32) * 32);
    }
}
