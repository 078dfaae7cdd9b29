package linreg.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import linreg.data.Dataset;
import linreg.data.SyntheticData;
import linreg.gpu.CopyBandwidth;
import linreg.gpu.DeviceDataset;
import linreg.gpu.DeviceMemoryException;
import linreg.gpu.GpuProbe;
import linreg.gpu.GpuSession;
import linreg.gpu.GpuUnavailableException;
import linreg.gpu.Strategy;
import linreg.gpu.StreamPlan;
import linreg.gpu.Streaming;
import linreg.train.EpochListener;
import linreg.train.Engines;
import linreg.train.SampleLimit;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;

/**
 * Runs a {@link BenchSweep}: the copy anchor, every case, then the PyTorch anchor, one row each.
 * A case that cannot run becomes a row that says why (skipped: too big for the heap or the GPU,
 * over the time budget or past the deadline; unavailable: no usable GPU; failed: an error while
 * running), and the sweep goes on. The listener hears of every row as it is made.
 */
public final class BenchRunner {
    /** True b of the generated data (the tutorial's). */
    private static final float TRUE_B = SyntheticData.TUTORIAL_B;
    /** Heap a host dataset needs beyond X, y and the permutation, as a fraction: the GC's slack. */
    private static final double HEAP_MARGIN = 1.15;
    private static final int COPIES = 10;
    /**
     * Short epochs are timed more often (up to {@link #MAX_TIMED}) so that their median stands on
     * this much time: a 50 µs epoch measured 5 times is mostly noise.
     */
    private static final double TIMED_SECONDS = 0.1;
    private static final int MAX_TIMED = 100;
    /**
     * The CPU engine's JIT needs this much running of a case's code path (small and large batches,
     * one thread or several, take different methods) before it is compiled; one warm-up epoch of a
     * small case is far too little.
     */
    private static final double JIT_WARMUP_SECONDS = 0.2;
    private static final int MAX_JIT_WARMUP_EPOCHS = 2000;
    /** What the PyTorch anchor leaves of the deadline, for the bench to write its reports. */
    private static final double TORCH_DEADLINE_MARGIN = 10;

    /** Told as the sweep goes, for a progress bar. */
    public interface Listener {
        /**
         * @param index 0-based task number
         * @param total tasks in all
         * @param label what runs now
         * @param fractionDone the estimated share of the sweep's time already spent
         */
        void starting(int index, int total, String label, double fractionDone);

        /** A row is made (measured, or saying why not), in the order of the CSV. */
        default void finished(BenchRow row) {}
    }

    /**
     * Anchors to run alongside the sweep.
     *
     * @param run whether to run them at all
     * @param torchDir the folder with seed_torch.py (null: none found)
     * @param torchSamples n for the PyTorch loop
     * @param torchTimeoutSeconds how long the PyTorch loop may take at most (less when the sweep's
     *     deadline leaves less)
     */
    public record AnchorOptions(boolean run, Path torchDir, long torchSamples, long torchTimeoutSeconds) {}

    /**
     * What ran.
     *
     * @param gpuName the GPU used, or null
     * @param gpuReason why no GPU was used, or null
     */
    public record Outcome(BenchResults results, String gpuName, String gpuReason) {}

    /**
     * One thing the sweep does.
     *
     * @param estimate its estimated seconds
     * @param body makes its row
     * @param skipped its row when it is not run, given why
     */
    private record Task(String label, double estimate, Supplier<BenchRow> body, Function<String, BenchRow> skipped) {}

    private final BenchSweep sweep;
    private final String gpuName;
    private final String gpuReason;
    private final CostModel model;
    /** The GPU "strategy" of the streamed case: host rows streamed to the card ({@code --strategies streamed}). */
    public static final String STREAMED = "streamed";

    private final AnchorOptions anchors;
    private final Listener listener;
    private final String cpuName = MachineInfo.cpu();
    private final List<BenchRow> rows = new ArrayList<>();
    private final Set<String> overBudget = new HashSet<>();
    private Dataset host;
    private long startNanos;

