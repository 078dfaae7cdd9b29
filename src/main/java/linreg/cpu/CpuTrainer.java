package linreg.cpu;

import linreg.data.Dataset;
import linreg.spec.ParameterAverage;
import linreg.spec.Permutation;
import linreg.spec.SampleWeighting;
import linreg.spec.SgdUpdate;
import linreg.train.EpochListener;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;
import linreg.train.Trainer;
import linreg.train.TrainingHistory;
import linreg.train.ValidationMetrics;
import linreg.train.ValidationSplit;

/**
 * The pure-Java engine: the tutorial's loop in float32 with the canonical arithmetic of
 * {@link MaeGradient} and {@link SgdUpdate}, so its results are the bits the GPU kernels give.
 *
 * <p>Shuffled epochs read their rows through a {@link RowFeed}: chunk by chunk, the epoch's
 * order is computed and its rows are copied into small arrays, which the steps then read in
 * order. With more than one thread the other threads are the feed's helpers, gathering the
 * next chunks (and the next epoch's) while the caller steps. Only wide rows in large batches,
 * where the steps and not the memory are the work, split each step's lanes across the threads
 * instead. The order of every sum stays the canonical one, so the result does not depend on
 * the thread count. It runs at most one thread per available processor, whatever the
 * configuration asks ({@link #usableThreads}).
 */
