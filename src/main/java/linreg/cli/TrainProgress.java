package linreg.cli;

import java.io.PrintWriter;
import java.util.Locale;
import linreg.train.EpochListener;
import linreg.train.ValidationMetrics;

/**
 * What {@code linreg train} shows while it runs: the per-epoch lines (unless {@code --quiet} or
 * {@code --json}) and, for runs that look like lasting more than about two seconds, a progress
 * bar on stderr (epoch, loss, rate, ETA) when stderr is a terminal; whether it is one is asked
 * only then, so short runs never ask. The lines are printed above the bar, so the two never
 * garble each other.
 */
final class TrainProgress implements EpochListener, AutoCloseable {
    /** Runs predicted to end sooner get no bar: it would only flicker. */
    static final double MIN_SECONDS_FOR_BAR = 2.0;

    private final PrintWriter err;
    private final EpochListener lines;
    private final boolean barAllowed;
    private final int epochs;
    private final long samples;
    private final long start = System.nanoTime();
    private ProgressBar bar;
    private boolean closed;

    /**
     * @param lines the epoch lines, or {@link EpochListener#NONE}
     * @param barAllowed whether a bar may be drawn where stderr is a terminal (not --quiet)
     * @param samples the rows an epoch trains on (for the rate)
     */
    TrainProgress(PrintWriter err, EpochListener lines, boolean barAllowed, int epochs, long samples) {
        this.err = err;
        this.lines = lines;
        this.barAllowed = barAllowed;
        this.epochs = epochs;
        this.samples = samples;
    }

    @Override
    public void onEpoch(int epoch, double loss, double mae, double seconds) {
        double elapsed = (System.nanoTime() - start) * 1e-9;
        if (bar == null && !closed && barAllowed && elapsed * epochs / (epoch + 1) > MIN_SECONDS_FOR_BAR && epoch + 1 < epochs) {
            bar = ProgressBar.on(err, true, "epoch");
        }
        if (bar != null) {
            bar.update(epoch + 1, epochs, String.format(Locale.ROOT, "loss %.6f  %.3g samples/s", loss,
                    seconds > 0 ? samples / seconds : 0.0));
        }
        print(() -> lines.onEpoch(epoch, loss, mae, seconds));
    }

    @Override
    public void onValidation(int epoch, ValidationMetrics metrics) {
        print(() -> lines.onValidation(epoch, metrics));
    }

    private void print(Runnable print) {
        if (bar == null) {
            print.run();
        } else {
            bar.above(print);
        }
    }

    /** Clears the bar; it does not come back (idempotent). */
    @Override
    public void close() {
        closed = true;
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
