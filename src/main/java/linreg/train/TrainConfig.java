package linreg.train;

import java.util.Arrays;
import linreg.cpu.CpuTrainer;
import linreg.spec.InitialParameters;
import linreg.spec.LearningRateSchedule;
import linreg.spec.Objective;
import linreg.spec.ParameterAverage;
import linreg.spec.Seeds;
import linreg.spec.SgdUpdate;

/**
 * What to train with: step size, epochs, batch size, seed, order, start, threads. Defaults are
 * the tutorial's (lr 0.05, 50 epochs, batch 16, w0 ~ N(0, 0.01), b0 = 0.01, shuffled).
 */
public final class TrainConfig {
    private final float lr;
    private final int epochs;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private final float[] initW;
    private final float initB;
    private final int threads;
    private final LearningRateSchedule schedule;
    private final float momentum;
    private final boolean nesterov;
    private final float clipNorm;
    private final boolean intercept;
    private final float l2;
    private final float l1;
    private final double validation;
    private final int patience;
    private final double tol;
    private final Objective objective;
    private final int averageStart;
    private final int firstEpoch;
    private final float[] startMean;
    private final long startSteps;

    private TrainConfig(Builder b) {
        this.lr = b.lr;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.shuffle = b.shuffle;
        this.initW = b.initW == null ? null : b.initW.clone();
        this.initB = b.intercept ? b.initB : 0f;  // no intercept: b is 0 from the start
        this.threads = b.threads;
        this.schedule = b.schedule;
        this.momentum = b.momentum;
        this.nesterov = b.nesterov;
        this.clipNorm = b.clipNorm == null ? 0f : b.clipNorm;
        this.intercept = b.intercept;
        this.l2 = b.l2 == null ? 0f : b.l2;
        this.l1 = b.l1 == null ? 0f : b.l1;
        this.validation = b.validation == null ? 0 : b.validation;
        this.patience = b.patience == null ? 0 : b.patience;
        this.tol = b.tol == null ? 0 : b.tol;
        this.objective = b.objective;
        this.averageStart = b.averageStart == null ? -1 : b.averageStart;
        this.firstEpoch = b.firstEpoch;
        this.startMean = b.startMean == null ? null : b.startMean.clone();
        this.startSteps = b.startSteps;
    }

    /** A builder holding the tutorial's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration, to change some of it. */
    public Builder toBuilder() {
        return new Builder().lr(lr).epochs(epochs).batchSize(batchSize).seed(seed).shuffle(shuffle).initW(initW)
                .initB(initB).threads(threads).schedule(schedule).momentum(momentum).nesterov(nesterov)
                .clipNorm(clipNorm > 0 ? clipNorm : null).intercept(intercept).l2(l2 > 0 ? l2 : null)
                .l1(l1 > 0 ? l1 : null).validation(validation > 0 ? validation : null)
                .patience(patience > 0 ? patience : null).tol(patience > 0 ? tol : null).objective(objective)
                .average(averageStart >= 0 ? averageStart : null).firstEpoch(firstEpoch)
                .startAverage(startMean, startSteps);
    }

    public float lr() {
        return lr;
    }

    public int epochs() {
        return epochs;
    }

    public int batchSize() {
        return batchSize;
    }

    public long seed() {
        return seed;
    }

    /** Whether each epoch takes the seeded permutation (else rows in file order). */
    public boolean shuffle() {
        return shuffle;
    }

    /**
     * Threads the CPU engine may use (1 = single-threaded); it runs at most one per available
     * processor ({@link CpuTrainer#usableThreads}).
     */
    public int threads() {
        return threads;
    }

    /** The per-epoch step size rule. */
    public LearningRateSchedule schedule() {
        return schedule;
    }

    /** The step size of the run's epoch {@code epoch}, counted from 0 as the schedule counts them. */
    public float rate(int epoch) {
        return schedule.rate(lr, epoch);
    }

    /**
     * The run's first epoch E0 (0 unless the run continues another): it trains epochs
     * E0 .. E0 + epochs − 1, each with that epoch's order, step size and averaging, so that a
     * continued run computes the bits the longer run would have.
     */
    public int firstEpoch() {
        return firstEpoch;
    }

    /** The running mean this run's averaging starts from (w then b), or null: a fresh average. */
    public float[] startMean() {
        return startMean == null ? null : startMean.clone();
    }

    /** The steps {@link #startMean()} averages (0 with a fresh average). */
    public long startSteps() {
        return startSteps;
    }

