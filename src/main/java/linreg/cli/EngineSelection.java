package linreg.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import linreg.bench.CostModel;
import linreg.gpu.GpuProbe;
import linreg.gpu.GpuTrainer;
import linreg.gpu.GpuUnavailableException;
import linreg.gpu.StrategySupport;
import linreg.gpu.Streaming;
import linreg.train.Engines;
import linreg.train.Trainer;

/**
 * {@code --engine}: cpu, gpu, or auto (the GPU when some strategy can run there, else the CPU with
 * a one-line notice on stderr that names why); with {@code --strategy}, which GPU strategy.
 */
final class EngineSelection {
    private final TrainCommand.EngineChoice choice;
    private final TrainingOptions.StrategyChoice strategy;
    private final int device;
    private final boolean quiet;
    private final PrintWriter err;
    private final Streaming streaming;

    EngineSelection(TrainCommand.EngineChoice choice, TrainingOptions.StrategyChoice strategy, int device, boolean quiet,
            PrintWriter err) {
        this(choice, strategy, device, quiet, err, Streaming.auto);
    }

    /** @param streaming whether the GPU engine streams the rows from the host ({@code --streaming}) */
    EngineSelection(TrainCommand.EngineChoice choice, TrainingOptions.StrategyChoice strategy, int device, boolean quiet,
            PrintWriter err, Streaming streaming) {
        this.streaming = streaming;
        this.choice = choice;
        this.strategy = strategy;
        this.device = device;
        this.quiet = quiet;
        this.err = err;
    }

    /**
     * The engine for a run of n samples, d features and batches of {@code batch}.
     *
     * @throws GpuUnavailableException for {@code --engine gpu} without a usable GPU, or (a
     *     StrategyUnavailableException) for a {@code --strategy} that cannot run here
     */
    Trainer trainer(long n, int d, int batch) {
        if (choice == TrainCommand.EngineChoice.cpu) {
            return Engines.cpu();
        }
        StrategySupport support = GpuProbe.strategies(device);
        CostModel model = support.unusableReason() == null
                ? CostModel.load(GpuProbe.driver().devices().get(device).name()) : null;
        return trainer(support, model, n, d, batch);
    }

    /** The choice itself, from what the probe found and the GPU's cost model (null without a usable GPU). */
    Trainer trainer(StrategySupport support, CostModel model, long n, int d, int batch) {
        String reason = support.unusableReason();
        if (reason != null) {
            if (choice == TrainCommand.EngineChoice.gpu) {
                throw new GpuUnavailableException(reason);
            }
            if (!quiet) {
                err.println("linreg: no usable GPU (" + reason + "); training on the CPU");
            }
            return Engines.cpu();
        }
        GpuTrainer.StrategyPolicy policy = StrategyPolicies.of(strategy, model, support);
        if (!quiet) {
            String notice = StrategyPolicies.notice(strategy, support, policy.choose(n, d, batch));
            if (notice != null) {
                err.println(notice);
            }
            if (choice == TrainCommand.EngineChoice.auto) {
                noteFasterCpu(model, support, n, d, batch);
            }
        }
        return new GpuTrainer(device, policy, streaming);
    }

    /** auto trains on the GPU when there is one; say so when the cost model expects the CPU to win. */
    private void noteFasterCpu(CostModel model, StrategySupport support, long n, int d, int batch) {
        List<String> keys = new ArrayList<>(StrategyPolicies.keys(support.available()));
        keys.add("cpu");
        CostModel.Choice c = model.choose(n, d, Math.min(batch, n), keys);
        double cpu = c.seconds().get("cpu");
        double gpu = keys.stream().filter(k -> k.startsWith("gpu/")).mapToDouble(k -> c.seconds().getOrDefault(k,
                Double.POSITIVE_INFINITY)).min().orElse(Double.POSITIVE_INFINITY);
        if (cpu * 2 < gpu) {
            err.println(String.format(Locale.ROOT, "linreg: training on the GPU; for this problem the cost model (%s) expects"
                    + " the CPU engine to be %.1f× faster: --engine cpu", model.origin(), gpu / cpu));
        }
    }
}
