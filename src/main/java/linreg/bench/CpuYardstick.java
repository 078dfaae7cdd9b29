package linreg.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import linreg.data.Dataset;
import linreg.data.SyntheticData;
import linreg.train.Engines;
import linreg.train.TrainConfig;
import linreg.train.TrainResult;

/**
 * The CPU engine against the C yardstick (bench/c/linreg_sgd, built by {@code make -C bench/c}):
 * median seconds per epoch of each, taken in alternating rounds so that both see the same
 * machine, written as a Markdown report. Run by {@code make bench-cpu}.
 */
public final class CpuYardstick {
    private static final int ROUNDS = 3;

    private record Case(int n, int d, int batch, int epochs, int threads) {
        String label() {
            return String.format(Locale.ROOT, "n=%d d=%d batch=%d", n, d, batch);
        }
    }

    private CpuYardstick() {}

    public static void main(String[] args) throws Exception {
        Path plain = Path.of(args.length > 0 ? args[0] : "bench/c/linreg_sgd");
        Path touch = Path.of(plain + "_touch");
        Path outDir = Path.of(args.length > 1 ? args[1] : "bench/results");
        List<String> rows = new ArrayList<>();
        Case small = new Case(1_000_000, 4, 16, 12, 1);
        double[][] s = rounds(small, plain, touch);
        row(rows, small, "C yardstick, plain (gcc -O3)", s[0], s[0]);
        row(rows, small, "C yardstick + the engine's touch-ahead (not plain)", s[1], s[0]);
        row(rows, small, "Java engine, 1 thread", s[2], s[0]);
        double two = javaEpoch(new Case(small.n(), small.d(), small.batch(), small.epochs(), 2));
        row(rows, small, "Java engine, 2 threads (permutation split)", new double[] {two}, s[0]);
        Case large = new Case(10_000_000, 4, 4096, 6, 1);
        double[][] l = rounds(large, plain, null);
        row(rows, large, "C yardstick, plain (gcc -O3)", l[0], l[0]);
        row(rows, large, "Java engine, 1 thread", l[2], l[0]);
        double largeTwo = javaEpoch(new Case(large.n(), large.d(), large.batch(), large.epochs(), 2));
        row(rows, large, "Java engine, 2 threads (lanes split)", new double[] {largeTwo}, l[0]);

        double ratio = median(s[2]) / median(s[0]);
        String notes = String.format(Locale.ROOT,
                "Goal (issue 2): at n=10^6, d=4, batch 16 the engine's epoch within 1.2× the plain C program's: "
                        + "%.2f× single-threaded (%s), %.2f× with both cores. Against C with the same touch-ahead: %.2f×.%n"
                        + "Both cores at n=10^7, batch 4096: %.2f× faster than one.%n",
                ratio, ratio <= 1.2 ? "met" : "NOT met", two / median(s[0]), median(s[2]) / median(s[1]),
                median(l[2]) / largeTwo);
        String report = report(plain, rows, notes);
        System.out.print(report);
        Files.createDirectories(outDir);
        Path file = outDir.resolve(LocalDate.now() + "-cpu-yardstick.md");
        Files.writeString(file, report);
        System.out.println("wrote " + file);
    }

    /** {@link #ROUNDS} alternating rounds: {plain C, touch C (NaN without), Java 1 thread} seconds per epoch. */
    private static double[][] rounds(Case c, Path plain, Path touch) throws Exception {
        double[][] t = new double[3][ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            t[0][r] = cEpoch(plain, c);
            t[1][r] = touch == null ? Double.NaN : cEpoch(touch, c);
            t[2][r] = javaEpoch(c);
        }
        return t;
    }

    private static void row(List<String> rows, Case c, String program, double[] seconds, double[] yardstick) {
        double m = median(seconds);
        rows.add(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f× |", c.label(), program, m * 1e3, m / median(yardstick)));
    }

    /** Median epoch of one C run (its own data: only the time is compared). */
    private static double cEpoch(Path binary, Case c) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(binary.toString(), "--samples", "" + c.n(), "--features", "" + c.d(),
                "--batch", "" + c.batch(), "--epochs", "" + c.epochs(), "--quiet").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("C yardstick failed: " + out);
        }
        JsonArray epochs = JsonParser.parseString(out.strip()).getAsJsonObject().getAsJsonArray("epoch_seconds");
        double[] t = new double[epochs.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = epochs.get(i).getAsDouble();
        }
        return median(t);
    }

    /** Median epoch of one Java run, leaving out the first third (JIT warm-up). */
    private static double javaEpoch(Case c) {
        Dataset data = SyntheticData.generate(c.n(), SyntheticData.trueW(c.d()), 1.1f, 1);
        TrainResult r = Engines.cpu().train(data, TrainConfig.builder().epochs(c.epochs()).batchSize(c.batch())
                .threads(c.threads()).build());
        double[] t = r.epochSeconds();
        return median(Arrays.copyOfRange(t, t.length / 3, t.length));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String report(Path binary, List<String> rows, String notes) throws IOException, InterruptedException {
        StringBuilder s = new StringBuilder();
        s.append("# CPU engine vs the C yardstick, ").append(LocalDate.now()).append("\n\n");
        s.append("Machine: ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores; JDK ").append(System.getProperty("java.vm.version")).append(" (")
                .append(System.getProperty("java.vm.name")).append("); ").append(firstLine("gcc", "--version")).append(".\n\n");
        s.append("Command: `make bench-cpu` (runs `java -cp ... linreg.bench.CpuYardstick ").append(binary)
                .append("`). All programs compute the same bits (docs/algorithm.md; CYardstickTest checks it).\n")
                .append("The yardstick is `bench/c/linreg_sgd.c` built `gcc -O3 -march=native -ffp-contract=off`; the\n")
                .append("`_touch` build adds the engine's load of the next batch's rows (Java has no prefetch).\n")
                .append("Each cell is the median of ").append(ROUNDS).append(" runs in alternating order (one run for the 2-thread rows),\n")
                .append("each run's value its median epoch (Java: leaving out the first third of the epochs, the JIT's warm-up).\n")
                .append("The ratio is against the plain C program on the same problem.\n\n");
        s.append("| problem | program | ms per epoch | ratio |\n| --- | --- | ---: | ---: |\n");
        for (String row : rows) {
            s.append(row).append('\n');
        }
        return s.append('\n').append(notes).toString();
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
