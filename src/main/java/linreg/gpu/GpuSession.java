package linreg.gpu;

import linreg.data.Dataset;
import linreg.train.EpochListener;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;

/**
 * One GPU opened for a piece of work: put data on it (drawn there or uploaded), train on it,
 * count what crossed to the host. Closing releases every buffer, handle and the context, errors
 * included.
 */
public final class GpuSession implements AutoCloseable {
    private final CudaContext context;
    private final StrategySupport strategies;

    private GpuSession(CudaContext context, StrategySupport strategies) {
        this.context = context;
        this.strategies = strategies;
    }

    /**
     * Opens GPU {@code device}.
     *
     * @throws GpuUnavailableException naming why no strategy of the GPU engine can run here
     */
    public static GpuSession open(int device) {
        StrategySupport strategies = GpuProbe.strategies(device);
        if (strategies.unusableReason() != null) {
            throw new GpuUnavailableException(strategies.unusableReason());
        }
        return new GpuSession(CudaContext.open(device), strategies);
    }

    public DeviceInfo device() {
        return context.device();
    }

    /** Which strategies can run on this GPU (the pipeline needs cuBLAS too). */
    public StrategySupport strategies() {
        return strategies;
    }

    /**
     * Checks that a run of n samples with d features by {@code strategy} fits in the GPU's free
     * memory.
     *
     * @throws DeviceMemoryException saying how much is needed and how much is free
     */
    public void checkMemory(long n, int d, TrainConfig config, boolean generated, Strategy strategy) {
        // Only the pipeline gathers a shuffled copy; the fused kernels find each row's place themselves.
        DeviceMemoryPlan.training(n, d, config.batchSize(), config.epochs(),
                config.shuffle() && strategy == Strategy.pipeline, generated, config.validation() > 0,
                config.momentum() > 0).check(context.device(), context.memoryInfo()[0]);
    }

    /** The tutorial's synthetic data drawn on the GPU ({@link DeviceDataGenerator}). */
    public DeviceDataset generate(long n, float[] trueW, float trueB, long seed) {
        return DeviceDataGenerator.generate(context, n, trueW, trueB, seed);
    }

    /** Host samples copied to the GPU once. */
    public DeviceDataset upload(Dataset data) {
        return DeviceDataset.upload(context, data);
    }

    /** Trains on samples already on the GPU with the pipeline strategy. */
    public TrainResult train(DeviceDataset data, TrainConfig config, EpochListener listener) {
        return train(data, config, listener, Strategy.pipeline);
    }

    /**
     * Trains on samples already on the GPU with {@code strategy}.
     *
     * @throws StrategyUnavailableException when its libraries do not load here
     */
    public TrainResult train(DeviceDataset data, TrainConfig config, EpochListener listener, Strategy strategy) {
        strategies.require(strategy);
        return switch (strategy) {
            case pipeline -> new PipelineTrainer(context).train(data, config, listener);
            case fused -> new FusedTrainer(context).train(data, config, listener);
        };
    }

    /** The host-device copies made in this session so far. */
    public TransferLog transfers() {
        return context.transfers().snapshot();
    }

    @Override
    public void close() {
        context.close();
    }
}
