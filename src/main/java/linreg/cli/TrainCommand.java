package linreg.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import linreg.data.DataException;
import linreg.data.DataInfo;
import linreg.data.Dataset;
import linreg.data.Standardizer;
import linreg.engine.EngineChoice;
import linreg.engine.EngineChooser;
import linreg.engine.EngineDecision;
import linreg.gpu.GpuTrainer;
import linreg.gpu.GpuUnavailableException;
import linreg.gpu.Streaming;
import linreg.model.Metrics;
import linreg.model.Model;
import linreg.model.ModelFile;
import linreg.model.TrainingCodec;
import linreg.train.StandardizedTraining;
import linreg.train.EpochListener;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import linreg.train.Trainer;
import linreg.train.ValidationSplit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code linreg train}: the tutorial's training run, on generated data or a CSV file. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains y = X·w + b by mini-batch SGD on the MAE loss.",
            "Defaults are the tutorial's problem: 500 samples, w* = [10, 7, 5, 2], b* = 1.1, lr 0.05, 50 epochs, batch 16."})
public final class TrainCommand implements Callable<Integer> {
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

    @Option(names = "--standardize",
            description = "Train on z-scores of the features and the target (fitted on the training rows); w and b are reported and saved in the original units.")
    boolean standardize;

    @Option(names = "--save-model", paramLabel = "FILE.json", description = "Save the model (w, b, names, standardisation, configuration, metrics).")
    Path saveModel;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Draw the per-epoch training (and validation) MAE as PNG.")
    Path plot;

    private TrainProgress progress;
    private String engineReason;

    @Override
    public Integer call() throws DataException {
        CommandLine cl = spec.commandLine();
        dataOptions.validate(cl);
        training.validate(cl);
        new OutputPaths().input("--data", dataOptions.data).input("--labels", dataOptions.labels)
                .output("--save-model", saveModel).output("--plot", plot).check();
        if (plot != null) {
            LossPlot.checkName(plot);
        }
        // Files are read and every flag is checked before the engine is chosen, so that bad
        // input is the only thing printed. Standardising needs the samples on the host.
        EngineChooser chooser = new EngineChooser(engine, training.strategy, training.device, training.streaming);
        String gpuReason = chooser.gpuReason();
        if (engine == EngineChoice.gpu && gpuReason != null) {
            throw new GpuUnavailableException(gpuReason);
        }
        if (standardize && training.noIntercept) {
            // z-scores centre y and the columns: mapped back, the bias is the means' term, not 0.
            throw new CommandLine.ParameterException(cl, "--no-intercept cannot be combined with --standardize, whose "
                    + "centring gives the model a bias");
        }
        if (training.streaming == Streaming.on && engine == EngineChoice.cpu) {
            throw new CommandLine.ParameterException(cl, "--streaming on is for the GPU engine; --engine cpu reads the rows in place");
        }
        // Streamed rows come from the host: generated data is drawn there, not on the card.
        boolean gpuDraws = dataOptions.generated() && !standardize && gpuReason == null && training.streaming != Streaming.on;
        if (!gpuDraws) {
            dataOptions.checkHostSize(cl);
        }
        boolean onHost = !dataOptions.generated() || standardize;
        long loadStart = System.nanoTime();
        Dataset dataset = onHost ? dataOptions.loadHost(training.seed, quiet ? null : cl.getErr()) : null;
        double loadSeconds = (System.nanoTime() - loadStart) * 1e-9;
        long n = dataset != null ? dataset.samples() : dataOptions.samples;
        int d = dataset != null ? dataset.features() : dataOptions.trueWeights().length;
        if (training.initModel != null) {
            training.start = InitModel.read(training.initModel, d, dataset != null ? DataInfo.of(dataset).featureNames()
                    : null, standardize);
        }
        TrainConfig config = training.config(cl, n, d, quiet);
        String notStreamed = Streaming.unsupported(config, dataOptions.weighted());
        if (training.streaming == Streaming.on && gpuReason == null && notStreamed != null) {
            throw new CommandLine.ParameterException(cl, "--streaming on: " + notStreamed);
        }
        EngineDecision decision = chooser.decide(n, d, config.batchSize());
        if (!quiet) {
            decision.notices().forEach(cl.getErr()::println);
        }
        Trainer trainer = decision.trainer();
        engineReason = decision.reason();
        PrintWriter out = cl.getOut();
        EpochListener lines = json || quiet ? EpochListener.NONE : new EpochLines(out, config.holdOut().validates(),
                config.start().firstEpoch());
        try (TrainProgress listener = new TrainProgress(cl.getErr(), lines, !quiet, config.epochs(),
                ValidationSplit.trainingRows(n, config.holdOut().share()))) {
            progress = listener;
            return run(cl, out, listener, trainer, config, dataset, loadSeconds);
        }
    }

