package linreg.cli;

import linreg.cpu.CpuTrainer;
import linreg.engine.StrategyChoice;
import linreg.gpu.Streaming;
import linreg.spec.LearningRateSchedule;
import linreg.spec.Objective;
import linreg.train.ConfigException;
import linreg.train.TrainConfig;
import linreg.train.ValidationSplit;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

/** How to train: the tutorial's hyper-parameters, the seed, the start and the order. */
public final class TrainingOptions {
    /** A split that leaves fewer rows than this to train on gets a notice. */
    static final int FEW_TRAINING_ROWS = 10;

    @Option(names = "--loss", paramLabel = "LOSS",
            description = "The loss to minimise: mae (the tutorial's) or quantile (the pinball loss at --quantile) "
                    + "(default: ${DEFAULT-VALUE}).")
    Objective.Kind loss = Objective.Kind.mae;

    @Option(names = "--quantile", paramLabel = "TAU",
            description = "--loss quantile: the quantile level, 0 < TAU < 1 (default: 0.5, the median: the MAE's bits).")
    Double quantile;

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

    @Option(names = "--init-b", paramLabel = "B",
            description = "Start from this bias (default: ${DEFAULT-VALUE}); not with --no-intercept, which keeps b at 0.")
    float initB = 0.01f;

    @Option(names = "--init-model", paramLabel = "FILE.json",
            description = "Continue a saved model: start from its w and b at the epoch after its last, so that E1 epochs and then E2"
                    + " more equal E1 + E2 (same seed and settings). Momentum's velocities restart at zero, and so does --average's"
                    + " mean. A model trained with --standardize goes on with --standardize, on its own z-scores. Not with"
                    + " --init-w/--init-b.")
    java.nio.file.Path initModel;

    /** The start read from {@link #initModel}, once the data's width is known. */
    InitModel start;

    @Option(names = "--no-shuffle", description = "Take the batches in row order instead of a fresh permutation each epoch.")
    boolean noShuffle;

    @Option(names = "--lr-schedule", paramLabel = "KIND",
            description = "Step size per epoch: constant, invsqrt (lr/sqrt(1 + e/T)) or step (lr·G^floor(e/K)) (default: ${DEFAULT-VALUE}).")
    LearningRateSchedule.Kind schedule = LearningRateSchedule.Kind.constant;

    @Option(names = "--lr-decay", paramLabel = "T", description = "invsqrt: epochs T (default: 1).")
    Double lrDecay;

    @Option(names = "--lr-step-every", paramLabel = "K", description = "step: epochs K between cuts (default: 10).")
    Integer lrStepEvery;

    @Option(names = "--lr-gamma", paramLabel = "G", description = "step: the factor G of each cut (default: 0.5).")
    Double lrGamma;

    @Option(names = "--momentum", paramLabel = "M", description = "Momentum, as PyTorch's SGD (default: 0, none).")
    float momentum;

    @Option(names = "--nesterov", description = "Nesterov momentum (needs --momentum).")
    boolean nesterov;

    @Option(names = "--clip-norm", paramLabel = "C", description = "Clip the gradient to a total norm of C (default: off).")
    Float clipNorm;

    @Option(names = "--no-intercept", description = "Fit no bias: b stays 0 (and out of --clip-norm's norm).")
    boolean noIntercept;

    @Option(names = "--l2", paramLabel = "ALPHA",
            description = "L2 penalty on w: ALPHA·w is added to w's gradient, not to b's (default: 0, none).")
    Float l2;

    @Option(names = "--l1", paramLabel = "ALPHA",
            description = "L1 penalty on w: after each step every w_j moves lr·ALPHA towards 0 and stops there; b is "
                    + "untouched (default: 0, none).")
    Float l1;

    @Option(names = "--average", paramLabel = "START", arity = "0..1", fallbackValue = "0",
            description = "Polyak-Ruppert averaging: the result is the running mean of the parameters after each step "
                    + "from epoch START on (default START: 0); the epoch losses stay those of the steps' parameters.")
    Integer average;

    @Option(names = "--validation", paramLabel = "FRACTION",
            description = "Hold out this fraction of the samples (seeded) and report its MAE, RMSE and R² every epoch.")
    Double validation;

    @Option(names = "--patience", paramLabel = "K",
            description = "Stop after K epochs without improvement of the validation MAE (or the training MAE).")
    Integer patience;

    @Option(names = "--tol", paramLabel = "T", description = "With --patience: the improvement an epoch needs (default: 0).")
    Double tol;

    @Option(names = "--threads", paramLabel = "T",
            description = "CPU engine threads, at most one per processor (default: all ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--strategy", paramLabel = "STRATEGY",
            description = "GPU strategy: pipeline (cuBLAS gemv + kernels per batch), fused (one kernel per epoch) or auto "
                    + "(the cost model's pick for the problem's n, d and batch) (default: ${DEFAULT-VALUE}).")
    StrategyChoice strategy = StrategyChoice.auto;

    @Option(names = "--device", paramLabel = "N", description = "GPU to use, as CUDA numbers them (default: ${DEFAULT-VALUE}).")
    int device = 0;