    /** Momentum μ (0: none). */
    public float momentum() {
        return momentum;
    }

    /** Whether the momentum is Nesterov's. */
    public boolean nesterov() {
        return nesterov;
    }

    /** Gradient clipping norm C (0: none). */
    public float clipNorm() {
        return clipNorm;
    }

    /** Whether b is fitted; without an intercept b stays 0. */
    public boolean intercept() {
        return intercept;
    }

    /** The L2 penalty's α on w, 0 for none. */
    public float l2() {
        return l2;
    }

    /** The L1 penalty's α on w, 0 for none. */
    public float l1() {
        return l1;
    }

    /** The held-out fraction (0: no validation). */
    public double validation() {
        return validation;
    }

    /** Epochs without improvement before stopping (0: never stop early). */
    public int patience() {
        return patience;
    }

    /** The improvement an epoch needs to count. */
    public double tol() {
        return tol;
    }

    /** The loss minimised (the MAE unless asked otherwise). */
    public Objective objective() {
        return objective;
    }

    /** The epoch from which the parameters are averaged, or -1: no averaging. */
    public int averageStart() {
        return averageStart;
    }

    /** Whether the result is the running mean of the parameters ({@code --average}). */
    public boolean averages() {
        return averageStart >= 0;
    }

    /** The average for d features, from the start's mean when it has one, or null without averaging. */
    public ParameterAverage average(int d) {
        if (!averages()) {
            return null;
        }
        requireFeatures(d);
        ParameterAverage average = new ParameterAverage(d, averageStart);
        if (startMean != null) {
            average.resume(startMean, startSteps);
        }
        return average;
    }

    /** A fresh update rule with this run's momentum, clipping, intercept and penalties, for d features. */
    public SgdUpdate update(int d) {
        return new SgdUpdate(d, momentum, nesterov, clipNorm, intercept, l2, l1);
    }

    /** The explicit start, or null for {@link InitialParameters#randomW}. */
    public float[] initW() {
        return initW == null ? null : initW.clone();
    }

    public float initB() {
        return initB;
    }

    /** The starting parameters for d features: w0 then b0, as every engine starts. */
    public float[] initialParams(int d) {
        requireFeatures(d);
        float[] params = Arrays.copyOf(initW != null ? initW : InitialParameters.randomW(seed, d), d + 1);
        params[d] = initB;
        return params;
    }

    /** @throws ConfigException when the explicit start w is not of d features */
    public void requireFeatures(int d) {
        if (initW != null && initW.length != d) {
            throw new ConfigException("init_w", "has " + initW.length + " values but the data has " + d + " features", null);
        }
        if (startMean != null && startMean.length != d + 1) {
            throw new ConfigException("start_average", "has " + startMean.length + " values but the data has " + d
                    + " features and the bias", null);
        }
    }

    /** The permutation stream seed of this run. */
    public long permutationSeed() {
        return Seeds.stream(seed, Seeds.PERMUTATION);
    }

    /** Builder of {@link TrainConfig}; {@link #build()} checks every value. */
    public static final class Builder {
        private float lr = 0.05f;
        private int epochs = 50;
        private int batchSize = 16;
        private long seed = 0;
        private boolean shuffle = true;
        private float[] initW;
        private float initB = InitialParameters.DEFAULT_B;
        private int threads = 1;
        private LearningRateSchedule schedule = LearningRateSchedule.CONSTANT;
        private float momentum;
        private boolean nesterov;
        private Float clipNorm;
        private boolean intercept = true;
        private Float l2;
        private Float l1;
        private Double validation;
        private Integer patience;
        private Double tol;
        private Objective objective = Objective.MAE;
        private Integer averageStart;
        private int firstEpoch;
        private float[] startMean;
        private long startSteps;

        /** Train the run's epochs from {@code epoch} on (default 0), as the continuation of a longer run. */
        public Builder firstEpoch(int epoch) {
            this.firstEpoch = epoch;
            return this;
        }

        /**
         * Start averaging from a running {@code mean} (w then b) of {@code steps} steps, as a run
         * carried on from another (null, 0: a fresh average, the default).
         */
        public Builder startAverage(float[] mean, long steps) {
            this.startMean = mean == null ? null : mean.clone();
            this.startSteps = steps;
            return this;
        }

        /** Average the parameters of every step from epoch {@code start} on (null: off, the default). */
        public Builder average(Integer start) {
            this.averageStart = start;
            return this;
        }