    /**
     * @param gpuName the GPU to bench (from {@link #probe}), or null
     * @param gpuReason why there is no GPU to bench, or null
     */
    public BenchRunner(BenchSweep sweep, String gpuName, String gpuReason, CostModel model, AnchorOptions anchors,
            Listener listener) {
        this.sweep = sweep;
        this.gpuName = gpuName;
        this.gpuReason = gpuReason;
        this.model = model;
        this.anchors = anchors;
        this.listener = listener;
    }

    /**
     * The GPU a sweep would use: {name, null}, or {null, why not}; {null, null} when the sweep
     * asks for no GPU.
     */
    public static String[] probe(BenchSweep sweep) {
        if (!sweep.engines().contains("gpu")) {
            return new String[] {null, null};
        }
        String reason = GpuProbe.unusableReason(sweep.device());
        return reason != null ? new String[] {null, reason}
                : new String[] {GpuProbe.driver().devices().get(sweep.device()).name(), null};
    }

    public Outcome run() {
        boolean gpuAsked = sweep.engines().contains("gpu");

        startNanos = System.nanoTime();
        List<Task> tasks = new ArrayList<>();
        if (gpuAsked && anchors.run()) {
            tasks.add(new Task("copy bandwidth", 2, () -> copy(gpuName, gpuReason),
                    why -> copyNotRun(gpuName != null ? gpuName : "", BenchRow.skipped(why))));
            if (sweep.strategies().contains(STREAMED)) {
                tasks.add(new Task("host-to-device bandwidth", 2, () -> hostToDevice(gpuName, gpuReason),
                        why -> linkNotRun(gpuName != null ? gpuName : "", BenchRow.skipped(why))));
            }
        }
        if (gpuAsked && gpuReason != null) {
            for (String s : sweep.strategies()) {
                add(BenchRow.notRun("gpu", s, "", 0, 0, "", 0, BenchRow.unavailable(gpuReason)));
            }
        }
        for (int d : sweep.features()) {
            for (long n : sweep.sizes()) {
                if (sweep.engines().contains("cpu")) {
                    for (String batch : sweep.batches()) {
                        tasks.add(task("cpu", "", cpuName, n, d, batch, sweep.threads(), () -> cpuCase(n, d, batch)));
                    }
                }
                if (gpuName != null) {
                    for (String s : sweep.strategies()) {
                        for (String batch : sweep.batches()) {
                            tasks.add(task("gpu", s, gpuName, n, d, batch, 0, () -> gpuCase(gpuName, s, n, d, batch)));
                        }
                    }
                }
            }
        }
        if (gpuAsked && anchors.run()) {
            tasks.add(new Task("PyTorch tutorial loop", gpuName == null ? 1 : 60, () -> TorchAnchor.run(anchors.torchDir(),
                    gpuName, gpuReason, anchors.torchSamples(), torchTimeout(anchors.torchTimeoutSeconds(), secondsLeft())),
                    why -> TorchAnchor.notRun(gpuName, anchors.torchSamples(), BenchRow.skipped(why))));
        }

        double total = tasks.stream().mapToDouble(Task::estimate).sum();
        double done = 0;
        for (int i = 0; i < tasks.size(); i++) {
            Task t = tasks.get(i);
            listener.starting(i, tasks.size(), t.label(), total > 0 ? done / total : 0);
            String late = pastDeadline(t.estimate());
            add(late != null ? t.skipped().apply(late) : t.body().get());
            done += t.estimate();
        }
        host = null;
        return new Outcome(new BenchResults(rows), gpuName, gpuReason);
    }

    private void add(BenchRow row) {
        rows.add(row);
        listener.finished(row);
    }

    /** Seconds left before the sweep's deadline (infinite without one). */
    private double secondsLeft() {
        return sweep.deadlineSeconds() - (System.nanoTime() - startNanos) * 1e-9;
    }

    /** Why something estimated to take this long cannot start, or null when it fits before the deadline. */
    private String pastDeadline(double estimateSeconds) {
        double left = secondsLeft();
        return estimateSeconds <= left ? null : String.format(Locale.ROOT,
                "estimated %.1f s, %.1f s left of the %.0f s deadline (--deadline)", estimateSeconds, Math.max(0, left),
                sweep.deadlineSeconds());
    }

    /** The PyTorch anchor's time limit: {@code cap}, or what the deadline leaves of it less a margin. */
    static long torchTimeout(long cap, double secondsLeft) {
        return (long) Math.max(1, Math.min(cap, Math.floor(secondsLeft - TORCH_DEADLINE_MARGIN)));
    }

