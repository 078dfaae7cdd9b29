package linreg.train;

import java.util.Arrays;
import linreg.spec.Objective;
import linreg.spec.ParameterAverage;
import linreg.spec.Seeds;

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
    private final double validation;
    private final int patience;
    private final double tol;
    private final Objective objective;
    private final int averageStart;

    private TrainConfig(Builder b) {
        this.lr = b.lr;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.shuffle = b.shuffle;
        this.initW = b.initW == null ? null : b.initW.clone();
        this.initB = b.initB;
        this.threads = b.threads;
        this.schedule = b.schedule;
        this.momentum = b.momentum;
        this.nesterov = b.nesterov;
        this.clipNorm = b.clipNorm;
        this.validation = b.validation;
        this.patience = b.patience;
        this.tol = b.tol;
        this.objective = b.objective;
        this.averageStart = b.averageStart;
    }

    /** A builder holding the tutorial's defaults. */
    public static Builder builder() {
        return new Builder();
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

    /** Epoch {@code epoch}'s step size. */
    public float rate(int epoch) {
        return schedule.rate(lr, epoch);
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

    /** A fresh average for d features, or null without averaging. */
    public ParameterAverage average(int d) {
        return averages() ? new ParameterAverage(d, averageStart) : null;
    }

    /** A fresh update rule with this run's momentum and clipping, for d features. */
    public SgdUpdate update(int d) {
        return new SgdUpdate(d, momentum, nesterov, clipNorm);
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
        if (initW != null && initW.length != d) {
            throw new IllegalArgumentException(
                    "the start w has " + initW.length + " values but the data has " + d + " features");
        }
        float[] params = Arrays.copyOf(initW != null ? initW : InitialParameters.randomW(seed, d), d + 1);
        params[d] = initB;
        return params;
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
        private float clipNorm;
        private double validation;
        private int patience;
        private double tol;
        private Objective objective = Objective.MAE;
        private int averageStart = -1;

        /** Average the parameters of every step from epoch {@code start} on (-1: off, the default). */
        public Builder average(int start) {
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

        public Builder clipNorm(float clipNorm) {
            this.clipNorm = clipNorm;
            return this;
        }

        /** Hold out this fraction of the samples to validate on (0: none). */
        public Builder validation(double validation) {
            this.validation = validation;
            return this;
        }

        public Builder patience(int patience) {
            this.patience = patience;
            return this;
        }

        public Builder tol(double tol) {
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

        /** @throws IllegalArgumentException naming the first bad value */
        public TrainConfig build() {
            if (!(lr > 0f) || Float.isInfinite(lr)) {
                throw new IllegalArgumentException("lr must be a finite number > 0, got " + lr);
            }
            if (epochs < 0) {
                throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
            if (initW != null) {
                if (initW.length == 0) {
                    throw new IllegalArgumentException("the start w is empty");
                }
                for (float v : initW) {
                    if (!Float.isFinite(v)) {
                        throw new IllegalArgumentException("the start w holds " + v + ", expected finite numbers");
                    }
                }
            }
            if (!Float.isFinite(initB)) {
                throw new IllegalArgumentException("the start b must be finite, got " + initB);
            }
            if (!(momentum >= 0f && momentum < 1f)) {
                throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
            }
            if (nesterov && momentum == 0f) {
                throw new IllegalArgumentException("Nesterov momentum needs a momentum > 0");
            }
            if (!(clipNorm >= 0f) || Float.isInfinite(clipNorm)) {
                throw new IllegalArgumentException("the clipping norm must be a finite number > 0, got " + clipNorm);
            }
            if (!(validation >= 0 && validation < 1)) {
                throw new IllegalArgumentException("the validation fraction must be in (0, 1), got " + validation);
            }
            if (patience < 0) {
                throw new IllegalArgumentException("patience must be at least 1 epoch, got " + patience);
            }
            if (!(tol >= 0) || Double.isInfinite(tol)) {
                throw new IllegalArgumentException("the tolerance must be a finite number >= 0, got " + tol);
            }
            if (averageStart < -1) {
                throw new IllegalArgumentException("averaging starts at an epoch >= 0, got " + averageStart);
            }
            if (objective == null) {
                throw new IllegalArgumentException("the loss must be given");
            }
            if (!objective.isMae() && validation > 0) {
                // The hold-out measures (and early stopping monitors) the MAE, not the pinball loss.
                throw new IllegalArgumentException("a hold-out (--validation) works with --loss mae only, not yet with "
                        + objective.name());
            }
            return new TrainConfig(this);
        }
    }
}
