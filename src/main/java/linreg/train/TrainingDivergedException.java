package linreg.train;

/** Thrown when an epoch's loss becomes NaN or infinite: the step size is too large. */
public final class TrainingDivergedException extends RuntimeException {
    private final int epoch;
    private final double loss;

    public TrainingDivergedException(int epoch, double loss, float lr) {
        super(String.format(java.util.Locale.ROOT,
                "training diverged at epoch %03d: the loss is %s; try a smaller --lr (it was %s)",
                epoch, Double.isNaN(loss) ? "NaN" : "infinite", lr));
        this.epoch = epoch;
        this.loss = loss;
    }

    /** The 0-based epoch whose loss was not finite. */
    public int epoch() {
        return epoch;
    }

    /** That epoch's loss. */
    public double loss() {
        return loss;
    }
}