    /** A case's task; its weight for the progress bar is the model's estimate, within the budget. */
    private Task task(String engine, String strategy, String device, long n, int d, String batch, int threads,
            Supplier<BenchRow> body) {
        String key = strategy.isEmpty() ? engine : engine + "/" + strategy;
        double epoch = model.predict(key, n, d, BenchSweep.rowsPerStep(batch, n));
        double estimate = Double.isNaN(epoch) ? 1 : Math.min(sweep.caseBudgetSeconds(), epoch * (sweep.warmup() + sweep.epochs()));
        return new Task(String.format(Locale.ROOT, "%s n=%s d=%d batch=%s", key, BenchFormat.count(n), d, batch),
                estimate, body, why -> BenchRow.notRun(engine, strategy, device, n, d, batch, threads, BenchRow.skipped(why)));
    }

    private TrainConfig config(String batch, long n, int timed) {
        return TrainConfig.builder().epochs(sweep.warmup() + timed).batchSize((int) BenchSweep.rowsPerStep(batch, n))
                .seed(sweep.seed()).threads(sweep.threads()).build();
    }

    private BenchRow cpuCase(long n, int d, String batch) {
        int threads = sweep.threads();
        String tooBig = hostTooBig(n, d);
        if (tooBig != null) {
            return BenchRow.notRun("cpu", "", cpuName, n, d, batch, threads, BenchRow.skipped(tooBig));
        }
        Timing timing = timing("cpu", n, d, batch);
        if (timing.skip() != null) {
            return BenchRow.notRun("cpu", "", cpuName, n, d, batch, threads, timing.skip());
        }
        try {
            if (host == null || host.samples() != n || host.features() != d) {
                host = null;
                String heap = heapShortfall(n, d);
                if (heap != null) {
                    return BenchRow.notRun("cpu", "", cpuName, n, d, batch, threads, BenchRow.skipped(heap));
                }
                host = SyntheticData.generate((int) n, SyntheticData.trueW(d), TRUE_B, sweep.seed());
            }
            if (timing.jitWarmup() > 0) {
                Engines.cpu().train(host, TrainConfig.builder().epochs(timing.jitWarmup())
                        .batchSize((int) BenchSweep.rowsPerStep(batch, n)).seed(sweep.seed()).threads(threads).build());
            }
            TrainResult r = Engines.cpu().train(host, config(batch, n, timing.timed()), EpochListener.NONE);
            return measured("cpu", "", cpuName, n, d, batch, r, threads);
        } catch (OutOfMemoryError e) {
            host = null;
            return BenchRow.notRun("cpu", "", cpuName, n, d, batch, threads, BenchRow.skipped(
                    "ran out of Java heap (" + BenchFormat.bytes(Runtime.getRuntime().maxMemory())
                            + "); give it more with LINREG_JAVA_OPTS=-Xmx<size>"));
        } catch (RuntimeException e) {
            return BenchRow.notRun("cpu", "", cpuName, n, d, batch, threads, "failed: " + e.getMessage());
        }
    }

    /** Why the heap cannot hold X, y and the permutation of n×d, or null when it can. */
    private static String heapShortfall(long n, int d) {
        Runtime rt = Runtime.getRuntime();
        double needed = 4.0 * n * (d + 2) * HEAP_MARGIN;
        double available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (needed > available) {
            System.gc();
            available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        }
        if (needed <= available) {
            return null;
        }
        return String.format(Locale.ROOT, "needs %s of Java heap, %s available (give it more with LINREG_JAVA_OPTS=-Xmx<size>)",
                BenchFormat.bytes(needed), BenchFormat.bytes(available));
    }