public final class CpuTrainer implements Trainer {
    /**
     * Smallest batch whose steps are split across threads: below it one step is too short
     * (a few microseconds) to pay for the threads' meeting (bench/results/ has the measurement).
     */
    public static final int PARALLEL_MIN_BATCH = 2048;
    /** Fewest features for which steps, not the feed, are split across threads. */
    static final int WIDE_ROW_FEATURES = 32;
    /** Smallest n for which helper threads gather rows (below, the data is in cache anyway). */
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
        if (config.holdOut().validates()) {
            ValidationSplit split = ValidationSplit.of(data, config.holdOut().share(), config.seed());
            data = split.training();
            validation = split.validation();
        }
        int n = data.samples();
        int threads = Math.min(config.threads(), processors);
        // Rows in segments or mapped from a file are read only through the feed, which copies them.
        boolean inArrays = data.featureRows().array() != null && data.targets().array() != null;
        if (inArrays && threads > 1 && data.features() >= WIDE_ROW_FEATURES
                && Math.min(config.batchSize(), n) >= PARALLEL_MIN_BATCH) {
            try (WorkerTeam team = new WorkerTeam(threads)) {
                return run(data, validation, config, listener, null, team);
            }
        }
        int helpers = threads > 1 && (config.shuffle() || !inArrays) && n >= PARALLEL_MIN_SAMPLES ? threads - 1 : 0;
        if (!config.shuffle() && inArrays) {
            return run(data, validation, config, listener, null, null);
        }
        try (RowFeed feed = new RowFeed(data.featureRows(), data.targets(),
                data.weighted() ? data.weights().values() : null, config.permutationSeed(), config.shuffle(),
                new ChunkPlan(n, data.features(), config.batchSize()), config.start().firstEpoch(), config.epochs(), helpers)) {
            return run(data, validation, config, listener, feed, null);
        }
    }

    /** Epochs from the feed (shuffled), from a team-filled order (wide rows), or in row order. */
    private TrainResult run(Dataset data, Dataset validation, TrainConfig config, EpochListener listener,
            RowFeed feed, WorkerTeam team) {
        int n = data.samples();
        int d = data.features();
        int batch = config.batchSize();
        float[] params = config.initialParams(d);
        boolean weighted = data.weighted();
        float[] weights = weighted ? data.weights().values() : null;
        float[] sums = new float[SampleWeighting.quantities(d, weighted)];
        MaeGradient gradient = new MaeGradient(d, config.objective(), weighted);
        ParallelMaeGradient parallel = team == null ? null : new ParallelMaeGradient(gradient, team);
        ChunkPlan plan = feed == null ? null : feed.plan();
        int[] order = feed == null ? new int[n] : null;
        for (int i = 0; feed == null && i < n; i++) {
            order[i] = i;
        }
        SgdUpdate update = config.update(d);
        ParameterAverage average = config.average(d);
        TrainingHistory history = new TrainingHistory(config,
                validation == null ? null : ValidationMetrics.targets(validation),
                validation == null || !validation.weighted() ? null : validation.weights().values(), listener);

        long trainStart = System.nanoTime();
        for (int e = 0; e < config.epochs(); e++) {
            long epochStart = System.nanoTime();
            int epoch = config.epoch(e);  // the run's epoch, whose order and rate these are
            float lr = config.optimiser().rate(epoch);
            ParameterAverage averaging = average != null && average.covers(epoch) ? average : null;
            Steps steps = new Steps(update, averaging, weighted, lr);
            if (feed != null) {
                for (int i = 0; i < plan.chunks(); i++) {
                    RowFeed.Chunk chunk = feed.take(e, i);
                    int rows = chunk.count;
                    if (plan.wholeBatches()) {
                        for (int from = 0; from < rows; from += batch) {
                            int m = Math.min(batch, rows - from);
                            gradient.compute(chunk.x, chunk.y, chunk.v, null, from, m, params, sums);
                            steps.step(params, sums, m);
                        }
                    } else {
                        gradient.addSegments(chunk.x, chunk.y, chunk.v, null, 0, rows, plan.startsBatch(i), params, sums);
                        if (plan.endsBatch(i)) {
                            steps.step(params, sums, plan.batchRows(i));
                        }
                    }
                    feed.done(e, i);
                }
            } else {
                if (team != null && config.shuffle()) {
                    Permutation permutation = Permutation.of(config.permutationSeed(), epoch, n);
                    int members = team.size();
                    team.run(member -> permutation.fill(order,
                            (int) ((long) n * member / members), (int) ((long) n * (member + 1) / members)));
                }
                for (int from = 0; from < n; from += batch) {
                    int m = Math.min(batch, n - from);
                    if (parallel != null && m >= PARALLEL_MIN_BATCH) {
                        parallel.compute(data.x(), data.y(), weights, order, from, m, params, sums);
                    } else {
                        gradient.compute(data.x(), data.y(), weights, order, from, m, params, sums);
                    }
                    steps.step(params, sums, m);
                }
            }
            double seconds = (System.nanoTime() - epochStart) * 1e-9;
            float[] result = average == null ? params : average.current(params);
            float[] held = validation == null ? null : ValidationMetrics.sums(validation, result);
            if (history.record(e, steps.loss, steps.lossSum / steps.weight, seconds, held)) {
                break;
            }
        }
        int used = team != null ? team.size() : feed != null ? feed.threads() : 1;
        return history.result(name(), used + (used == 1 ? " thread" : " threads"),
                average == null ? params : average.current(params), average == null ? null : params,
                average == null ? 0 : average.steps(), (System.nanoTime() - trainStart) * 1e-9);
    }

    /**
     * The steps of one epoch from their batches' sums, and the epoch's totals: {@code loss}, the
     * batch losses S/V summed (V = m unweighted), {@code lossSum} = ΣS and {@code weight} = ΣV
     * in float64, so that the epoch's mean loss is lossSum / weight (ΣS / n unweighted).
     */
    private static final class Steps {
        private final SgdUpdate update;
        private final ParameterAverage averaging;
        private final boolean weighted;
        private final float lr;
        double loss;
        double lossSum;
        double weight;

        Steps(SgdUpdate update, ParameterAverage averaging, boolean weighted, float lr) {
            this.update = update;
            this.averaging = averaging;
            this.weighted = weighted;
            this.lr = lr;
        }

        /** The step of a batch of m rows whose sums are {@code sums} (V last when weighted). */
        void step(float[] params, float[] sums, int m) {
            float count = weighted ? sums[sums.length - 1] : m;
            if (SampleWeighting.steps(count)) {
                loss += sums[0] / count;
                lossSum += sums[0];
                weight += count;
                update.apply(params, sums, count, lr);
            }
            if (averaging != null) {
                averaging.add(params);
            }
        }
    }
}
