package linreg.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import linreg.cpu.CpuTrainer;
import linreg.cpu.RowGather;
import linreg.data.Dataset;
import linreg.data.SyntheticData;
import linreg.spec.Permutation;
import linreg.spec.Seeds;
import linreg.train.TrainConfig;

/**
 * The CPU engine against two C programs in one sitting, written as a Markdown report: the plain
 * program a user would write (bench/c/linreg_plain.c: Fisher-Yates, straightforward float sums;
 * the reference of the ratios) and the contract yardstick (bench/c/linreg_sgd.c: the same bits
 * as the engine). Every run is a process of its own, the engine's through bin/linreg as a user
 * starts it; the programs take turns in each round, their order rotating, so that all of them
 * see the same machine, and each ratio is taken within a round. Then the start-up of the whole
 * {@code bin/linreg train} on the tutorial's problem. Run by {@code make bench-cpu}.
 */
public final class CpuYardstick {
    private static final int ROUNDS = 3;
    private static final int STARTUP_RUNS = 10;
    /** Goals of issue 11, as ratios to the plain C program. */
    private static final double ONE_THREAD_GOAL = 1.15;
    private static final double ALL_THREADS_GOAL = 0.85;
    private static final double STARTUP_GOAL_SECONDS = 0.2;

    private record Case(int n, int batch, int epochs) {
        String label() {
            return String.format(Locale.ROOT, "n = %s, batch %d", power(n), batch);
        }
    }

    private static final List<Case> CASES = List.of(
            new Case(100_000, 16, 300),
            new Case(1_000_000, 16, 30),
            new Case(10_000_000, 16, 5),
            new Case(10_000_000, 4096, 5),
            new Case(10_000_000, 65_536, 5));
    private static final String[] PROGRAMS = {"plain C", "C yardstick", "engine, 1 thread", "engine, default threads"};

    private CpuYardstick() {}

    public static void main(String[] args) throws Exception {
        Path plain = Path.of(args.length > 0 ? args[0] : "bench/c/linreg_plain");
        Path yardstick = Path.of(args.length > 1 ? args[1] : "bench/c/linreg_sgd");
        Path outDir = Path.of(args.length > 2 ? args[2] : "bench/results");
        Path launcher = Path.of("bin/linreg");
        String loadBefore = loadAverage();
        StringBuilder rows = new StringBuilder();
        StringBuilder verdicts = new StringBuilder();
        for (Case c : CASES) {
            System.err.println("bench-cpu: " + c.label());
            double[][] seconds = new double[PROGRAMS.length][ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                for (int k = 0; k < PROGRAMS.length; k++) {
                    int p = (k + r) % PROGRAMS.length;
                    seconds[p][r] = epoch(command(p, c, plain, yardstick, launcher), p >= 2);
                }
            }
            double[] ratios = new double[PROGRAMS.length];
            for (int p = 0; p < PROGRAMS.length; p++) {
                double[] within = new double[ROUNDS];
                for (int r = 0; r < ROUNDS; r++) {
                    within[r] = seconds[p][r] / seconds[0][r];
                }
                ratios[p] = median(within);
            }
            rows.append(String.format(Locale.ROOT, "| %s | %s | %s (%.2f×) | %s (%.2f×) | %s (%.2f×) |%n", c.label(),
                    ms(median(seconds[0])), ms(median(seconds[1])), ratios[1], ms(median(seconds[2])), ratios[2],
                    ms(median(seconds[3])), ratios[3]));
            verdicts.append(String.format(Locale.ROOT, "- %s: 1 thread %.2f× (goal ≤ %.2f×: %s), default threads %.2f× (goal ≤ %.2f×: %s)%n",
                    c.label(), ratios[2], ONE_THREAD_GOAL, ratios[2] <= ONE_THREAD_GOAL ? "met" : "NOT met", ratios[3],
                    ALL_THREADS_GOAL, ratios[3] <= ALL_THREADS_GOAL ? "met" : "NOT met"));
        }
        System.err.println("bench-cpu: start-up");
        double[] startup = startup(launcher);
        String loadAfter = loadAverage();
        double startupMedian = median(startup);
        String permutation = permutationSpeed() + "\n" + epochParts();

        StringBuilder s = new StringBuilder();
        s.append("# CPU engine vs plain C and the C yardstick, ").append(LocalDate.now()).append("\n\n");
        s.append("Machine: ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores; JDK ").append(System.getProperty("java.vm.version")).append(" (")
                .append(System.getProperty("java.vm.name")).append("); ").append(firstLine("gcc", "--version")).append(".\n");
        s.append("Load average (1, 5, 15 min): ").append(loadBefore).append(" before, ").append(loadAfter).append(" after.\n\n");
        s.append("Command: `make bench-cpu` (builds, then `java -cp target/linreg.jar:target/lib/* linreg.bench.CpuYardstick ")
                .append(plain).append(' ').append(yardstick).append(' ').append(outDir).append("`). Each run is its own process:\n\n");
        Case example = CASES.get(1);
        for (int p = 0; p < PROGRAMS.length; p++) {
            s.append("- ").append(PROGRAMS[p]).append(": `").append(String.join(" ", command(p, example, plain, yardstick, launcher)))
                    .append("`\n");
        }
        s.append("\nwith each case's n, batch and epochs (").append(epochsList()).append("). ")
                .append("`linreg_plain` is the program a user would write (Fisher-Yates shuffle every epoch, straightforward float\n")
                .append("sums, `gcc -O3 -march=native`, d fixed at compile time), not bit-compatible; `linreg_sgd` computes the\n")
                .append("engine's bits (CYardstickTest checks it). d = 4 throughout. A run's value is its median epoch (the engine's\n")
                .append("leaving out the first third, the JIT's warm-up); each cell is the median over ").append(ROUNDS)
                .append(" rounds in which the four programs\n")
                .append("take turns in rotating order, and each ratio (to plain C) the median of the ratios within a round.\n\n");
        s.append("| case (d = 4) | plain C | C yardstick | engine, 1 thread | engine, ")
                .append(Runtime.getRuntime().availableProcessors()).append(" threads (default) |\n");
        s.append("| --- | ---: | ---: | ---: | ---: |\n").append(rows).append('\n');
        s.append("Goals (issue 11), ratios to plain C:\n\n").append(verdicts).append('\n');
        s.append(String.format(Locale.ROOT, "Start-up: the whole `bin/linreg train` (the tutorial's problem, 50 epochs, n = 500), "
                + "median of %d runs after one unmeasured: %.3f s (goal ≤ %.1f s: %s; min %.3f, max %.3f).%n%n",
                STARTUP_RUNS, startupMedian, STARTUP_GOAL_SECONDS, startupMedian <= STARTUP_GOAL_SECONDS ? "met" : "NOT met",
                Arrays.stream(startup).min().orElse(0), Arrays.stream(startup).max().orElse(0)));
        s.append(permutation);
        String report = s.toString();
        System.out.print(report);
        Files.createDirectories(outDir);
        // a second run on the same day writes a file of its own
        Path file = outDir.resolve(BenchReport.freeBase(outDir, LocalDate.now() + "-cpu-yardstick", ".md") + ".md");
        Files.writeString(file, report);
        System.out.println("wrote " + file);
    }