    /**
     * Why n samples of d features cannot be held on the host (dropping the data of the case
     * before), or null: more than a run takes, or more than the heap holds.
     */
    private String hostTooBig(long n, int d) {
        if (n > Integer.MAX_VALUE) {
            host = null;
            return String.format(Locale.ROOT, "n = %s samples are more than a run takes (at most 2^31 - 1)",
                    BenchFormat.approxCount(n));
        }
        long bytes = 4L * n * (d + 1);
        long held = host != null && host.samples() == n && host.features() == d ? bytes : 0;
        if (bytes - held > Runtime.getRuntime().maxMemory()) {
            host = null;
            return String.format(Locale.ROOT, "n×d = %s floats need %.1f GiB of Java arrays, more than the heap (%.1f GiB"
                    + " at most) holds", BenchFormat.approxCount((double) n * d), bytes / (double) (1L << 30),
                    Runtime.getRuntime().maxMemory() / (double) (1L << 30));
        }
        return null;
    }

    private BenchRow gpuCase(String gpuName, String strategy, long n, int d, String batch) {
        String key = "gpu/" + strategy;
        Timing timing = timing(key, n, d, batch);
        if (timing.skip() != null) {
            return BenchRow.notRun("gpu", strategy, gpuName, n, d, batch, 0, timing.skip());
        }
        TrainConfig config = config(batch, n, timing.timed());
        // A session per case: each training run's buffers live until its session closes.
        try (GpuSession session = GpuSession.open(sweep.device())) {
            if (strategy.equals(STREAMED)) {
                // Rows on the host, streamed to the card every epoch (the host's copy of the data is kept between cases).
                String tooBig = hostTooBig(n, d);
                if (tooBig != null) {
                    return BenchRow.notRun("gpu", strategy, gpuName, n, d, batch, 0, BenchRow.skipped(tooBig));
                }
                if (host == null || host.samples() != n || host.features() != d) {
                    host = null;
                    host = SyntheticData.generate(SampleLimit.check(n), SyntheticData.trueW(d), TRUE_B, sweep.seed());
                }
                session.streams(n, d, false, config, Strategy.pipeline, Streaming.on);
                return measured("gpu", strategy, gpuName, n, d, batch, session.trainStreamed(host, config, EpochListener.NONE), 0);
            }
            Strategy chosen = Strategy.valueOf(strategy);
            session.strategies().require(chosen);  // before drawing the data
            session.checkMemory(n, d, config, true, chosen);
            DeviceDataset data = session.generate(n, SyntheticData.trueW(d), TRUE_B, sweep.seed());
            TrainResult r = session.train(data, config, EpochListener.NONE, chosen);
            return measured("gpu", strategy, gpuName, n, d, batch, r, 0);
        } catch (DeviceMemoryException e) {
            return BenchRow.notRun("gpu", strategy, gpuName, n, d, batch, 0, BenchRow.skipped(e.getMessage()));
        } catch (GpuUnavailableException e) {
            return BenchRow.notRun("gpu", strategy, gpuName, n, d, batch, 0, BenchRow.unavailable(e.getMessage()));
        } catch (RuntimeException e) {
            return BenchRow.notRun("gpu", strategy, gpuName, n, d, batch, 0, "failed: " + e.getMessage());
        }
    }

    private BenchRow copy(String gpuName, String gpuReason) {
        if (gpuName == null) {
            return copyNotRun("", BenchRow.unavailable("no usable GPU (" + gpuReason + ")"));
        }
        try {
            CopyBandwidth.Result r = CopyBandwidth.measure(sweep.device(), CopyBandwidth.DEFAULT_BYTES, COPIES);
            return new BenchRow("copy", "dtod", r.device(), 0, 0, "", r.copies(), r.secondsPerCopy(), 2.0 * r.bytes(), 0,
                    BenchRow.OK);
        } catch (DeviceMemoryException e) {
            return copyNotRun(gpuName, BenchRow.skipped(e.getMessage()));
        } catch (RuntimeException e) {
            return copyNotRun(gpuName, "failed: " + e.getMessage());
        }
    }

    /** The host-to-device link's bandwidth, the ceiling of the streamed case. Not yet run on a GPU. */
    private BenchRow hostToDevice(String gpuName, String gpuReason) {
        if (gpuName == null) {
            return linkNotRun("", BenchRow.unavailable("no usable GPU (" + gpuReason + ")"));
        }
        try {
            CopyBandwidth.Result r = CopyBandwidth.measureHostToDevice(sweep.device(), StreamPlan.CHUNK_BYTES, COPIES);
            return new BenchRow("copy", "htod", r.device(), 0, 0, "", r.copies(), r.secondsPerCopy(), r.bytes(), 0,
                    BenchRow.OK);
        } catch (DeviceMemoryException e) {
            return linkNotRun(gpuName, BenchRow.skipped(e.getMessage()));
        } catch (RuntimeException e) {
            return linkNotRun(gpuName, "failed: " + e.getMessage());
        }
    }

