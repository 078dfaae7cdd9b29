package linreg.bench;

import java.util.Locale;

/**
 * One line of a bench: a measured case, an anchor, or a case that did not run and why.
 *
 * @param engine "cpu", "gpu", or an anchor: "copy" (device-to-device copy) or "torch" (the
 *     PyTorch tutorial loop)
 * @param strategy the GPU strategy ("pipeline", ...), "dtod" for copy, "tutorial" for torch;
 *     empty for the CPU engine
 * @param device the CPU model or the GPU's name (empty when none could be asked)
 * @param n samples (0 when the row has none: copy, a whole engine unavailable)
 * @param d features (0 when none)
 * @param batch the swept batch size: a number, "full" (one step per epoch), or empty
 * @param epochs the timed epochs (copy: timed copies), warm-up not counted
 * @param secondsPerEpoch the median timed epoch (copy: the median copy); NaN when not measured
 * @param bytesPerEpoch memory traffic an epoch cannot do without: n·(d+1)·4 bytes read (copy:
 *     2·size, read and write); 0 when unknown
 * @param threads CPU threads (0 for the other engines)
 * @param status "ok", "unavailable: reason", "skipped: reason" or "failed: reason"
 */
public record BenchRow(String engine, String strategy, String device, long n, int d, String batch, int epochs,
        double secondsPerEpoch, double bytesPerEpoch, int threads, String status) {
    public static final String OK = "ok";
    public static final String FULL = "full";

    /** A measured training case. */
    public static BenchRow measured(String engine, String strategy, String device, long n, int d, String batch,
            int epochs, double secondsPerEpoch, int threads) {
        return new BenchRow(engine, strategy, device, n, d, batch, epochs, secondsPerEpoch, minBytes(n, d), threads, OK);
    }

    /** A training case that did not run; {@code status} is "skipped: ...", "unavailable: ..." or "failed: ...". */
    public static BenchRow notRun(String engine, String strategy, String device, long n, int d, String batch,
            int threads, String status) {
        return new BenchRow(engine, strategy, device, n, d, batch, 0, Double.NaN, n > 0 && d > 0 ? minBytes(n, d) : 0,
                threads, status);
    }

    /** "skipped: " + why. */
    public static String skipped(String why) {
        return "skipped: " + why;
    }

    /** "unavailable: " + why. */
    public static String unavailable(String why) {
        return "unavailable: " + why;
    }

    /** One epoch reads every sample's d features and its target once, as float32. */
    public static double minBytes(long n, int d) {
        return 4.0 * n * (d + 1);
    }

    public boolean ok() {
        return OK.equals(status);
    }

    /** "cpu", "gpu/pipeline", "copy/dtod": the line a chart draws and the cost model fits. */
    public String key() {
        return strategy.isEmpty() ? engine : engine + "/" + strategy;
    }

    /** Whether this is a training case of the sweep (not an anchor). */
    public boolean training() {
        return "cpu".equals(engine) || "gpu".equals(engine);
    }

    /** Rows per step as trained: the batch, at most n. */
    public long rowsPerStep() {
        if (batch.isEmpty() || n == 0) {
            return 0;
        }
        return FULL.equals(batch) ? n : Math.min(n, Long.parseLong(batch));
    }

    /** Steps per epoch (the last batch may be smaller). */
    public long steps() {
        long m = rowsPerStep();
        return m == 0 ? 0 : (n + m - 1) / m;
    }

    public double samplesPerSecond() {
        return ok() && n > 0 ? n / secondsPerEpoch : Double.NaN;
    }

    public double stepsPerSecond() {
        return ok() && n > 0 && !batch.isEmpty() ? steps() / secondsPerEpoch : Double.NaN;
    }

    /** The memory traffic an epoch cannot do without, per second, in GB (10^9 bytes). */
    public double gbPerSecond() {
        return ok() && bytesPerEpoch > 0 ? bytesPerEpoch / secondsPerEpoch / 1e9 : Double.NaN;
    }

    /** "n=1e6 d=4 batch=16" for people. */
    public String label() {
        return String.format(Locale.ROOT, "%s n=%s d=%d batch=%s", key(), BenchFormat.count(n), d, batch);
    }
}
