package linreg.cli;

import linreg.train.TrainConfig;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** How to train: the tutorial's hyper-parameters, the seed, the start and the order. */
public final class TrainingOptions {
    @Option(names = "--lr", paramLabel = "LR", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    float lr = 0.05f;

    @Option(names = {"-e", "--epochs"}, paramLabel = "E", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 50;

    @Option(names = {"-b", "--batch-size"}, paramLabel = "B", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize = 16;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the data, the start and the shuffles (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--init-w", paramLabel = "W1,W2,...", converter = FloatListConverter.class,
            description = "Start from these weights (default: drawn from N(0, 0.01)).")
    FloatList initW;

    @Option(names = "--init-b", paramLabel = "B", description = "Start from this bias (default: ${DEFAULT-VALUE}).")
    float initB = 0.01f;

    @Option(names = "--no-shuffle", description = "Take the batches in row order instead of a fresh permutation each epoch.")
    boolean noShuffle;

    @Option(names = "--threads", paramLabel = "T", description = "CPU engine threads (default: all ${DEFAULT-VALUE} cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--device", paramLabel = "N", description = "GPU to use, as CUDA numbers them (default: ${DEFAULT-VALUE}).")
    int device = 0;

    /** @throws ParameterException naming the first bad option */
    void validate(CommandLine cl) {
        if (!(lr > 0) || Float.isInfinite(lr)) {
            throw new ParameterException(cl, "--lr must be a finite number > 0, got " + lr);
        }
        if (epochs < 0) {
            throw new ParameterException(cl, "--epochs must be at least 0, got " + epochs);
        }
        if (batchSize < 1) {
            throw new ParameterException(cl, "--batch-size must be at least 1, got " + batchSize);
        }
        if (!Float.isFinite(initB)) {
            throw new ParameterException(cl, "--init-b must be a finite number, got " + initB);
        }
        if (threads < 1) {
            throw new ParameterException(cl, "--threads must be at least 1, got " + threads);
        }
        if (device < 0) {
            throw new ParameterException(cl, "--device must be at least 0, got " + device);
        }
    }

    /** The configuration for data with d features. */
    TrainConfig config(CommandLine cl, int d) {
        if (initW != null && initW.size() != d) {
            throw new ParameterException(cl, "--init-w has " + initW.size() + " values but the data has " + d + " features");
        }
        return TrainConfig.builder().lr(lr).epochs(epochs).batchSize(batchSize).seed(seed).shuffle(!noShuffle)
                .initW(initW == null ? null : initW.values()).initB(initB).threads(threads).build();
    }
}