    private int run(CommandLine cl, PrintWriter out, EpochListener listener, Trainer trainer, TrainConfig config,
            Dataset dataset, double loadSeconds) throws DataException {

        if (dataset == null && trainer instanceof GpuTrainer gpu) {
            // Synthetic data on the GPU is drawn there by cuRAND and never crosses to the host.
            float[] w = dataOptions.trueWeights();
            DataInfo info = new DataInfo(dataOptions.samples, w.length, "synthetic (cuRAND on the GPU)", w,
                    dataOptions.trueB, null, null);
            TrainResult result = gpu.trainSynthetic(dataOptions.samples, w, dataOptions.trueB, training.seed, config, listener);
            return finish(out, info, null, config, result, toDouble(result.w()), result.b(), null, 0);
        }
        if (dataset == null) {
            long loadStart = System.nanoTime();
            dataset = dataOptions.loadHost(training.seed, quiet ? null : cl.getErr());
            loadSeconds = (System.nanoTime() - loadStart) * 1e-9;
        }
        if (standardize) {
            StandardizedTraining run = StandardizedTraining.train(trainer, dataset, config, listener,
                    training.start != null ? training.start.standardizer() : null);
            return finish(out, DataInfo.of(dataset), dataset, config, run.result(), run.w(), run.b(), run.standardizer(),
                    loadSeconds);
        }
        TrainResult result = trainer.train(dataset, config, listener);
        return finish(out, DataInfo.of(dataset), dataset, config, result, toDouble(result.w()), result.b(), null, loadSeconds);
    }

    /** The report, then the model file and the plot when asked for (each written atomically). */
    private int finish(PrintWriter out, DataInfo info, Dataset data, TrainConfig config, TrainResult result, double[] w,
            double b, Standardizer z, double loadSeconds) throws DataException {
        progress.close();  // the bar goes before the report is printed
        TrainReport report = new TrainReport(info, config, result, engineReason, loadSeconds, weightsOrigin(data));
        out.print(json ? report.json() + System.lineSeparator() : report.text());
        out.flush();
        if (saveModel != null) {
            ModelFile.write(saveModel, model(info, data, config, result, w, b, z));
        }
        if (plot != null) {
            double[] validation = null;
            if (result.validation() != null) {
                validation = new double[result.epochs()];
                for (int e = 0; e < validation.length; e++) {
                    validation[e] = result.validation()[e].mae();
                }
            }
            // The quantile loss is twice the pinball loss (docs/algorithm.md §4): the plot shows the pinball loss.
            double[] train = result.epochMae().clone();
            double scale = config.objective().isMae() ? 1 : 0.5;
            for (int e = 0; e < train.length; e++) {
                train[e] *= scale;
            }
            LossPlot.write(plot, train, validation, info.source(), LossPlot.quantity(config.objective()));
        }
        return ExitCode.OK;
    }

    private Model model(DataInfo info, Dataset data, TrainConfig config, TrainResult result, double[] w, double b,
            Standardizer z) {
        Map<String, Object> t = TrainingCodec.write(config, info.features());
        t.put("standardize", standardize);
        t.put("weights", weightsOrigin(data));
        t.put("epochs_trained", result.epochs());
        t.put("stopped_early", result.stoppedEarly());
        t.put("warm_start", training.start == null ? null : training.start.record());
        Metrics trainMetrics = null;
        Metrics validationMetrics = null;
        if (data != null) {
            // Metrics in the original units, on the rows the engines trained and validated on.
            if (config.holdOut().validates()) {
                ValidationSplit split = ValidationSplit.of(data, config.holdOut().share(), config.seed());
                trainMetrics = Metrics.of(w, b, split.training());
                validationMetrics = Metrics.of(w, b, split.validation());
            } else {
                trainMetrics = Metrics.of(w, b, data);
            }
        }
        return new Model(w, b, info.featureNames(), info.targetName(), z, t, result.engine(), Model.thisLinregVersion(),
                Model.thisJcudaVersion(), info.source(), info.samples(), trainMetrics, validationMetrics);
    }

    /** What weighted the run ({@code column "w"}, a file), or null for an unweighted one. */
    private static String weightsOrigin(Dataset data) {
        return data == null || !data.weighted() ? null : data.weights().origin();
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            d[j] = v[j];
        }
        return d;
    }
}
