package linreg.train;

/**
 * Early stopping: stop after {@code patience} epochs whose monitored loss (the validation MAE,
 * else the training MAE) did not improve on the best by more than {@code tol}.
 *
 * @param patience epochs without improvement before stopping (null: never stop early)
 * @param tol the improvement an epoch needs (null without patience; 0 when patience comes alone)
 * @throws ConfigException naming the bad setting
 */
public record Stopping(Integer patience, Double tol) {
    public Stopping {
        ConfigException.require(patience == null || patience >= 1, "patience", "must be at least 1 epoch", patience);
        ConfigException.require(tol == null || patience != null, "tol", "applies to early stopping: give {patience} too", null);
        ConfigException.require(tol == null || tol >= 0 && !tol.isInfinite(), "tol", "must be a finite number >= 0", tol);
        tol = patience != null && tol == null ? Double.valueOf(0) : tol;
    }

    /** Whether the run may stop before its last epoch. */
    public boolean stopsEarly() {
        return patience != null;
    }
}