    @Option(names = "--streaming", paramLabel = "MODE",
            description = "GPU engine: stream the rows from the host to the card each epoch instead of holding them there: "
                    + "auto (only when they do not fit the card), on or off (default: ${DEFAULT-VALUE}).")
    Streaming streaming = Streaming.auto;

    /** @throws ParameterException naming the first bad option */
    void validate(CommandLine cl) {
        if (device < 0) {
            throw new ParameterException(cl, "--device must be at least 0, got " + device);
        }
        if (quantile != null && loss != Objective.Kind.quantile) {
            throw new ParameterException(cl, "--quantile applies to --loss quantile");
        }
        if (lrDecay != null && schedule != LearningRateSchedule.Kind.invsqrt) {
            throw new ParameterException(cl, "--lr-decay applies to --lr-schedule invsqrt");
        }
        if ((lrStepEvery != null || lrGamma != null) && schedule != LearningRateSchedule.Kind.step) {
            throw new ParameterException(cl, (lrStepEvery != null ? "--lr-step-every" : "--lr-gamma")
                    + " applies to --lr-schedule step");
        }
        if (initModel != null && (initW != null || cl.getParseResult().hasMatchedOption("--init-b"))) {
            throw new ParameterException(cl, "--init-model gives the start: leave out "
                    + (initW != null ? "--init-w" : "--init-b"));
        }
        if (noIntercept && cl.getParseResult().hasMatchedOption("--init-b")) {
            throw new ParameterException(cl, "--init-b starts b, which --no-intercept keeps at 0: leave out one of them");
        }
        build(cl, threads);
    }

    /** The flags as a configuration, checked by it: a bad value is named by its flag, as the user typed it. */
    private TrainConfig build(CommandLine cl, int usedThreads) {
        LearningRateSchedule lrSchedule;
        try {
            lrSchedule = new LearningRateSchedule(schedule, lrDecay == null ? 1 : lrDecay,
                    lrStepEvery == null ? 10 : lrStepEvery, lrGamma == null ? 0.5 : lrGamma);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "--lr-schedule " + schedule + ": " + e.getMessage());
        }
        if (start != null && noIntercept && start.b() != 0f) {
            // Dropping the saved bias would change the model, not continue it.
            throw new ParameterException(cl, "--no-intercept keeps b at 0, but the model of --init-model " + initModel
                    + " has b = " + start.b() + ": continue it with its intercept (leave out --no-intercept)");
        }
        try {
            return TrainConfig.builder().objective(objective(cl)).lr(lr).epochs(epochs).batchSize(batchSize).seed(seed).shuffle(!noShuffle)
                    .initW(start != null ? start.w() : initW == null ? null : initW.values())
                    .initB(start != null ? start.b() : initB).firstEpoch(start != null ? start.firstEpoch() : 0)
                    .threads(usedThreads).schedule(lrSchedule)
                    .momentum(momentum).nesterov(nesterov).clipNorm(clipNorm).intercept(!noIntercept).l2(l2).l1(l1)
                    .validation(validation).patience(patience)
                    .tol(tol).average(average).build();
        } catch (ConfigException e) {
            String given = e.value() == null ? null : NumberFlags.typed(cl, flag(e.setting()), e.value());
            throw new ParameterException(cl, e.message(TrainingOptions::flag, given));
        }
    }

    /** The flag of a configuration setting: its name with dashes ("batch_size": "--batch-size"). */
    private static String flag(String setting) {
        return "--" + setting.replace('_', '-');
    }

    /** The loss asked for. */
    private Objective objective(CommandLine cl) {
        try {
            return Objective.of(loss, quantile == null ? 0.5 : quantile);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "--quantile must be in (0, 1), got " + NumberFlags.typed(cl, "--quantile", quantile));
        }
    }

    /**
     * The configuration for n samples of d features; unless {@code quiet}, a one-line notice on
     * stderr for each thing it changed or doubts: {@code --threads} above the processors (capped,
     * so that the JSON and the model file record the threads that ran) and a {@code --validation}
     * that leaves fewer than {@link #FEW_TRAINING_ROWS} rows to train on.
     *
     * @throws ParameterException for an --init-w of another length, or a split with an empty side
     */
    TrainConfig config(CommandLine cl, long n, int d, boolean quiet) {
        long trainingRows;
        try {
            trainingRows = ValidationSplit.trainingRows(n, validation == null ? 0 : validation);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, e.getMessage());
        }
        int usedThreads = CpuTrainer.usableThreads(threads);
        if (!quiet && usedThreads < threads) {
            cl.getErr().println("linreg: --threads " + threads + " is more than the " + usedThreads
                    + " processors available; using " + usedThreads);
        }
        if (!quiet && validation != null && trainingRows < FEW_TRAINING_ROWS) {
            cl.getErr().println("linreg: --validation " + validation + " of " + n + " samples leaves only " + trainingRows
                    + (trainingRows == 1 ? " row" : " rows") + " to train on; the fit means little");
        }
        TrainConfig config = build(cl, usedThreads);
        try {
            config.start().requireFeatures(d);
        } catch (ConfigException e) {
            throw new ParameterException(cl, e.message(TrainingOptions::flag, null));
        }
        return config;
    }
}
