package linreg.train;

import java.util.Arrays;

/**
 * Where a run starts: its parameters, its first epoch and, for a run carried on from another,
 * the running mean its averaging goes on from.
 *
 * @param w the start's w, or null: drawn by {@link linreg.spec.InitialParameters#randomW}
 * @param b the start's b
 * @param firstEpoch the run's first epoch E0 (0 unless it continues another): it trains epochs
 *     E0 .. E0 + epochs − 1, each with that epoch's order, step size and averaging, so that a
 *     continued run computes the bits the longer run would have
 * @param mean the running mean (w then b) the averaging starts from, or null: a fresh average
 * @param meanSteps the steps {@code mean} averages (0 with a fresh average)
 * @throws ConfigException naming the bad setting
 */
public record Start(float[] w, float b, int firstEpoch, float[] mean, long meanSteps) {
    public Start {
        if (w != null) {
            ConfigException.require(w.length > 0, "init_w", "must hold at least one value", "none");
            for (float v : w) {
                ConfigException.require(Float.isFinite(v), "init_w", "must hold finite numbers", v);
            }
        }
        ConfigException.require(Float.isFinite(b), "init_b", "must be a finite number", b);
        ConfigException.require(firstEpoch >= 0, "first_epoch", "must be at least 0", firstEpoch);
        ConfigException.require(mean == null ? meanSteps == 0 : meanSteps >= 1, "start_average",
                "needs a mean and its steps (at least 1) together", meanSteps);
        if (mean != null) {
            for (float v : mean) {
                ConfigException.require(Float.isFinite(v), "start_average", "must hold finite numbers", v);
            }
        }
        w = w == null ? null : w.clone();
        mean = mean == null ? null : mean.clone();
    }

    @Override
    public float[] w() {
        return w == null ? null : w.clone();
    }

    @Override
    public float[] mean() {
        return mean == null ? null : mean.clone();
    }

    /** This start with b = 0: a fit without intercept keeps b at 0 from the start. */
    Start withoutBias() {
        return new Start(w, 0f, firstEpoch, mean, meanSteps);
    }

    /** @throws ConfigException when the explicit w, or the mean, is not of d features */
    public void requireFeatures(int d) {
        if (w != null && w.length != d) {
            throw new ConfigException("init_w", "has " + w.length + " values but the data has " + d + " features", null);
        }
        if (mean != null && mean.length != d + 1) {
            throw new ConfigException("start_average", "has " + mean.length + " values but the data has " + d
                    + " features and the bias", null);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Start s && Arrays.equals(w, s.w) && Float.compare(b, s.b) == 0
                && firstEpoch == s.firstEpoch && Arrays.equals(mean, s.mean) && meanSteps == s.meanSteps;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * (31 * Arrays.hashCode(w) + Float.hashCode(b)) + firstEpoch) + Arrays.hashCode(mean))
                + Long.hashCode(meanSteps);
    }

    @Override
    public String toString() {
        return "Start[w=" + Arrays.toString(w) + ", b=" + b + ", firstEpoch=" + firstEpoch + ", mean="
                + Arrays.toString(mean) + ", meanSteps=" + meanSteps + "]";
    }
}
