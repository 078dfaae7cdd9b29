package linreg.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import linreg.data.CsvLoader;
import linreg.data.DataException;
import linreg.data.Dataset;
import linreg.data.SyntheticData;
import linreg.gpu.GpuUnavailableException;
import linreg.train.EpochListener;
import linreg.train.Engines;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import linreg.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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

    @Option(names = {"-n", "--samples"}, paramLabel = "N", description = "Samples to generate (default: ${DEFAULT-VALUE}).")
    int samples = SyntheticData.TUTORIAL_SAMPLES;

    @Option(names = "--true-w", paramLabel = "W1,W2,...", converter = FloatListConverter.class,
            description = "True weights of the generated data (default: 10,7,5,2).")
    FloatList trueW;

    @Option(names = "--true-b", paramLabel = "B", description = "True bias of the generated data (default: ${DEFAULT-VALUE}).")
    float trueB = SyntheticData.TUTORIAL_B;

    @Option(names = {"-d", "--features"}, paramLabel = "D",
            description = "Generate D features with true w_j = (j mod 7) - 3 (the tutorial's w when D = 4).")
    Integer features;

    @Option(names = "--lr", paramLabel = "LR", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    float lr = 0.05f;

    @Option(names = {"-e", "--epochs"}, paramLabel = "E", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 50;

    @Option(names = {"-b", "--batch-size"}, paramLabel = "B", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize = 16;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the data, the start and the shuffles (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--engine", paramLabel = "ENGINE",
            description = "auto, cpu or gpu (default: ${DEFAULT-VALUE}: the GPU when one is usable).")
    EngineChoice engine = EngineChoice.auto;

    @Option(names = "--threads", paramLabel = "T", description = "CPU engine threads (default: all ${DEFAULT-VALUE} cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--init-w", paramLabel = "W1,W2,...", converter = FloatListConverter.class,
            description = "Start from these weights (default: drawn from N(0, 0.01)).")
    FloatList initW;

    @Option(names = "--init-b", paramLabel = "B", description = "Start from this bias (default: ${DEFAULT-VALUE}).")
    float initB = 0.01f;

    @Option(names = "--no-shuffle", description = "Take the batches in row order instead of a fresh permutation each epoch.")
    boolean noShuffle;

    @Option(names = "--data", paramLabel = "FILE",
            description = "Train on a CSV file: one sample a row, the features, then the target; optional header line.")
    Path data;

    @Option(names = "--target", paramLabel = "NAME", description = "With --data: the target column's header name (default: the last column).")
    String target;

    @Option(names = "--json", description = "Print one JSON object with the whole result instead of text.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "Print no per-epoch lines and no notices.")
    boolean quiet;

    @Override
    public Integer call() throws DataException {
        validateFlags();
        long loadStart = System.nanoTime();
        Dataset dataset = loadData();
        double loadSeconds = (System.nanoTime() - loadStart) * 1e-9;
        if (initW != null && initW.size() != dataset.features()) {
            throw bad("--init-w has " + initW.size() + " values but the data has " + dataset.features() + " features");
        }
        TrainConfig config = TrainConfig.builder().lr(lr).epochs(epochs).batchSize(batchSize).seed(seed)
                .shuffle(!noShuffle).initW(initW == null ? null : initW.values()).initB(initB).threads(threads).build();
        Trainer trainer = selectEngine();

        PrintWriter out = spec.commandLine().getOut();
        EpochListener listener = json || quiet ? EpochListener.NONE
                : (epoch, loss, mae, seconds) -> out.printf(java.util.Locale.ROOT, "epoch %03d: loss: %.6f%n", epoch, loss);
        TrainResult result = trainer.train(dataset, config, listener);
        TrainReport report = new TrainReport(dataset, config, result, loadSeconds);
        out.print(json ? report.json() + System.lineSeparator() : report.text());
        out.flush();
        return ExitCode.OK;
    }

    private void validateFlags() {
        var parsed = spec.commandLine().getParseResult();
        if (data != null) {
            for (String option : List.of("--samples", "--true-w", "--true-b", "--features")) {
                if (parsed.hasMatchedOption(option)) {
                    throw bad(option + " describes generated data; it cannot be used with --data");
                }
            }
        } else if (target != null) {
            throw bad("--target picks a column of a --data file; no --data was given");
        }
        if (samples < 1) {
            throw bad("--samples must be at least 1, got " + samples);
        }
        if (features != null && features < 1) {
            throw bad("--features must be at least 1, got " + features);
        }
        if (trueW != null && features != null && trueW.size() != features) {
            throw bad("--true-w has " + trueW.size() + " values but --features is " + features);
        }
        if (!(lr > 0) || Float.isInfinite(lr)) {
            throw bad("--lr must be a finite number > 0, got " + lr);
        }
        if (epochs < 0) {
            throw bad("--epochs must be at least 0, got " + epochs);
        }
        if (batchSize < 1) {
            throw bad("--batch-size must be at least 1, got " + batchSize);
        }
        if (threads < 1) {
            throw bad("--threads must be at least 1, got " + threads);
        }
        requireFinite("--true-b", trueB);
        requireFinite("--init-b", initB);
        int d = trueW != null ? trueW.size() : features != null ? features : SyntheticData.TUTORIAL_W.length;
        if (data == null && (long) samples * d > Dataset.MAX_ELEMENTS) {
            throw bad("--samples " + samples + " with " + d + " features is " + (long) samples * d
                    + " values, more than a host array holds (" + Dataset.MAX_ELEMENTS + ")");
        }
    }

    private void requireFinite(String option, float value) {
        if (!Float.isFinite(value)) {
            throw bad(option + " must be a finite number, got " + value);
        }
    }

    private Dataset loadData() throws DataException {
        if (data != null) {
            return new CsvLoader().load(data, target);
        }
        float[] w = trueW != null ? trueW.values() : SyntheticData.trueW(features != null ? features : SyntheticData.TUTORIAL_W.length);
        return SyntheticData.generate(samples, w, trueB, seed);
    }

    private Trainer selectEngine() {
        switch (engine) {
            case gpu:
                throw new GpuUnavailableException("the GPU engine is not part of this build yet");
            case auto:
                if (!quiet) {
                    spec.commandLine().getErr().println(
                            "linreg: no GPU engine in this build yet; training on the CPU");
                }
                return Engines.cpu();
            default:
                return Engines.cpu();
        }
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
