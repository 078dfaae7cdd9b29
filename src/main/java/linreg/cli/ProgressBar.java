package linreg.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One self-redrawing status line on stderr for long commands:
 * {@code [=====>      ]  case 12/90  cpu n=1e6 d=4 batch=16  1:02 elapsed, ETA 3:10}.
 * The caller says how far it is (units done of a total, and optionally the share of the work
 * done, which drives the bar and the ETA when units differ in cost) and a caption ({@code bench}:
 * the case; {@code train}: the loss and the rate).
 *
 * <p>Drawn only when stderr is a terminal ({@link StderrTerminal}) and not with {@code --quiet};
 * a disabled bar does nothing. The line fits the terminal's width, read when the bar starts: a
 * narrower terminal gets a shorter bar, then no elapsed time, then a shorter caption or none, so
 * the line never wraps; and while it is drawn the terminal's own wrapping is off, so a window
 * made narrower later cuts the line instead of wrapping it onto a second one. On Ctrl-C (or any
 * other end of the JVM) a shutdown hook clears the line, so that the shell's prompt starts on a
 * clean one. (me.tongfei:progressbar 0.10.1, with its JLine, does not: it draws whatever stderr
 * is, takes the width of stdout's terminal first, prints no lines above the bar, and leaves the
 * bar behind on Ctrl-C.)
 *
 * <pre>{@code
 * try (ProgressBar bar = ProgressBar.on(err, ProgressBar.wanted(quiet), "epoch")) {
 *     ... bar.update(e + 1, epochs, String.format("loss %.6f  %.3g samples/s", loss, rate));
 * }
 * }</pre>
 */
public final class ProgressBar implements AutoCloseable {
    /** To column 0, with the terminal's line wrapping off (DECAWM). */
    static final String DRAW = "\r\033[?7l";
    /** After the line: erase the rest of the old one, wrapping back on. */
    static final String DRAWN = "\033[K\033[?7h";
    /** Erases the line. */
    static final String CLEAR = "\r\033[K";

    private static final int BAR_CELLS = 24;
    private static final int SHORT_BAR_CELLS = 10;
    /** A caption cut shorter than this says too little to keep. */
    private static final int MIN_CAPTION = 12;
    private static final long MIN_REDRAW_NANOS = 100_000_000L;
    private static final long TICK_MILLIS = 500;

    private final PrintWriter err;
    private final boolean enabled;
    private final String unit;
    private final LongSupplier clock;
    private final int width;
    private final long start;
    private final ScheduledExecutorService ticker;
    private final Thread clearAtExit;
    private long done;
    private long total;
    private double fraction;
    private String caption = "";
    private long lastDraw;
    private boolean drawn;
    private boolean closed;

    private ProgressBar(PrintWriter err, boolean enabled, String unit, LongSupplier clock, int width, boolean live) {
        this.err = err;
        this.enabled = enabled;
        this.unit = unit;
        this.clock = clock;
        this.width = width;
        this.start = clock.getAsLong();
        this.lastDraw = start - MIN_REDRAW_NANOS;
        if (enabled && live) {
            // Redraws now and then so that the elapsed time moves during a long unit of work.
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "progress-bar");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
            clearAtExit = new Thread(this::close, "progress-bar-clear");
            Runtime.getRuntime().addShutdownHook(clearAtExit);
        } else {
            ticker = null;
            clearAtExit = null;
        }
    }

    /**
     * A bar on {@code err}, the process's stderr, counting in {@code unit}s ("case", "epoch"); it
     * does nothing unless {@code enabled} and stderr is a terminal.
     */
    public static ProgressBar on(PrintWriter err, boolean enabled, String unit) {
        OptionalInt columns = enabled ? StderrTerminal.columns() : OptionalInt.empty();
        return new ProgressBar(err, columns.isPresent(), unit, System::nanoTime, columns.orElse(0), true);
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
        return !quiet && StderrTerminal.columns().isPresent();
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
        err.print(DRAW + render(now) + DRAWN);
        err.flush();
        drawn = true;
        lastDraw = now;
    }

    private void clear() {
        if (drawn) {
            err.print(CLEAR);
            err.flush();
            drawn = false;
        }
    }

    /**
     * The status line at time {@code now} (clock nanoseconds), at most width − 3 characters: the
     * last columns stay free for the "^C" the terminal echoes, which would otherwise wrap the
     * line and leave the bar above the one the shutdown hook clears.
     */
    public synchronized String render(long now) {
        double elapsed = (now - start) * 1e-9;
        String eta = "ETA " + (fraction > 0 && fraction < 1 ? clock(elapsed * (1 - fraction) / fraction)
                : fraction >= 1 ? "0:00" : "--");
        String times = clock(elapsed) + " elapsed, " + eta;
        int room = width - 3;
        int captionRoom = room - line(SHORT_BAR_CELLS, "", eta).length() - 2;
        // The richest layout that fits; each next one gives up something.
        for (String line : List.of(line(BAR_CELLS, caption, times), line(BAR_CELLS, caption, eta),
                line(SHORT_BAR_CELLS, caption, eta),
                captionRoom >= MIN_CAPTION ? line(SHORT_BAR_CELLS, cut(caption, captionRoom), eta) : "",
                line(SHORT_BAR_CELLS, "", eta), line(0, "", eta))) {
            if (!line.isEmpty() && line.length() <= room) {
                return line;
            }
        }
        return cut(line(0, "", eta), room);
    }

    /** The bar of {@code cells} cells (none for 0), the counter, the caption and the times. */
    private String line(int cells, String caption, String times) {
        StringBuilder s = new StringBuilder();
        if (cells > 0) {
            int filled = (int) Math.round(fraction * cells);
            s.append('[');
            for (int i = 0; i < cells; i++) {
                s.append(i < filled ? '=' : i == filled ? '>' : ' ');
            }
            s.append("]  ");
        }
        s.append(String.format(Locale.ROOT, "%s %d/%d", unit, done, total));
        if (!caption.isEmpty()) {
            s.append("  ").append(caption);
        }
        return s.append("  ").append(times).toString();
    }

    private static String cut(String s, int length) {
        return s.length() <= length ? s : length < 1 ? "" : s.substring(0, length - 1) + "…";
    }

    /** "1:02", "1:02:03". */
    static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** Stops redrawing and clears the line (idempotent; also the shutdown hook's work). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ticker != null) {
            ticker.shutdownNow();
        }
        if (clearAtExit != null && Thread.currentThread() != clearAtExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(clearAtExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it finds the bar closed
            }
        }
        clear();
    }
}
