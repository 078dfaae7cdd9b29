package linreg.gpu;

import linreg.data.Dataset;
import linreg.train.EpochListener;
import linreg.train.SampleLimit;
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

    /** The context (tests of the trainers on hardware). */
    CudaContext context() {
        return context;
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
        checkMemory(n, d, false, config, generated, strategy);
    }

    /** As {@link #checkMemory(long, int, TrainConfig, boolean, Strategy)}, for weighted samples when {@code weighted}. */
    public void checkMemory(long n, int d, boolean weighted, TrainConfig config, boolean generated, Strategy strategy) {
        held(n, d, weighted, config, generated, strategy).check(context.device(), context.memoryInfo()[0]);
    }

    /** The in-memory run's plan. Only the pipeline gathers a shuffled copy; the fused kernels find each row's place themselves. */
    private static DeviceMemoryPlan held(long n, int d, boolean weighted, TrainConfig config, boolean generated,
            Strategy strategy) {
        boolean shuffled = config.shuffle() && strategy == Strategy.pipeline;
        DeviceMemoryPlan plan = DeviceMemoryPlan.training(n, d, config.batchSize(), config.epochs(), shuffled, generated,
                config.holdOut().validates(), config.optimiser().momentum() > 0);
        return weighted ? plan.withWeights(n, shuffled, config.holdOut().validates()) : plan;
    }

    /**
     * Whether a run of n host rows (weighted or not) streams them to the card ({@link
     * StreamingTrainer}): never for {@code off}, always for {@code on}, and for {@code auto} when the
     * in-memory run does not fit the free memory and streaming takes the run ({@link Streaming#unsupported}).
     *
     * @throws DeviceMemoryException when neither way fits (auto) or the streamed run does not (on)
     * @throws IllegalArgumentException for {@code on} with what streaming does not take
     */
    public boolean streams(long n, int d, boolean weighted, TrainConfig config, Strategy strategy, Streaming mode) {
        if (mode == Streaming.off) {
            return false;
        }
        long free = context.memoryInfo()[0];
        String why = Streaming.unsupported(config, weighted);
        if (mode == Streaming.auto) {
            if (held(n, d, weighted, config, false, strategy).fits(free) || why != null) {
                return false;  // the in-memory run's own check then says what does not fit
            }
        } else if (why != null) {
            throw new IllegalArgumentException("--streaming on: " + why);
        }
        StreamPlan plan = StreamPlan.of(SampleLimit.check(n), d, config.batchSize(), StreamPlan.CHUNK_BYTES);
        StreamingTrainer.memory(plan, config).check(context.device(), free);
        return true;
    }

    /** Trains on host rows streamed to the card every epoch ({@link StreamingTrainer}). Not yet run on a GPU. */
    public TrainResult trainStreamed(Dataset data, TrainConfig config, EpochListener listener) {
        return new StreamingTrainer(context, StreamPlan.CHUNK_BYTES).train(data, config, listener);
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