    private static BenchRow linkNotRun(String device, String status) {
        return new BenchRow("copy", "htod", device, 0, 0, "", 0, Double.NaN, 0, 0, status);
    }

    private static BenchRow copyNotRun(String device, String status) {
        return new BenchRow("copy", "dtod", device, 0, 0, "", 0, Double.NaN, 0, 0, status);
    }

    /**
     * How many epochs to time, or why the case is skipped for time.
     *
     * @param timed timed epochs (warm-up not counted)
     * @param jitWarmup epochs of a separate untimed CPU run first, for the JIT (0: none)
     * @param skip "skipped: ..." or null
     */
    private record Timing(int timed, int jitWarmup, String skip) {
        static Timing skipped(String why) {
            return new Timing(0, 0, BenchRow.skipped(why));
        }
    }

    /**
     * The epoch's estimated time is the larger of the cost model's and the same line's last
     * measurement scaled by n (the model may be a placeholder; a measurement is not).
     */
    private Timing timing(String key, long n, int d, String batch) {
        String line = key + " d=" + d + " batch=" + batch;
        if (overBudget.contains(line)) {
            return Timing.skipped(String.format(Locale.ROOT,
                    "a smaller n was already over the %.0f s case budget (--case-budget)", sweep.caseBudgetSeconds()));
        }
        double epoch = model.predict(key, n, d, BenchSweep.rowsPerStep(batch, n));
        for (int i = rows.size() - 1; i >= 0; i--) {
            BenchRow r = rows.get(i);
            if (r.ok() && r.key().equals(key) && r.d() == d && r.batch().equals(batch) && r.n() < n) {
                double scaled = r.secondsPerEpoch() * n / r.n();
                epoch = Double.isNaN(epoch) ? scaled : Math.max(epoch, scaled);
                break;
            }
        }
        if (Double.isNaN(epoch)) {
            return new Timing(sweep.epochs(), 0, null);
        }
        int timed = sweep.epochs();
        if (sweep.adaptive() && epoch > 0 && epoch * timed < TIMED_SECONDS) {
            timed = (int) Math.min(MAX_TIMED, Math.max(timed, Math.ceil(TIMED_SECONDS / epoch)));
        }
        int floor = Math.min(BenchSweep.MIN_TIMED, sweep.epochs());
        while (timed > floor && epoch * (sweep.warmup() + timed) > sweep.caseBudgetSeconds()) {
            timed--;
        }
        double estimate = epoch * (sweep.warmup() + timed);
        if (estimate > sweep.caseBudgetSeconds()) {
            overBudget.add(line);
            return Timing.skipped(String.format(Locale.ROOT,
                    "estimated %.0f s (%d epochs of %s) is over the %.0f s case budget (--case-budget)", estimate,
                    sweep.warmup() + timed, BenchFormat.seconds(epoch), sweep.caseBudgetSeconds()));
        }
        // The task was let start on the model's estimate; this one has seen the line's measurements.
        String late = pastDeadline(estimate);
        if (late != null) {
            return Timing.skipped(late);
        }
        int jit = 0;
        if (sweep.adaptive() && key.equals("cpu") && epoch * sweep.warmup() < JIT_WARMUP_SECONDS) {
            jit = (int) Math.min(MAX_JIT_WARMUP_EPOCHS, Math.ceil(JIT_WARMUP_SECONDS / Math.max(epoch, 1e-7)));
            jit = (int) Math.min(jit, Math.max(0, (sweep.caseBudgetSeconds() - estimate) / Math.max(epoch, 1e-9)));
        }
        return new Timing(timed, jit, null);
    }

    private BenchRow measured(String engine, String strategy, String device, long n, int d, String batch, TrainResult r,
            int threads) {
        double[] timed = Arrays.copyOfRange(r.epochSeconds(), Math.min(sweep.warmup(), r.epochs()), r.epochs());
        return BenchRow.measured(engine, strategy, device, n, d, batch, timed.length, median(timed), threads);
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
