package linreg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import linreg.bench.BenchCsv;
import linreg.bench.BenchFormat;
import linreg.bench.BenchReport;
import linreg.bench.BenchResults;
import linreg.bench.BenchRow;
import linreg.bench.BenchRunner;
import linreg.bench.BenchSweep;
import linreg.bench.CostModel;
import linreg.bench.Crossovers;
import linreg.bench.MachineInfo;
import linreg.bench.TorchAnchor;
import linreg.data.AtomicFiles;
import linreg.data.DataException;
import linreg.gpu.GpuUnavailableException;
import linreg.gpu.Strategy;
import linreg.train.SampleLimit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code linreg bench}: the sweep that says which engine wins where. Writes a CSV, a Markdown
 * report and PNG charts into {@code --out}, prints the crossovers, and caches the cost model's
 * constants fit from the rows.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Times the engines over n × batch × d and reports seconds per epoch, speedups and crossovers.",
            "Full sweep: n = 1e3..1e8, batch 16, 256, 4096, 65536, full; d = 4, 64, 1024; every GPU strategy. "
                    + "Each case: --warmup epochs, then --epochs timed epochs; a cell is the median timed epoch. "
                    + "Cases that do not fit the Java heap or the GPU, or whose estimated time is over --case-budget, "
                    + "are skipped and listed with the reason. Writes <date>-<machine>-bench.csv (row by row, as each "
                    + "case finishes) and, at the end, .md and PNG charts."})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "A small sweep (n = 1e3..1e6, batch 16, 4096, full; d = 4, 64; 3 timed epochs) "
            + "that takes under a minute on two CPU cores.")
    boolean quick;

    @Option(names = "--engines", paramLabel = "LIST", split = ",", description = "Engines to time: cpu, gpu (default: both).")
    List<String> engines;

    @Option(names = "--strategies", paramLabel = "LIST", split = ",",
            description = "GPU strategies (default: all: ${COMPLETION-CANDIDATES}); streamed adds the case of host rows "
                    + "streamed to the card every epoch, against the host-to-device bandwidth measured in the same run.",
            completionCandidates = StrategyNames.class)
    List<String> strategies;

    @Option(names = "--sizes", paramLabel = "LIST", split = ",", description = "The n to try, e.g. 1e3,1e4,250000.")
    List<String> sizes;

    @Option(names = "--batches", paramLabel = "LIST", split = ",", description = "Batch sizes, numbers or full.")
    List<String> batches;

    @Option(names = "--features", paramLabel = "LIST", split = ",", description = "The d to try.")
    List<String> features;

    @Option(names = "--warmup", paramLabel = "W", description = "Untimed epochs before the timed ones (default: ${DEFAULT-VALUE}; "
            + "the CPU engine also runs a short case for 0.2 s first, for the JIT).")
    int warmup = 1;

    @Option(names = {"-e", "--epochs"}, paramLabel = "E",
            description = "Timed epochs per case (default: 5, with --quick 3, more for epochs under 20 ms: as many as "
                    + "fill 0.1 s, up to 100; down to 3 when the budget asks). "
                    + "Given --epochs or --warmup, exactly those (no extra CPU warm-up for the JIT).")
    Integer epochs;

    @Option(names = "--case-budget", paramLabel = "SECONDS",
            description = "Skip a case whose estimated time is over this (default: 60, with --quick 10).")
    Double caseBudget;

    @Option(names = "--deadline", paramLabel = "SECONDS",
            description = "Finish within this many seconds: a case or anchor whose estimated time is over what is left "
                    + "is skipped (listed with the reason), and the PyTorch anchor, which runs last, may take what is left "
                    + "less 10 s (at most 600 s). Default: no deadline.")
    Double deadline;

    @Option(names = "--threads", paramLabel = "T", description = "CPU engine threads (default: all ${DEFAULT-VALUE} cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--device", paramLabel = "N", description = "GPU to use, as CUDA numbers them (default: ${DEFAULT-VALUE}).")
    int device = 0;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the data, the start and the shuffles (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for the CSV, Markdown and charts (default: bench/results; "
            + "with --charts-from: beside the CSV).")
    Path out;

    @Option(names = "--anchors", paramLabel = "DIR",
            description = "Folder with seed_torch.py, the PyTorch anchor (default: anchors/, then ../shared/anchors/).")
    Path anchors;

    @Option(names = "--no-anchors", description = "Leave out the copy-bandwidth and PyTorch anchors.")
    boolean noAnchors;

    @Option(names = "--torch-samples", paramLabel = "N",
            description = "n of the PyTorch anchor (default: 1e6, with --quick 1e5; batch 16, 3 epochs).")
    String torchSamples;

    @Option(names = "--charts-from", paramLabel = "CSV",
            description = "Only redraw the charts and the Markdown of an existing bench CSV (needs java.desktop).")
    Path chartsFrom;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where the fitted cost model is cached (default: $XDG_CACHE_HOME/linreg or ~/.cache/linreg).")
    Path cacheDir;

    @Option(names = "--no-cache", description = "Do not write the fitted cost model.")
    boolean noCache;

    @Option(names = "--json", description = "No per-case lines; at the end one JSON object on stdout: the files "
            + "written, the rows measured and skipped, the crossovers, the cost model's cache.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar, no per-case lines.")
    boolean quiet;

    private String loadBefore = "unknown";

    /** Picocli's completion candidates for --strategies: every {@link Strategy}. */
    static final class StrategyNames extends ArrayList<String> {
        StrategyNames() {
            super(Arrays.stream(Strategy.values()).map(Strategy::name).toList());
        }
    }

    @Override
    public Integer call() throws DataException {
        CommandLine cl = spec.commandLine();
        PrintWriter stdout = cl.getOut();
        if (chartsFrom != null) {
            return redraw(cl, stdout);
        }
        BenchSweep sweep = sweep(cl);
        long torchN = torchSamples == null ? (quick ? 100_000 : 1_000_000) : count(cl, "--torch-samples", torchSamples);
        Path folder = out != null ? out : Path.of("bench", "results");
        writable(cl, "--out", folder);

        String[] gpu = BenchRunner.probe(sweep);
        if (gpu[1] != null && !sweep.engines().contains("cpu")) {
            throw new GpuUnavailableException(gpu[1]);  // nothing could be measured
        }
        Path cache = cacheDir != null ? cacheDir : CostModel.cacheDir();
        CostModel model = CostModel.load(gpu[0], cache);
        BenchRunner.AnchorOptions anchorOptions = new BenchRunner.AnchorOptions(!noAnchors, TorchAnchor.find(anchors),
                torchN, 600);
        if (anchors != null && anchorOptions.torchDir() == null) {
            throw new ParameterException(cl, "--anchors " + anchors + ": no " + TorchAnchor.SCRIPT + " there");
        }

        String base = BenchReport.freeBase(folder, LocalDate.now() + "-" + MachineInfo.fileSlug(gpu[0]) + (quick ? "-quick" : ""));
        loadBefore = MachineInfo.loadAverage();
        long start = System.nanoTime();
        BenchRunner.Outcome outcome;
        try (BenchCsv.RowWriter csv = BenchCsv.rowWriter(BenchReport.csv(folder, base));
                ProgressBar bar = ProgressBar.on(cl.getErr(), ProgressBar.wanted(quiet), "case")) {
            outcome = new BenchRunner(sweep, gpu[0], gpu[1], model, anchorOptions, new BenchRunner.Listener() {
                @Override
                public void starting(int index, int total, String label, double fractionDone) {
                    bar.update(index + 1, total, fractionDone, label);
                }

                @Override
                public void finished(BenchRow row) {
                    try {
                        csv.append(row);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    if (!quiet && !json) {
                        bar.above(() -> {
                            stdout.println(describe(row));
                            stdout.flush();
                        });
                    }
                }
            }).run();
        } catch (IOException | UncheckedIOException e) {
            cl.getErr().println("linreg bench: cannot write the CSV into " + folder + ": "
                    + AtomicFiles.reason(e instanceof UncheckedIOException u ? u.getCause() : (IOException) e));
            return ExitCode.FAILED;
        }
        double wall = (System.nanoTime() - start) * 1e-9;

        String title = "linreg bench" + (quick ? " --quick" : "") + ", " + LocalDate.now() + ", "
                + (outcome.gpuName() != null ? outcome.gpuName() + " and " : "") + MachineInfo.cpu();
        String notes = runNotes(cl, sweep, outcome, model, wall);
        BenchReport.Written written;
        try {
            written = BenchReport.complete(folder, base, title, notes, outcome.results());
        } catch (IOException e) {
            cl.getErr().println("linreg bench: cannot write the reports into " + folder + ": " + AtomicFiles.reason(e));
            return ExitCode.FAILED;
        }

        if (written.chartNotice() != null) {
            cl.getErr().println("linreg bench: " + written.chartNotice());
        }
        String cached = noCache ? null : cacheModel(cl, model, outcome, cache);
        if (json) {
            stdout.println(Json.object(jsonSummary(outcome, written, cached, wall)));
        } else {
            printCrossovers(stdout, outcome);
            for (Path p : written.files()) {
                stdout.println("wrote " + p);
            }
            if (cached != null) {
                stdout.println(cached);
            }
            stdout.printf(Locale.ROOT, "bench took %.1f s%n", wall);
        }
        stdout.flush();
        return ExitCode.OK;
    }

    /** --json: the files, what was measured, the crossovers and the cache, as fields. */
    private static Map<String, Object> jsonSummary(BenchRunner.Outcome outcome, BenchReport.Written written, String cached,
            double wall) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("csv", written.csv() != null ? written.csv().toString() : null);
        s.put("markdown", written.markdown().toString());
        s.put("charts", written.charts().stream().map(Path::toString).toList());
        s.put("chart_notice", written.chartNotice());
        s.put("gpu", outcome.gpuName());
        s.put("gpu_unusable_reason", outcome.gpuReason());
        List<BenchRow> rows = outcome.results().rows();
        s.put("rows_measured", rows.stream().filter(BenchRow::ok).count());
        s.put("rows_skipped", rows.stream().filter(r -> !r.ok()).count());
        List<Map<String, Object>> crossovers = new ArrayList<>();
        for (Crossovers.Crossover c : Crossovers.of(outcome.results())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("gpu", c.gpuKey());
            m.put("d", c.d());
            m.put("batch", c.batch());
            m.put("n", c.n());
            m.put("text", c.text());
            crossovers.add(m);
        }
        s.put("crossovers", crossovers);
        s.put("cost_model", cached);
        s.put("seconds", wall);
        return s;
    }

    private int redraw(CommandLine cl, PrintWriter stdout) throws DataException {
        if (!Files.isRegularFile(chartsFrom)) {
            throw new ParameterException(cl, "--charts-from " + chartsFrom + ": no such file");
        }
        if (out != null) {
            writable(cl, "--out", out);
        } else {
            writable(cl, "--charts-from", chartsFrom.toAbsolutePath().getParent());
        }
        BenchReport.Written written;
        try {
            written = BenchReport.redraw(chartsFrom, out);
        } catch (IOException e) {
            cl.getErr().println("linreg bench: cannot write the reports: " + AtomicFiles.reason(e));
            return ExitCode.FAILED;
        }
        if (written.chartNotice() != null) {
            cl.getErr().println("linreg bench: " + written.chartNotice());
        }
        for (Path p : written.files()) {
            stdout.println("wrote " + p);
        }
        stdout.flush();
        return ExitCode.OK;
    }

    /** The sweep the options ask for, every value checked. */
    private BenchSweep sweep(CommandLine cl) {
        List<String> engineList = engines != null ? engines : List.of("cpu", "gpu");
        for (String e : engineList) {
            if (!e.equals("cpu") && !e.equals("gpu")) {
                throw new ParameterException(cl, "--engines: unknown engine \"" + e + "\"; expected cpu or gpu");
            }
        }
        List<String> known = Arrays.stream(Strategy.values()).map(Strategy::name).toList();
        List<String> strategyList = strategies != null ? strategies : known;
        for (String s : strategyList) {
            if (!known.contains(s) && !s.equals(BenchRunner.STREAMED)) {
                throw new ParameterException(cl, "--strategies: unknown GPU strategy \"" + s + "\"; expected one of " + known
                        + " or " + BenchRunner.STREAMED);
            }
        }
        List<Long> n = sizes != null ? parse(cl, "--sizes", sizes, v -> size(cl, v))
                : quick ? BenchSweep.QUICK_SIZES : BenchSweep.FULL_SIZES;
        List<String> b = batches != null ? parse(cl, "--batches", batches, v -> batch(cl, v))
                : quick ? BenchSweep.QUICK_BATCHES : BenchSweep.FULL_BATCHES;
        List<Integer> d = features != null ? parse(cl, "--features", features, v -> (int) Math.min(Integer.MAX_VALUE,
                count(cl, "--features", v))) : quick ? BenchSweep.QUICK_FEATURES : BenchSweep.FULL_FEATURES;
        int timed = epochs != null ? epochs : quick ? 3 : 5;
        double budget = caseBudget != null ? caseBudget : quick ? 10 : 60;
        if (timed < 1) {
            throw new ParameterException(cl, "--epochs must be at least 1, got " + timed);
        }
        if (warmup < 0) {
            throw new ParameterException(cl, "--warmup must be at least 0, got " + warmup);
        }
        if (!(budget > 0) || Double.isInfinite(budget)) {
            throw new ParameterException(cl, "--case-budget must be a number of seconds > 0, got " + budget);
        }
        if (deadline != null && (!(deadline > 0) || Double.isInfinite(deadline))) {
            throw new ParameterException(cl, "--deadline must be a number of seconds > 0, got " + deadline);
        }
        if (threads < 1) {
            throw new ParameterException(cl, "--threads must be at least 1, got " + threads);
        }
        if (device < 0) {
            throw new ParameterException(cl, "--device must be at least 0, got " + device);
        }
        boolean adaptive = epochs == null && !cl.getParseResult().hasMatchedOption("--warmup");
        return new BenchSweep(engineList, strategyList, n, b, d, warmup, timed, budget, threads, device, seed, adaptive,
                deadline != null ? deadline : Double.POSITIVE_INFINITY);
    }

    private static <T> List<T> parse(CommandLine cl, String option, List<String> values, Function<String, T> parser) {
        if (values.isEmpty()) {
            throw new ParameterException(cl, option + " is empty");
        }
        return values.stream().map(String::strip).map(parser).toList();
    }

    /** A count ≥ 1 written as 1000000, 1e6 or 1_000_000. */
    static long count(CommandLine cl, String option, String text) {
        String t = text.strip().replace("_", "");
        try {
            double v = t.matches("[0-9]+") ? Long.parseLong(t) : Double.parseDouble(t);
            if (v >= 1 && v <= 1e15 && v == Math.rint(v)) {
                return (long) v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ParameterException(cl, option + ": \"" + text + "\" is not a whole number >= 1");
    }

    /** An n of --sizes: at most the samples one run takes ({@link SampleLimit}). */
    private static long size(CommandLine cl, String text) {
        long n = count(cl, "--sizes", text);
        if (n > SampleLimit.MAX_SAMPLES) {
            throw new ParameterException(cl, "--sizes: " + text + " is more than the 2^31 - 1 samples one run can hold");
        }
        return n;
    }

    private static String batch(CommandLine cl, String text) {
        if (text.equalsIgnoreCase(BenchRow.FULL)) {
            return BenchRow.FULL;
        }
        long b = count(cl, "--batches", text);
        if (b > Integer.MAX_VALUE) {
            throw new ParameterException(cl, "--batches: " + text + " is more than a batch can hold (2^31 - 1)");
        }
        return Long.toString(b);
    }

    private static void writable(CommandLine cl, String option, Path folder) {
        try {
            AtomicFiles.checkWritable(folder);
        } catch (IOException e) {
            throw new ParameterException(cl, option + " " + folder + ": cannot write there (" + AtomicFiles.reason(e) + ")");
        } catch (SecurityException e) {
            throw new ParameterException(cl, option + " " + folder + ": cannot write there (" + e.getMessage() + ")");
        }
    }

    /** One row for the terminal as it finishes. */
    private static String describe(BenchRow r) {
        String what = r.training() && r.n() > 0 ? r.label() : r.key();
        if (!r.ok()) {
            return what + ": " + r.status();
        }
        if ("copy".equals(r.engine())) {
            return String.format(Locale.ROOT, "%s: %.1f GB/s (%s per copy of %s)", what, r.gbPerSecond(),
                    BenchFormat.seconds(r.secondsPerEpoch()), BenchFormat.bytes(BenchResults.copiedBytes(r)));
        }
        return String.format(Locale.ROOT, "%s: %s per epoch, %s samples/s", what, BenchFormat.seconds(r.secondsPerEpoch()),
                BenchFormat.rate(r.samplesPerSecond()));
    }

    private static void printCrossovers(PrintWriter stdout, BenchRunner.Outcome outcome) {
        List<Crossovers.Crossover> all = Crossovers.of(outcome.results());
        if (all.isEmpty()) {
            stdout.println("crossovers: none, no GPU strategy ran"
                    + (outcome.gpuReason() != null ? " (" + outcome.gpuReason() + ")" : ""));
            return;
        }
        stdout.println("crossovers (smallest n at which the GPU beats the CPU, interpolated log-log):");
        for (Crossovers.Crossover c : all) {
            stdout.printf(Locale.ROOT, "  %s d=%d batch=%s: %s%n", c.gpuKey(), c.d(), c.batch(), c.text());
        }
    }

    private String runNotes(CommandLine cl, BenchSweep sweep, BenchRunner.Outcome outcome, CostModel model, double wall) {
        // The whole command line as typed (the parse result's arguments start at "bench").
        List<String> args = cl.getParseResult().originalArgs();
        int at = args.indexOf("bench");
        args = at >= 0 ? args.subList(at + 1, args.size()) : args;
        Runtime rt = Runtime.getRuntime();
        return String.join("\n",
                "- Command: `linreg bench" + (args.isEmpty() ? "" : " " + String.join(" ", args)) + "`",
                "- Date: " + LocalDate.now() + "; wall time of the sweep: " + String.format(Locale.ROOT, "%.1f s", wall)
                        + "; load average before it: " + loadBefore,
                "- CPU: " + MachineInfo.cpu() + "; Java " + System.getProperty("java.vm.version") + ", max heap "
                        + BenchFormat.bytes(rt.maxMemory()) + "; CPU engine threads: " + sweep.threads(),
                "- GPU: " + (outcome.gpuName() != null ? outcome.gpuName() + " (device " + sweep.device() + ")"
                        : sweep.engines().contains("gpu") ? "none usable: " + outcome.gpuReason() : "not asked for"),
                "- Sweep: engines " + sweep.engines() + (sweep.engines().contains("gpu") ? ", strategies " + sweep.strategies() : "")
                        + "; n " + sweep.sizes().stream().map(BenchFormat::count).toList() + "; batch " + sweep.batches()
                        + "; d " + sweep.features(),
                String.format(Locale.ROOT, "- Per case: %d warm-up epoch(s)%s, then %d timed epochs (%sfewer, down to %d, "
                        + "when the budget asks; the CSV's epochs column has the count); case budget %.0f s, against an "
                        + "estimate from the cost model (%s) and the same line's last measurement scaled by n%s",
                        sweep.warmup(), sweep.adaptive() ? " (CPU: first a run of at least 0.2 s, for the JIT)" : "",
                        sweep.epochs(), sweep.adaptive() ? "more when epochs are short: as many as fill 0.1 s, up to 100; " : "",
                        Math.min(BenchSweep.MIN_TIMED, sweep.epochs()), sweep.caseBudgetSeconds(), model.origin(),
                        Double.isInfinite(sweep.deadlineSeconds()) ? ""
                                : String.format(Locale.ROOT, "; the whole sweep within %.0f s (--deadline)", sweep.deadlineSeconds())));
    }

    /** Fits and caches the cost model; returns what became of it, in words, or null when caching failed. */
    private String cacheModel(CommandLine cl, CostModel model, BenchRunner.Outcome outcome, Path cache) {
        String where = (outcome.gpuName() != null ? outcome.gpuName() + " / " : "") + MachineInfo.cpu() + ", "
                + threads + " CPU threads, " + LocalDate.now();
        CostModel fitted = model.fit(outcome.results(), where);
        try {
            Path file = fitted.save(cache, outcome.gpuName(), "linreg bench" + (quick ? " --quick" : "") + ", " + LocalDate.now(),
                    quick);
            return file != null ? "cost model cached in " + file
                    : "cost model: kept the cache from a full bench (a --quick bench does not replace it)";
        } catch (IOException | RuntimeException e) {
            if (!quiet) {
                cl.getErr().println("linreg bench: cost model not cached: " + e.getMessage());
            }
            return null;
        }
    }
}
