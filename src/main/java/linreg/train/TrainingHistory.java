package linreg.train;

import java.util.Arrays;

/**
 * The per-epoch bookkeeping every engine shares: losses, times, validation metrics, the
 * divergence check and the early-stopping rule (docs/algorithm.md §6), and the result at the end.
 */
public final class TrainingHistory {
    private final TrainConfig config;
    private final int validationRows;
    private final double validationSquares;
    private final double[] loss;
    private final double[] mae;
    private final double[] seconds;
    private final ValidationMetrics[] validation;
    private final EpochListener listener;
    private int epochs;
    private double best = Double.POSITIVE_INFINITY;
    private int sinceBest;
    private boolean stoppedEarly;

    /**
     * @param validationTargets the held-out targets, or null without validation
     */
    public TrainingHistory(TrainConfig config, float[] validationTargets, EpochListener listener) {
        this(config, validationTargets, null, listener);
    }

    /**
     * @param validationTargets the held-out targets, or null without validation
     * @param validationWeights their weights, or null (unweighted)
     */
    public TrainingHistory(TrainConfig config, float[] validationTargets, float[] validationWeights,
            EpochListener listener) {
        this.config = config;
        this.listener = listener;
        int e = config.epochs();
        this.loss = new double[e];
        this.mae = new double[e];
        this.seconds = new double[e];
        this.validationRows = validationTargets == null ? 0 : validationTargets.length;
        this.validationSquares = validationTargets == null ? 0 : ValidationMetrics.totalSquares(validationTargets,
                validationWeights);
        this.validation = validationTargets == null ? null : new ValidationMetrics[e];
    }

    /**
     * Records epoch {@code e} (they come in order) and tells the listener.
     *
     * @param validationSums the held-out sums (A, B) of {@link ValidationMetrics}, or null
     * @return whether the run should stop here (early stopping)
     * @throws TrainingDivergedException when the epoch's loss is not finite
     */
    public boolean record(int e, double epochLoss, double epochMae, double epochSeconds, float[] validationSums) {
        loss[e] = epochLoss;
        mae[e] = epochMae;
        seconds[e] = epochSeconds;
        epochs = e + 1;
        listener.onEpoch(e, epochLoss, epochMae, epochSeconds);
        if (!Double.isFinite(epochLoss)) {
            int epoch = config.epoch(e);
            throw new TrainingDivergedException(epoch, epochLoss, config.optimiser().rate(epoch));
        }
        double monitored = epochMae;
        if (validation != null) {
            validation[e] = ValidationMetrics.of(validationSums, validationRows, validationSquares);
            listener.onValidation(e, validation[e]);
            monitored = validation[e].mae();
        }
        if (!config.stopping().stopsEarly()) {
            return false;
        }
        if (monitored < best - config.stopping().tol()) {
            best = monitored;
            sinceBest = 0;
            return false;
        }
        sinceBest++;
        stoppedEarly = sinceBest >= config.stopping().patience() && e + 1 < config.epochs();
        return stoppedEarly;
    }

    /** Epochs recorded so far. */
    public int epochs() {
        return epochs;
    }

    /** The result: the epochs trained and the final parameters (w then b). */
    public TrainResult result(String engine, String detail, float[] params, double trainSeconds) {
        return result(engine, detail, params, null, 0, trainSeconds);
    }

    /**
     * The result of an averaging run: the mean {@code params}, and the last step's parameters
     * {@code iterate} and the steps averaged, which a run carried on from it starts from.
     */
    public TrainResult result(String engine, String detail, float[] params, float[] iterate, long averagedSteps,
            double trainSeconds) {
        int d = params.length - 1;
        return new TrainResult(engine, detail, Arrays.copyOf(params, d), params[d], Arrays.copyOf(loss, epochs),
                Arrays.copyOf(mae, epochs), Arrays.copyOf(seconds, epochs), trainSeconds,
                validation == null ? null : Arrays.copyOf(validation, epochs), stoppedEarly,
                iterate == null ? null : iterate.clone(), averagedSteps);
    }
}
