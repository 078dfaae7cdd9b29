package linreg.train;

/**
 * Epoch {@code k} of a run, started from given parameters, as a configuration of one epoch that
 * every engine trains unchanged. A caller that runs the epochs one at a time, with something in
 * between (the Spark module averages its partitions' parameters), gets from each the bits the
 * whole run would have computed for that epoch from the same parameters.
 *
 * <p>Engines take an epoch's order from {@code (permutationSeed, epoch)}, its step size from
 * {@code rate(epoch)} and its averaging from whether the epoch is averaged (docs/algorithm.md §2,
 * §6), the epoch counted from the run's first ({@link TrainConfig#firstEpoch()}). The
 * configuration here is the run itself, of one epoch, whose first epoch is k and whose start is
 * the given w and b (and, with averaging, the running mean so far and its steps).
 *
 * <p>Momentum's velocities start at zero in each such epoch, as they do at a run's start; the
 * engines keep them only within one call.
 */
public final class ResumedEpoch {
    private ResumedEpoch() {}

    /**
     * The configuration that trains epoch {@code epoch} of {@code run} from {@code w}, {@code b}.
     *
     * @throws IllegalArgumentException for a run with validation (its early stopping and metrics
     *     span the epochs) or averaging (use the form with the running mean), or an epoch outside
     *     the run
     */
    public static TrainConfig of(TrainConfig run, int epoch, float[] w, float b) {
        if (run.optimiser().averages()) {
            // The running mean spans the epochs: the epoch needs the mean so far.
            throw new IllegalArgumentException("an epoch of a run with averaging needs the running mean to start from");
        }
        return of(run, epoch, w, b, null, 0);
    }

    /**
     * The configuration that trains epoch {@code epoch} of {@code run} from {@code w}, {@code b}
     * and, with averaging, from the running {@code mean} of {@code steps} steps (null and 0 while
     * no step has been averaged). Its result's w and b are then the mean after the epoch, and
     * {@link TrainResult#iterate()} the parameters of its last step.
     *
     * @throws IllegalArgumentException for a run with validation, or an epoch outside the run
     */
    public static TrainConfig of(TrainConfig run, int epoch, float[] w, float b, float[] mean, long steps) {
        if (run.holdOut().validates()) {
            throw new IllegalArgumentException("an epoch of a run with validation cannot be trained on its own");
        }
        if (epoch < 0 || epoch >= run.epochs()) {
            throw new IllegalArgumentException("epoch " + epoch + " is not one of the run's " + run.epochs());
        }
        // The run's settings, one epoch of them, from (w, b): the run's epoch k, in k's order at k's rate.
        return run.toBuilder().epochs(1).firstEpoch(run.epoch(epoch)).initW(w).initB(b)
                .startAverage(mean, steps).patience(null).tol(null).build();
    }
}
