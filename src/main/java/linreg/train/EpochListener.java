package linreg.train;

/** Told of each finished epoch, in order, while a trainer runs. */
@FunctionalInterface
public interface EpochListener {
    /** No-op listener. */
    EpochListener NONE = (epoch, loss, mae, seconds) -> { };

    /**
     * @param epoch 0-based epoch index
     * @param loss the tutorial's epoch loss: the sum of the batch losses
     * @param mae the mean |residual| over the epoch's samples
     * @param seconds wall time of the epoch
     */
    void onEpoch(int epoch, double loss, double mae, double seconds);

    /** Told after {@link #onEpoch} of the held-out metrics, when the run validates. */
    default void onValidation(int epoch, ValidationMetrics metrics) {
    }
}
