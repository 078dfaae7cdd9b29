package linreg.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import linreg.data.DataException;
import linreg.data.DataInfo;
import linreg.data.Dataset;
import linreg.gpu.GpuTrainer;
import linreg.train.EpochListener;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import linreg.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code linreg train}: the tutorial's training run, on generated data or a CSV file. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains y = X·w + b by mini-batch SGD on the MAE loss.",
            "Defaults are the tutorial's problem: 500 samples, w* = [10, 7, 5, 2], b* = 1.1,",
            "lr 0.05, 50 epochs, batch 16."})
public final class TrainCommand implements Callable<Integer> {
    /** Engines the user can ask for. */
    public enum EngineChoice { auto, cpu, gpu }

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    TrainingOptions training;

    @Option(names = "--engine", paramLabel = "ENGINE",
            description = "auto, cpu or gpu (default: ${DEFAULT-VALUE}: the GPU when one is usable).")
    EngineChoice engine = EngineChoice.auto;

    @Option(names = "--json", description = "Print one JSON object with the whole result instead of text.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "Print no per-epoch lines and no notices.")
    boolean quiet;

    @Override
    public Integer call() throws DataException {
        CommandLine cl = spec.commandLine();
        dataOptions.validate(cl);
        training.validate(cl);
        // Files are read and every flag is checked before the engine is chosen, so that bad
        // input is the only thing printed.
        long loadStart = System.nanoTime();
        Dataset dataset = dataOptions.generated() ? null : dataOptions.loadHost(training.seed);
        double loadSeconds = (System.nanoTime() - loadStart) * 1e-9;
        TrainConfig config = training.config(cl, dataset != null ? dataset.features() : dataOptions.trueWeights().length);
        training.validateSplit(cl, dataset != null ? dataset.samples() : dataOptions.samples);
        Trainer trainer = new EngineSelection(engine, training.device, quiet, cl.getErr()).trainer();
        PrintWriter out = cl.getOut();
        EpochListener listener = json || quiet ? EpochListener.NONE : new EpochLines(out, config.validation() > 0);

        if (dataset == null && trainer instanceof GpuTrainer gpu) {
            // Synthetic data on the GPU is drawn there by cuRAND and never crosses to the host.
            float[] w = dataOptions.trueWeights();
            DataInfo info = new DataInfo(dataOptions.samples, w.length, "synthetic (cuRAND on the GPU)", w,
                    dataOptions.trueB, null, null);
            TrainResult result = gpu.trainSynthetic(dataOptions.samples, w, dataOptions.trueB, training.seed, config, listener);
            return report(out, info, config, result, 0);
        }
        if (dataset == null) {
            loadStart = System.nanoTime();
            dataset = dataOptions.loadHost(training.seed);
            loadSeconds = (System.nanoTime() - loadStart) * 1e-9;
        }
        TrainResult result = trainer.train(dataset, config, listener);
        return report(out, DataInfo.of(dataset), config, result, loadSeconds);
    }

    private int report(PrintWriter out, DataInfo info, TrainConfig config, TrainResult result, double loadSeconds) {
        TrainReport report = new TrainReport(info, config, result, loadSeconds);
        out.print(json ? report.json() + System.lineSeparator() : report.text());
        out.flush();
        return ExitCode.OK;
    }
}
