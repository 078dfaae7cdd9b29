package linreg.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import linreg.bench.CostModel;
import linreg.gpu.GpuProbe;
import linreg.gpu.GpuTrainer;
import linreg.gpu.GpuUnavailableException;
import linreg.gpu.Strategy;
import linreg.gpu.StrategySupport;
import linreg.gpu.Streaming;
import linreg.train.Engines;

/**
 * Chooses the engine of a run once: one probe of the GPU (taken at the first question, so that
 * {@code --engine cpu} never touches CUDA) and one load of that GPU's cost model, then the
 * {@link EngineDecision}: the trainer, why, and the notices.
 */
public final class EngineChooser {
    private final EngineChoice choice;
    private final StrategyChoice strategy;
    private final int device;
    private final Streaming streaming;
    private StrategySupport support;

    /** @param streaming whether the GPU engine streams the rows from the host ({@code --streaming}) */
    public EngineChooser(EngineChoice choice, StrategyChoice strategy, int device, Streaming streaming) {
        this.choice = choice;
        this.strategy = strategy;
        this.device = device;
        this.streaming = streaming;
    }

    /** Why the GPU engine cannot run here ("--engine cpu" when it was not asked for), or null. */
    public String gpuReason() {
        return choice == EngineChoice.cpu ? "--engine cpu" : support().unusableReason();
    }

    private StrategySupport support() {
        if (support == null) {
            support = GpuProbe.strategies(device);
        }
        return support;
    }

    /**
     * The engine for a run of n samples, d features and batches of {@code batch}.
     *
     * @throws GpuUnavailableException for {@code --engine gpu} without a usable GPU, or (a
     *     StrategyUnavailableException) for a {@code --strategy} that cannot run here
     */
    public EngineDecision decide(long n, int d, int batch) {
        if (choice == EngineChoice.cpu) {
            return new EngineDecision(Engines.cpu(), "--engine cpu", List.of());
        }
        StrategySupport found = support();
        CostModel model = found.unusableReason() == null
                ? CostModel.load(GpuProbe.driver().devices().get(device).name()) : null;
        return decide(found, model, n, d, batch);
    }

    /** The decision itself, from what the probe found and the GPU's cost model (null without a usable GPU). */
    public EngineDecision decide(StrategySupport found, CostModel model, long n, int d, int batch) {
        String unusable = found.unusableReason();
        if (unusable != null) {
            if (choice == EngineChoice.gpu) {
                throw new GpuUnavailableException(unusable);
            }
            return new EngineDecision(Engines.cpu(), "no usable GPU (" + unusable + ")",
                    List.of("linreg: no usable GPU (" + unusable + "); training on the CPU"));
        }
        GpuTrainer.StrategyPolicy policy = StrategyPolicies.of(strategy, model, found);
        Strategy picked = policy.choose(n, d, batch);
        List<String> notices = new ArrayList<>();
        String notice = StrategyPolicies.notice(strategy, found, picked);
        if (notice != null) {
            notices.add(notice);
        }
        if (choice == EngineChoice.auto) {
            String faster = fasterCpu(model, found, n, d, batch);
            if (faster != null) {
                notices.add(faster);
            }
        }
        String why = strategy == StrategyChoice.auto ? "the cost model (" + model.origin() + ") picks " + picked
                : "--strategy " + picked;
        return new EngineDecision(new GpuTrainer(device, policy, streaming), "GPU " + device + ", strategy " + picked + ": " + why,
                notices);
    }

    /** auto trains on the GPU when there is one; say so when the cost model expects the CPU to win. */
    private static String fasterCpu(CostModel model, StrategySupport support, long n, int d, int batch) {
        List<String> keys = new ArrayList<>(StrategyPolicies.keys(support.available()));
        keys.add("cpu");
        CostModel.Choice c = model.choose(n, d, Math.min(batch, n), keys);
        double cpu = c.seconds().get("cpu");
        double gpu = keys.stream().filter(k -> k.startsWith("gpu/")).mapToDouble(k -> c.seconds().getOrDefault(k,
                Double.POSITIVE_INFINITY)).min().orElse(Double.POSITIVE_INFINITY);
        return cpu * 2 < gpu ? String.format(Locale.ROOT, "linreg: training on the GPU; for this problem the cost model (%s)"
                + " expects the CPU engine to be %.1f× faster: --engine cpu", model.origin(), gpu / cpu) : null;
    }
}
