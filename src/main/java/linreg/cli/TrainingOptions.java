package linreg.cli;

import linreg.spec.Objective;
import linreg.train.CpuTrainer;
import linreg.train.LearningRateSchedule;
import linreg.train.TrainConfig;
import linreg.train.ValidationSplit;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** How to train: the tutorial's hyper-parameters, the seed, the start and the order. */
public final class TrainingOptions {
    /** GPU strategies the user can ask for. */
    public enum StrategyChoice { auto, pipeline, fused }

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

    @Option(names = "--init-b", paramLabel = "B", description = "Start from this bias (default: ${DEFAULT-VALUE}).")
    float initB = 0.01f;

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

    /** @throws ParameterException naming the first bad option */
    void validate(CommandLine cl) {
        if (!(lr > 0) || Float.isInfinite(lr)) {
            throw new ParameterException(cl, "--lr must be a finite number > 0, got " + NumberFlags.typed(cl, "--lr", lr));
        }
        if (epochs < 0) {
            throw new ParameterException(cl, "--epochs must be at least 0, got " + epochs);
        }
        if (batchSize < 1) {
            throw new ParameterException(cl, "--batch-size must be at least 1, got " + batchSize);
        }
        if (!Float.isFinite(initB)) {
            throw new ParameterException(cl, "--init-b must be a finite number, got " + NumberFlags.typed(cl, "--init-b", initB));
        }
        if (threads < 1) {
            throw new ParameterException(cl, "--threads must be at least 1, got " + threads);
        }
        if (device < 0) {
            throw new ParameterException(cl, "--device must be at least 0, got " + device);
        }
        validateExtensions(cl);
    }

    private void validateExtensions(CommandLine cl) {
        if (quantile != null && loss != Objective.Kind.quantile) {
            throw new ParameterException(cl, "--quantile applies to --loss quantile");
        }
        if (quantile != null && !(quantile > 0 && quantile < 1)) {
            throw new ParameterException(cl, "--quantile must be in (0, 1), got " + NumberFlags.typed(cl, "--quantile", quantile));
        }
        if (average != null && average < 0) {
            throw new ParameterException(cl, "--average must start at an epoch >= 0, got " + average);
        }
        if (loss != Objective.Kind.mae && validation != null) {
            throw new ParameterException(cl, "--validation works with --loss mae only, not yet with --loss " + loss);
        }
        if (lrDecay != null && schedule != LearningRateSchedule.Kind.invsqrt) {
            throw new ParameterException(cl, "--lr-decay applies to --lr-schedule invsqrt");
        }
        if ((lrStepEvery != null || lrGamma != null) && schedule != LearningRateSchedule.Kind.step) {
            throw new ParameterException(cl, (lrStepEvery != null ? "--lr-step-every" : "--lr-gamma")
                    + " applies to --lr-schedule step");
        }
        try {
            schedule();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "--lr-schedule " + schedule + ": " + e.getMessage());
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new ParameterException(cl, "--momentum must be in [0, 1), got " + NumberFlags.typed(cl, "--momentum", momentum));
        }
        if (nesterov && momentum == 0) {
            throw new ParameterException(cl, "--nesterov needs --momentum > 0");
        }
        if (clipNorm != null && (!(clipNorm > 0) || Float.isInfinite(clipNorm))) {
            throw new ParameterException(cl, "--clip-norm must be a finite number > 0, got " + NumberFlags.typed(cl, "--clip-norm", clipNorm));
        }
        if (validation != null && !(validation > 0 && validation < 1)) {
            throw new ParameterException(cl, "--validation must be a fraction in (0, 1), got " + NumberFlags.typed(cl, "--validation", validation));
        }
        if (patience != null && patience < 1) {
            throw new ParameterException(cl, "--patience must be at least 1 epoch, got " + patience);
        }
        if (tol != null && patience == null) {
            throw new ParameterException(cl, "--tol applies to early stopping: give --patience too");
        }
        if (tol != null && (!(tol >= 0) || Double.isInfinite(tol))) {
            throw new ParameterException(cl, "--tol must be a finite number >= 0, got " + NumberFlags.typed(cl, "--tol", tol));
        }
    }

    /** The loss asked for. */
    Objective objective() {
        return Objective.of(loss, quantile == null ? 0.5 : quantile);
    }

    private LearningRateSchedule schedule() {
        return new LearningRateSchedule(schedule, lrDecay == null ? 1 : lrDecay,
                lrStepEvery == null ? 10 : lrStepEvery, lrGamma == null ? 0.5 : lrGamma);
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
        if (initW != null && initW.size() != d) {
            throw new ParameterException(cl, "--init-w has " + initW.size() + " values but the data has " + d + " features");
        }
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
        return TrainConfig.builder().objective(objective()).lr(lr).epochs(epochs).batchSize(batchSize).seed(seed).shuffle(!noShuffle)
                .initW(initW == null ? null : initW.values()).initB(initB).threads(usedThreads).schedule(schedule())
                .momentum(momentum).nesterov(nesterov).clipNorm(clipNorm == null ? 0f : clipNorm)
                .validation(validation == null ? 0 : validation).patience(patience == null ? 0 : patience)
                .tol(tol == null ? 0 : tol).average(average == null ? -1 : average).build();
    }
}
