package linreg.gpu;

import linreg.data.Dataset;
import linreg.train.EpochListener;
import linreg.train.SampleLimit;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import linreg.train.Trainer;

/**
 * The GPU engine (strategy "pipeline" or "fused", fixed or picked per run): trains on one GPU through JCuda, with the CPU engine's
 * permutation, start and order of arithmetic, so that their results can be compared exactly. Each
 * call opens the GPU, checks that the run fits in its free memory, and releases everything at
 * the end, errors included.
 */
public final class GpuTrainer implements Trainer {
    /** Picks the strategy of a run from its shape (for example by a cost model). */
    @FunctionalInterface
    public interface StrategyPolicy {
        Strategy choose(long n, int d, int batch);
    }

    private final int device;
    private final StrategyPolicy policy;
    private final Streaming streaming;
    private TransferLog lastTransfers = new TransferLog();

    /** A trainer for GPU {@code device} (a CUDA device index) with the pipeline strategy. */
    public GpuTrainer(int device) {
        this(device, Strategy.pipeline);
    }

    /** A trainer for GPU {@code device} that always runs {@code strategy}. */
    public GpuTrainer(int device, Strategy strategy) {
        this(device, (n, d, batch) -> strategy);
    }

    /** A trainer for GPU {@code device} whose strategy {@code policy} picks per run. */
    public GpuTrainer(int device, StrategyPolicy policy) {
        this(device, policy, Streaming.auto);
    }

    /** As {@link #GpuTrainer(int, StrategyPolicy)}, streaming host rows to the card as {@code streaming} says. */
    public GpuTrainer(int device, StrategyPolicy policy, Streaming streaming) {
        this.device = device;
        this.policy = policy;
        this.streaming = streaming;
    }

    @Override
    public String name() {
        return "gpu";
    }

    /**
     * Uploads the host data once, then trains on the device; or, where the streaming mode says
     * (auto: when the data does not fit the card), streams it to the card every epoch.
     */
    @Override
    public TrainResult train(Dataset data, TrainConfig config, EpochListener listener) {
        Strategy strategy = policy.choose(data.samples(), data.features(), config.batchSize());
        try (GpuSession session = GpuSession.open(device)) {
            if (session.streams(data.samples(), data.features(), data.weighted(), config, strategy, streaming)) {
                TransferLog before = session.transfers();
                TrainResult result = session.trainStreamed(data, config, listener);
                lastTransfers = session.transfers().minus(before);
                return result;
            }
            session.strategies().require(strategy);  // before the data goes to the GPU
            session.checkMemory(data.samples(), data.features(), data.weighted(), config, false, strategy);
            return trainCounting(session, session.upload(data), config, listener, strategy);
        }
    }

    /**
     * Draws the tutorial's synthetic data on the device (see {@link DeviceDataGenerator}) and
     * trains on it; the data never crosses to the host.
     *
     * @throws SampleLimit.TooManySamplesException for more than 2^31 - 1 samples, before the GPU is opened
     */
    public TrainResult trainSynthetic(long n, float[] trueW, float trueB, long seed, TrainConfig config,
            EpochListener listener) {
        SampleLimit.check(n);
        Strategy strategy = policy.choose(n, trueW.length, config.batchSize());
        try (GpuSession session = GpuSession.open(device)) {
            session.strategies().require(strategy);  // before the data is drawn
            session.checkMemory(n, trueW.length, config, true, strategy);
            return trainCounting(session, session.generate(n, trueW, trueB, seed), config, listener, strategy);
        }
    }

    private TrainResult trainCounting(GpuSession session, DeviceDataset data, TrainConfig config, EpochListener listener,
            Strategy strategy) {
        TransferLog before = session.transfers();
        TrainResult result = session.train(data, config, listener, strategy);
        lastTransfers = session.transfers().minus(before);
        return result;
    }

    /** What picks each run's strategy. */
    public StrategyPolicy policy() {
        return policy;
    }

    /** The host-device copies of the last training loop (the data's upload not included). */
    public TransferLog lastTransfers() {
        return lastTransfers;
    }
}
