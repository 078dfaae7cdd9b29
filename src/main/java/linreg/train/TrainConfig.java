package linreg.train;

import java.util.Arrays;
import linreg.cpu.CpuTrainer;
import linreg.spec.InitialParameters;
import linreg.spec.LearningRateSchedule;
import linreg.spec.Objective;
import linreg.spec.Optimiser;
import linreg.spec.ParameterAverage;
import linreg.spec.Seeds;
import linreg.spec.SgdUpdate;

/**
 * What to train with: the loss, the update, when to stop, what to hold out, where to start, and
 * the run's seed, epochs, batch size, order and threads. Each part checks its own settings; this
 * checks only what relates two parts. Defaults are the tutorial's (lr 0.05, 50 epochs, batch 16,
 * w0 ~ N(0, 0.01), b0 = 0.01, shuffled).
 *
 * @param objective the loss minimised (the MAE unless asked otherwise)
 * @param optimiser the update of each batch and the step size of each epoch
 * @param stopping when to stop early
 * @param holdOut the samples held out to validate on
 * @param start the start (without an intercept its b is 0)
 * @param seed the one seed of the data, the start and every epoch's order
 * @param shuffle whether each epoch takes the seeded permutation (else rows in file order)
 * @param threads threads the CPU engine may use (1 = single-threaded); it runs at most one per
 *     available processor ({@link CpuTrainer#usableThreads})
 * @throws ConfigException naming the first bad setting
 */
public record TrainConfig(Objective objective, Optimiser optimiser, Stopping stopping, HoldOut holdOut, Start start,
        long seed, int epochs, int batchSize, boolean shuffle, int threads) {
    public TrainConfig {
        ConfigException.require(objective != null, "loss", "must be given", null);
        ConfigException.require(epochs >= 0, "epochs", "must be at least 0", epochs);
        ConfigException.require(batchSize >= 1, "batch_size", "must be at least 1", batchSize);
        ConfigException.require(threads >= 1, "threads", "must be at least 1", threads);
        ConfigException.require((long) start.firstEpoch() + epochs <= Integer.MAX_VALUE, "epochs", "with the first epoch "
                + start.firstEpoch() + " must end below 2^31", epochs);
        ConfigException.require(start.mean() == null || optimiser.averages(), "start_average", "needs {average}", null);
        // The hold-out measures (and early stopping monitors) the MAE, not the pinball loss.
        ConfigException.require(objective.isMae() || !holdOut.validates(), "validation",
                "works with {loss} mae only, not yet with " + objective.name(), null);
        start = optimiser.intercept() ? start : start.withoutBias();
    }

    /** A builder holding the tutorial's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration, to change some of it. */
    public Builder toBuilder() {
        return new Builder().objective(objective).optimiser(optimiser).stopping(stopping).holdOut(holdOut).start(start)
                .seed(seed).epochs(epochs).batchSize(batchSize).shuffle(shuffle).threads(threads);
    }

    /**
     * The run's epoch that this configuration's epoch {@code e} (from 0) is: its first epoch + e,
     * whose order, step size and averaging that epoch takes.
     */
    public int epoch(int e) {
        return start.firstEpoch() + e;
    }

    /** The first of this run's epochs whose steps are averaged: the later of its first epoch and the averaging start. */
    public int firstAveragedEpoch() {
        return Math.max(start.firstEpoch(), optimiser.averageStart());
    }

    /** The average for d features, from the start's mean when it has one, or null without averaging. */
    public ParameterAverage average(int d) {
        if (!optimiser.averages()) {
            return null;
        }
        start.requireFeatures(d);
        ParameterAverage average = new ParameterAverage(d, optimiser.averageStart());
        if (start.mean() != null) {
            average.resume(start.mean(), start.meanSteps());
        }
        return average;
    }

    /** A fresh update of this run's optimiser for d features. */
    public SgdUpdate update(int d) {
        return new SgdUpdate(optimiser, d);
    }

    /** The starting parameters for d features: w0 then b0, as every engine starts. */
    public float[] initialParams(int d) {
        start.requireFeatures(d);
        float[] w = start.w();
        float[] params = Arrays.copyOf(w != null ? w : InitialParameters.randomW(seed, d), d + 1);
        params[d] = start.b();
        return params;
    }

    /** The permutation stream seed of this run. */
    public long permutationSeed() {
        return Seeds.stream(seed, Seeds.PERMUTATION);
    }

    /**
     * Builder of {@link TrainConfig}, setting by setting (as the command line's flags give them;
     * null: off); {@link #build()} makes the parts, which check every value.
     */
    public static final class Builder {
        private float lr = Optimiser.TUTORIAL.lr();
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

        /** Every setting of the update. */
        public Builder optimiser(Optimiser o) {
            return lr(o.lr()).schedule(o.schedule()).momentum(o.momentum()).nesterov(o.nesterov()).clipNorm(o.clipNorm())
                    .intercept(o.intercept()).l2(o.l2()).l1(o.l1()).average(o.average());
        }

        /** Every setting of early stopping. */
        public Builder stopping(Stopping s) {
            return patience(s.patience()).tol(s.tol());
        }

        /** The hold-out. */
        public Builder holdOut(HoldOut h) {
            return validation(h.fraction());
        }

        /** Every setting of the start. */
        public Builder start(Start s) {
            return initW(s.w()).initB(s.b()).firstEpoch(s.firstEpoch()).startAverage(s.mean(), s.meanSteps());
        }

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
            return new TrainConfig(objective,
                    new Optimiser(lr, schedule, momentum, nesterov, clipNorm, intercept, l2, l1, averageStart),
                    new Stopping(patience, tol), new HoldOut(validation),
                    new Start(initW, initB, firstEpoch, startMean, startSteps), seed, epochs, batchSize, shuffle, threads);
        }
    }
}