        /** The loss to minimise (default {@link Objective#MAE}). */
        public Builder objective(Objective objective) {
            this.objective = objective;
            return this;
        }

        public Builder schedule(LearningRateSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        public Builder momentum(float momentum) {
            this.momentum = momentum;
            return this;
        }

        public Builder nesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        /** Clip the gradient to this total norm (null: off). */
        public Builder clipNorm(Float clipNorm) {
            this.clipNorm = clipNorm;
            return this;
        }

        /** Fit b (true, the default), or keep it at 0. */
        public Builder intercept(boolean intercept) {
            this.intercept = intercept;
            return this;
        }

        /** The L2 penalty α on w (null: none). */
        public Builder l2(Float alpha) {
            this.l2 = alpha;
            return this;
        }

        /** The L1 penalty α on w (null: none). */
        public Builder l1(Float alpha) {
            this.l1 = alpha;
            return this;
        }

        /** Hold out this fraction of the samples to validate on (null: none). */
        public Builder validation(Double validation) {
            this.validation = validation;
            return this;
        }

        /** Stop after this many epochs without improvement (null: never stop early). */
        public Builder patience(Integer patience) {
            this.patience = patience;
            return this;
        }

        /** With {@link #patience}: the improvement an epoch needs (null: 0). */
        public Builder tol(Double tol) {
            this.tol = tol;
            return this;
        }

        public Builder lr(float lr) {
            this.lr = lr;
            return this;
        }

        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        public Builder initW(float[] initW) {
            this.initW = initW == null ? null : initW.clone();
            return this;
        }

        public Builder initB(float initB) {
            this.initB = initB;
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** @throws ConfigException naming the first bad value */
        public TrainConfig build() {
            check(lr > 0f && !Float.isInfinite(lr), "lr", "must be a finite number > 0", lr);
            check(epochs >= 0, "epochs", "must be at least 0", epochs);
            check(batchSize >= 1, "batch_size", "must be at least 1", batchSize);
            check(threads >= 1, "threads", "must be at least 1", threads);
            if (initW != null) {
                check(initW.length > 0, "init_w", "must hold at least one value", "none");
                for (float v : initW) {
                    check(Float.isFinite(v), "init_w", "must hold finite numbers", v);
                }
            }
            check(Float.isFinite(initB), "init_b", "must be a finite number", initB);
            check(momentum >= 0f && momentum < 1f, "momentum", "must be in [0, 1)", momentum);
            check(!nesterov || momentum > 0f, "nesterov", "needs {momentum} > 0", null);
            check(clipNorm == null || clipNorm > 0f && !clipNorm.isInfinite(), "clip_norm", "must be a finite number > 0",
                    clipNorm);
            check(l2 == null || l2 >= 0f && Float.isFinite(l2), "l2", "must be a finite number >= 0", l2);
            check(l1 == null || l1 >= 0f && Float.isFinite(l1), "l1", "must be a finite number >= 0", l1);
            check(validation == null || validation > 0 && validation < 1, "validation", "must be a fraction in (0, 1)",
                    validation);
            check(patience == null || patience >= 1, "patience", "must be at least 1 epoch", patience);
            check(tol == null || patience != null, "tol", "applies to early stopping: give {patience} too", null);
            check(tol == null || tol >= 0 && !tol.isInfinite(), "tol", "must be a finite number >= 0", tol);
            check(averageStart == null || averageStart >= 0, "average", "must start at an epoch >= 0", averageStart);
            check(firstEpoch >= 0, "first_epoch", "must be at least 0", firstEpoch);
            check((long) firstEpoch + epochs <= Integer.MAX_VALUE, "epochs", "with the first epoch "
                    + firstEpoch + " must end below 2^31", epochs);
            check(startMean == null ? startSteps == 0 : startSteps >= 1, "start_average",
                    "needs a mean and its steps (at least 1) together", startSteps);
            check(startMean == null || averageStart != null, "start_average", "needs {average}", null);
            if (startMean != null) {
                for (float v : startMean) {
                    check(Float.isFinite(v), "start_average", "must hold finite numbers", v);
                }
            }
            check(objective != null, "loss", "must be given", null);
            // The hold-out measures (and early stopping monitors) the MAE, not the pinball loss.
            check(objective.isMae() || validation == null, "validation", "works with {loss} mae only, not yet with "
                    + objective.name(), null);
            return new TrainConfig(this);
        }

        private static void check(boolean ok, String setting, String requirement, Object value) {
            if (!ok) {
                throw new ConfigException(setting, requirement, value);
            }
        }
    }
}