    private static List<String> command(int program, Case c, Path plain, Path yardstick, Path launcher) {
        String n = Integer.toString(c.n());
        String b = Integer.toString(c.batch());
        String e = Integer.toString(c.epochs());
        switch (program) {
            case 0:
                return List.of(plain.toString(), "--samples", n, "--features", "4", "--batch", b, "--epochs", e, "--quiet");
            case 1:
                return List.of(yardstick.toString(), "--samples", n, "--features", "4", "--batch", b, "--epochs", e, "--quiet");
            default:
                List<String> java = new ArrayList<>(List.of(launcher.toString(), "train", "--engine", "cpu", "--samples", n,
                        "--batch-size", b, "--epochs", e, "--json", "--quiet"));
                if (program == 2) {
                    java.addAll(List.of("--threads", "1"));
                }
                return java;
        }
    }

    /** The median epoch of one run (the engine's: leaving out the first third, the JIT's warm-up). */
    private static double epoch(List<String> command, boolean jit) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        // Every program ends with one line of JSON.
        String json = out.strip();
        json = json.substring(json.lastIndexOf('\n') + 1);
        JsonArray epochs = JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("epoch_seconds");
        double[] t = new double[epochs.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = epochs.get(i).getAsDouble();
        }
        return medianEpoch(t, jit);
    }

    /** A run's median epoch; the JIT's (the engine's) leaving out the first third, its warm-up. */
    private static double medianEpoch(double[] seconds, boolean jit) {
        return median(jit ? Arrays.copyOfRange(seconds, seconds.length / 3, seconds.length) : seconds);
    }

    /** Wall seconds of whole {@code bin/linreg train} processes (the tutorial's defaults). */
    private static double[] startup(Path launcher) throws IOException, InterruptedException {
        double[] t = new double[STARTUP_RUNS];
        for (int r = -1; r < STARTUP_RUNS; r++) {
            long start = System.nanoTime();
            Process p = new ProcessBuilder(launcher.toString(), "train").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("bin/linreg train failed");
            }
            if (r >= 0) {
                t[r] = (System.nanoTime() - start) * 1e-9;
            }
        }
        return t;
    }

    /**
     * The permutation alone, one thread's CPU time in this JVM: position by position
     * ({@link Permutation#apply}, the definition) against {@link Permutation#fill} (blocks), each
     * repeated for a second first, so that the JIT has compiled it.
     */
    private static String permutationSpeed() {
        StringBuilder s = new StringBuilder("Permutation alone (one thread's CPU time, best of 5 after a second's warm-up): ");
        long seed = Seeds.stream(0, Seeds.PERMUTATION);
        for (int n : new int[] {100_000, 1_000_000, 10_000_000}) {
            int[] out = new int[n];
            double apply = cpuNanos(e -> {
                Permutation p = Permutation.of(seed, e, n);
                for (int i = 0; i < n; i++) {
                    out[i] = p.apply(i);
                }
            }) / n;
            double fill = cpuNanos(e -> Permutation.of(seed, e, n).fill(out, 0, n)) / n;
            s.append(String.format(Locale.ROOT, "n = %s: %.1f ns a position by apply, %.1f by fill; ", power(n), apply, fill));
        }
        return s.substring(0, s.length() - 2) + ".\n";
    }

    /**
     * Where one thread's shuffled epoch goes at n = 10^5, batch 16 (the case whose data is in
     * cache): the epoch's order, gathering its rows into chunks, and the engine's steps on the
     * rows in place, in this JVM, against the engine's whole shuffled epoch.
     */
    private static String epochParts() {
        int n = 100_000;
        int d = 4;
        SplittableRandom random = new SplittableRandom(11);
        float[] x = new float[n * d];
        float[] y = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            y[i] = (float) random.nextGaussian();
        }
        Dataset data = Dataset.synthetic(x, y, d, SyntheticData.TUTORIAL_W, SyntheticData.TUTORIAL_B);
        long seed = Seeds.stream(0, Seeds.PERMUTATION);
        int chunk = 4096;
        int[] indices = new int[n];
        float[] cx = new float[chunk * d];
        float[] cy = new float[chunk];
        int[] part = new int[chunk];
        RowGather gather = new RowGather(data.featureRows(), data.targets());
        double order = cpuNanos(e -> Permutation.of(seed, e, n).fill(indices, 0, n));
        double rows = cpuNanos(e -> {
            for (int from = 0; from < n; from += chunk) {
                int count = Math.min(chunk, n - from);
                System.arraycopy(indices, from, part, 0, count);
                gather.gather(part, count, cx, cy);
            }
        });
        TrainConfig shuffled = TrainConfig.builder().epochs(300).batchSize(16).threads(1).build();
        double inOrder = engineEpoch(data, shuffled.toBuilder().shuffle(false).build());
        double whole = engineEpoch(data, shuffled);
        return String.format(Locale.ROOT, "One thread's shuffled epoch at n = 10^5, batch 16, d = 4, in this JVM: the epoch's order "
                + "%.3f ms (CPU time), gathering its rows into chunks %.3f ms (CPU time), the engine's epoch on the rows in "
                + "place, unshuffled, %.3f ms; the engine's shuffled epoch %.3f ms (median epochs of 300, the last two thirds).%n",
                order * 1e-6, rows * 1e-6, inOrder * 1e3, whole * 1e3);
    }

    private static double engineEpoch(Dataset data, TrainConfig config) {
        return medianEpoch(new CpuTrainer().train(data, config).epochSeconds(), true);
    }

    /** One thread's CPU nanoseconds for {@code work} of epoch e: best of 5 after a second of repeats. */
    private static double cpuNanos(IntConsumer work) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int e = 0;
        for (long until = mx.getCurrentThreadCpuTime() + 1_000_000_000L; mx.getCurrentThreadCpuTime() < until; e++) {
            work.accept(e);
        }
        double best = Double.MAX_VALUE;
        for (int r = 0; r < 5; r++, e++) {
            long t0 = mx.getCurrentThreadCpuTime();
            work.accept(e);
            best = Math.min(best, mx.getCurrentThreadCpuTime() - t0);
        }
        return best;
    }

    private static String epochsList() {
        StringBuilder s = new StringBuilder("epochs: ");
        for (Case c : CASES) {
            s.append(c.epochs()).append(" at ").append(c.label()).append(", ");
        }
        return s.substring(0, s.length() - 2);
    }

    private static String ms(double seconds) {
        double ms = seconds * 1e3;
        return String.format(Locale.ROOT, ms < 10 ? "%.2f ms" : ms < 100 ? "%.1f ms" : "%.0f ms", ms);
    }

    private static String power(int n) {
        int e = (int) Math.round(Math.log10(n));
        return Math.pow(10, e) == n ? "10^" + e : Integer.toString(n);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + ", " + f[1] + ", " + f[2];
    }

    private static String cpuModel() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).strip();
            }
        }
        return System.getProperty("os.arch");
    }

    private static String firstLine(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.lines().findFirst().orElse("?");
    }
}
