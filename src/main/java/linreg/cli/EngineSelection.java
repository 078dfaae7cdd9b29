package linreg.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import linreg.bench.CostModel;
import linreg.gpu.GpuProbe;
import linreg.gpu.GpuTrainer;
import linreg.gpu.GpuUnavailableException;
import linreg.train.Engines;
import linreg.train.Trainer;

/**
 * {@code --engine}: cpu, gpu, or auto (the GPU when a usable one is present, else the CPU with a
 * one-line notice on stderr that names why the GPU cannot be used).
 */
final class EngineSelection {
    private final TrainCommand.EngineChoice choice;
    private final TrainingOptions.StrategyChoice strategy;
    private final int device;
    private final boolean quiet;
    private final PrintWriter err;

    EngineSelection(TrainCommand.EngineChoice choice, TrainingOptions.StrategyChoice strategy, int device, boolean quiet,
            PrintWriter err) {
        this.choice = choice;
        this.strategy = strategy;
        this.device = device;
        this.quiet = quiet;
        this.err = err;
    }

    /**
     * The engine for a run of n samples, d features and batches of {@code batch}.
     *
     * @throws GpuUnavailableException for {@code --engine gpu} without a usable GPU
     */
    Trainer trainer(long n, int d, int batch) {
        if (choice == TrainCommand.EngineChoice.cpu) {
            return Engines.cpu();
        }
        String reason = GpuProbe.unusableReason(device);
        if (reason == null) {
            String gpuName = GpuProbe.driver().devices().get(device).name();
            if (choice == TrainCommand.EngineChoice.auto && !quiet) {
                noteFasterCpu(gpuName, n, d, batch);
            }
            return new GpuTrainer(device, StrategyPolicies.of(strategy, gpuName));
        }
        if (choice == TrainCommand.EngineChoice.gpu) {
            throw new GpuUnavailableException(reason);
        }
        if (!quiet) {
            err.println("linreg: no usable GPU (" + reason + "); training on the CPU");
        }
        return Engines.cpu();
    }

    /** auto trains on the GPU when there is one; say so when the cost model expects the CPU to win. */
    private void noteFasterCpu(String gpuName, long n, int d, int batch) {
        CostModel model = CostModel.load(gpuName);
        List<String> keys = new ArrayList<>(StrategyPolicies.gpuKeys());
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
