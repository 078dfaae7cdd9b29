package linreg.train;

import linreg.data.Dataset;

/**
 * The pure-Java engine: the tutorial's loop in float32 with the canonical arithmetic of
 * {@link MaeGradient} and {@link SgdUpdate}, so its results are the bits the GPU kernels give.
 *
 * <p>With more than one thread it splits each epoch's permutation and, for batches of at least
 * {@link #PARALLEL_MIN_BATCH} rows, each step's lanes; the order of every sum stays the
 * canonical one, so the result does not depend on the thread count. It runs at most one thread
 * per available processor, whatever the configuration asks ({@link #usableThreads}).
 */
public final class CpuTrainer implements Trainer {
    /**
     * Smallest batch whose steps are split across threads: below it one step is too short
     * (a few microseconds) to pay for the threads' meeting (bench/results/ has the measurement).
     */
    public static final int PARALLEL_MIN_BATCH = 2048;
    /** Smallest n whose permutation is computed by several threads. */
    static final int PARALLEL_MIN_SAMPLES = 1 << 16;

    private final int processors;

    /** The engine on this machine: at most one thread per available processor. */
    public CpuTrainer() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** The engine as on a machine of {@code processors} processors (tests of the thread split). */
    CpuTrainer(int processors) {
        this.processors = processors;
    }

    /**
     * The threads the engine runs for {@code requested} ({@link TrainConfig#threads()}): at most
     * one per available processor. The workers spin between steps and every step waits for all
     * of them, so a thread without a core of its own stalls every step (1000 threads on 2 cores
     * took minutes for what 2 do in a second).
     */
    public static int usableThreads(int requested) {
        return Math.min(requested, Runtime.getRuntime().availableProcessors());
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public TrainResult train(Dataset data, TrainConfig config, EpochListener listener) {
        Dataset validation = null;
        if (config.validation() > 0) {
            ValidationSplit split = ValidationSplit.of(data, config.validation(), config.seed());
            data = split.training();
            validation = split.validation();
        }
        int n = data.samples();
        int batch = config.batchSize();
        int threads = Math.min(config.threads(), processors);
        boolean splitSteps = threads > 1 && Math.min(batch, n) >= PARALLEL_MIN_BATCH;
        boolean splitPermutation = threads > 1 && config.shuffle() && n >= PARALLEL_MIN_SAMPLES;
        try (WorkerTeam team = splitSteps || splitPermutation ? new WorkerTeam(threads) : null) {
            return run(data, validation, config, listener, splitSteps ? team : null, splitPermutation ? team : null);
        }
    }

    private TrainResult run(Dataset data, Dataset validation, TrainConfig config, EpochListener listener,
            WorkerTeam stepTeam, WorkerTeam permutationTeam) {
        int n = data.samples();
        int d = data.features();
        float[] x = data.x();
        float[] y = data.y();
        int batch = config.batchSize();
        float[] params = config.initialParams(d);
        float[] sums = new float[d + 2];
        int[] order = new int[n];
        if (!config.shuffle()) {
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
        }
        MaeGradient gradient = new MaeGradient(d);
        ParallelMaeGradient parallel = stepTeam == null ? null : new ParallelMaeGradient(gradient, stepTeam);
        SgdUpdate update = config.update(d);
        long permutationSeed = config.permutationSeed();
        TrainingHistory history = new TrainingHistory(config, validation == null ? null : validation.y(), listener);

        long trainStart = System.nanoTime();
        for (int e = 0; e < config.epochs(); e++) {
            long epochStart = System.nanoTime();
            if (config.shuffle()) {
                fillOrder(Permutation.of(permutationSeed, e, n), order, permutationTeam);
            }
            float lr = config.rate(e);
            double loss = 0;
            double absSum = 0;
            for (int from = 0; from < n; from += batch) {
                int m = Math.min(batch, n - from);
                if (parallel != null && m >= PARALLEL_MIN_BATCH) {
                    parallel.compute(x, y, order, from, m, params, sums);
                } else {
                    gradient.compute(x, y, order, from, m, params, sums);
                }
                loss += sums[0] / m;
                absSum += sums[0];
                update.apply(params, sums, m, lr);
            }
            double seconds = (System.nanoTime() - epochStart) * 1e-9;
            float[] held = validation == null ? null : ValidationMetrics.sums(validation, params);
            if (history.record(e, loss, absSum / n, seconds, held)) {
                break;
            }
        }
        int used = stepTeam != null ? stepTeam.size() : permutationTeam != null ? permutationTeam.size() : 1;
        return history.result(name(), used + (used == 1 ? " thread" : " threads"), params,
                (System.nanoTime() - trainStart) * 1e-9);
    }

    private static void fillOrder(Permutation permutation, int[] order, WorkerTeam team) {
        int n = order.length;
        if (team == null) {
            permutation.fill(order, 0, n);
            return;
        }
        int members = team.size();
        team.run(member -> permutation.fill(order,
                (int) ((long) n * member / members), (int) ((long) n * (member + 1) / members)));
    }
}
