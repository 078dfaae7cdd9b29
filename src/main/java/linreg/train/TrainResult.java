package linreg.train;

import java.util.Arrays;

/**
 * What a training run produced: the learned parameters and the per-epoch history.
 *
 * @param engine the engine that trained ("cpu", "gpu")
 * @param detail how it ran, for people ("2 threads", "pipeline on NVIDIA H100")
 * @param w the learned weights
 * @param b the learned bias
 * @param epochLoss per epoch, the tutorial's loss: the sum of the batch losses
 * @param epochMae per epoch, the mean |residual| over its samples
 * @param epochSeconds per epoch, its wall time
 * @param trainSeconds the whole training loop's wall time
 * @param validation per epoch, the held-out metrics, or null without validation
 * @param stoppedEarly whether early stopping ended the run before its last epoch
 * @param iterate with averaging, the parameters of the last step (w then b), which a run carried
 *     on from this one continues from; else null (they are w and b)
 * @param averagedSteps with averaging, the steps the mean (w, b) averages; else 0
 */
public record TrainResult(String engine, String detail, float[] w, float b, double[] epochLoss,
        double[] epochMae, double[] epochSeconds, double trainSeconds, ValidationMetrics[] validation,
        boolean stoppedEarly, float[] iterate, long averagedSteps) {

    /** A run that does not average (or whose end state is not kept). */
    public TrainResult(String engine, String detail, float[] w, float b, double[] epochLoss, double[] epochMae,
            double[] epochSeconds, double trainSeconds, ValidationMetrics[] validation, boolean stoppedEarly) {
        this(engine, detail, w, b, epochLoss, epochMae, epochSeconds, trainSeconds, validation, stoppedEarly, null, 0);
    }

    /** A run without validation that trained all its epochs. */
    public TrainResult(String engine, String detail, float[] w, float b, double[] epochLoss, double[] epochMae,
            double[] epochSeconds, double trainSeconds) {
        this(engine, detail, w, b, epochLoss, epochMae, epochSeconds, trainSeconds, null, false);
    }

    /** The learned parameters as the engines hold them: w then b (a fresh array). */
    public float[] params() {
        float[] p = Arrays.copyOf(w, w.length + 1);
        p[w.length] = b;
        return p;
    }

    /** Epochs trained. */
    public int epochs() {
        return epochLoss.length;
    }

    /** The last epoch's mean |residual|, or NaN when no epoch ran. */
    public double finalMae() {
        return epochMae.length == 0 ? Double.NaN : epochMae[epochMae.length - 1];
    }
}
