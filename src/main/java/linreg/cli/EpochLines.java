package linreg.cli;

import java.io.PrintWriter;
import java.util.Locale;
import linreg.train.EpochListener;
import linreg.train.ValidationMetrics;

/**
 * One line per epoch in the tutorial's format, {@code epoch %03d: loss: %.6f}, with the held-out
 * metrics appended when the run validates.
 */
final class EpochLines implements EpochListener {
    private final PrintWriter out;
    private final boolean validating;
    /** A continued run's first epoch: the lines go on counting from the run it continues. */
    private final int firstEpoch;
    private double loss;

    EpochLines(PrintWriter out, boolean validating) {
        this(out, validating, 0);
    }

    EpochLines(PrintWriter out, boolean validating, int firstEpoch) {
        this.out = out;
        this.validating = validating;
        this.firstEpoch = firstEpoch;
    }

    @Override
    public void onEpoch(int epoch, double loss, double mae, double seconds) {
        if (validating) {
            this.loss = loss;
        } else {
            out.printf(Locale.ROOT, "epoch %03d: loss: %.6f%n", firstEpoch + epoch, loss);
        }
    }

    @Override
    public void onValidation(int epoch, ValidationMetrics m) {
        out.printf(Locale.ROOT, "epoch %03d: loss: %.6f  validation: MAE %.6f, RMSE %.6f, R² %s%n", firstEpoch + epoch, loss,
                m.mae(), m.rmse(), MetricText.r2(m.r2()));
    }
}
