package linreg.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One self-redrawing status line on stderr for long commands:
 * {@code [=====>      ]  case 12/90  cpu n=1e6 d=4 batch=16  1:02 elapsed, ETA 3:10}.
 * The caller says how far it is (units done of a total, and optionally the share of the work
 * done, which drives the bar and the ETA when units differ in cost) and a caption ({@code bench}:
 * the case; {@code train}: the loss and the rate). Only drawn on a terminal, and not with
 * {@code --quiet}: {@link #wanted(boolean)}; a disabled bar does nothing.
 *
 * <pre>{@code
 * try (ProgressBar bar = ProgressBar.on(err, ProgressBar.wanted(quiet), "epoch")) {
 *     ... bar.update(e + 1, epochs, String.format("loss %.6f  %.3g samples/s", loss, rate));
 * }
 * }</pre>
 */
public final class ProgressBar implements AutoCloseable {
    private static final int BAR_CELLS = 24;
    private static final long MIN_REDRAW_NANOS = 100_000_000L;
    private static final long TICK_MILLIS = 500;

    private final PrintWriter err;
    private final boolean enabled;
    private final String unit;
    private final LongSupplier clock;
    private final int width;
    private final long start;
    private final ScheduledExecutorService ticker;
    private long done;
    private long total;
    private double fraction;
    private String caption = "";
    private long lastDraw;
    private int lastLength;
    private boolean closed;

    ProgressBar(PrintWriter err, boolean enabled, String unit, LongSupplier clock, int width, boolean tick) {
        this.err = err;
        this.enabled = enabled;
        this.unit = unit;
        this.clock = clock;
        this.width = width;
        this.start = clock.getAsLong();
        this.lastDraw = start - MIN_REDRAW_NANOS;
        if (enabled && tick) {
            // Redraws now and then so that the elapsed time moves during a long unit of work.
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "progress-bar");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            ticker = null;
        }
    }

    /**
     * A bar on {@code err} counting in {@code unit}s ("case", "epoch"); does nothing unless
     * {@code enabled}.
     */
    public static ProgressBar on(PrintWriter err, boolean enabled, String unit) {
        return new ProgressBar(err, enabled, unit, System::nanoTime, terminalWidth(), true);
    }

    /**
     * An enabled bar that redraws only when updated, on the given clock (nanoseconds) and width:
     * for tests, and for callers that keep their own time.
     */
    public static ProgressBar manual(PrintWriter err, String unit, LongSupplier clock, int width) {
        return new ProgressBar(err, true, unit, clock, width, false);
    }

    /** Whether to draw a bar: stderr is a terminal and the user did not ask for quiet. */
    public static boolean wanted(boolean quiet) {
        return !quiet && System.console() != null;
    }

    public boolean enabled() {
        return enabled;
    }

    /** {@code done} of {@code total} units, the work done taken as done/total. */
    public void update(long done, long total, String caption) {
        update(done, total, total > 0 ? done / (double) total : 0, caption);
    }

    /**
     * {@code done} of {@code total} units, {@code fraction} (0..1) of the work done: the bar's
     * length and the ETA, when units differ in cost.
     */
    public synchronized void update(long done, long total, double fraction, String caption) {
        this.done = done;
        this.total = total;
        this.fraction = Math.max(0, Math.min(1, fraction));
        this.caption = caption == null ? "" : caption;
        long now = clock.getAsLong();
        if (enabled && !closed && (now - lastDraw >= MIN_REDRAW_NANOS || done >= total)) {
            draw(now);
        }
    }

    /** Prints a whole line (a notice, a result) on the bar's stream above the bar, which is drawn again below it. */
    public void println(String line) {
        above(() -> {
            err.println(line);
            err.flush();
        });
    }

    /**
     * Runs {@code print} (which writes whole lines to stdout or stderr) with the bar cleared, then
     * draws the bar again below what it printed.
     */
    public synchronized void above(Runnable print) {
        if (!enabled || closed) {
            print.run();
            return;
        }
        clear();
        print.run();
        draw(clock.getAsLong());
    }

    private synchronized void tick() {
        if (!closed) {
            draw(clock.getAsLong());
        }
    }

    private void draw(long now) {
        String line = render(now);
        StringBuilder s = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < lastLength; i++) {
            s.append(' ');
        }
        err.print(s);
        err.flush();
        lastLength = line.length();
        lastDraw = now;
    }

    private void clear() {
        if (lastLength > 0) {
            err.print("\r" + " ".repeat(lastLength) + "\r");
            err.flush();
            lastLength = 0;
        }
    }

    /** The status line at time {@code now} (clock nanoseconds), at most width − 1 characters. */
    public synchronized String render(long now) {
        double elapsed = (now - start) * 1e-9;
        int filled = (int) Math.round(fraction * BAR_CELLS);
        StringBuilder bar = new StringBuilder("[");
        for (int i = 0; i < BAR_CELLS; i++) {
            bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        bar.append(']');
        String counter = String.format(Locale.ROOT, "%s %d/%d", unit, done, total);
        String eta = fraction > 0 && fraction < 1 ? clock(elapsed * (1 - fraction) / fraction) : fraction >= 1 ? "0:00" : "--";
        String times = clock(elapsed) + " elapsed, ETA " + eta;
        int room = width - 1 - bar.length() - counter.length() - times.length() - 6;
        String shown = caption.length() <= Math.max(0, room) ? caption
                : room > 1 ? caption.substring(0, room - 1) + "…" : "";
        return bar + "  " + counter + "  " + shown + (shown.isEmpty() ? "" : "  ") + times;
    }

    /** "1:02", "1:02:03". */
    static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static int terminalWidth() {
        try {
            int columns = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100"));
            return columns >= 40 ? columns : 100;
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    /** Stops redrawing and clears the line. */
    @Override
    public synchronized void close() {
        closed = true;
        if (ticker != null) {
            ticker.shutdownNow();
        }
        if (enabled) {
            clear();
        }
    }
}
