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
        Path binary = Path.of(args.length > 0 ? args[0] : "bench/c/linreg_sgd");
        Path outDir = Path.of(args.length > 1 ? args[1] : "bench/results");
        List<String> rows = new ArrayList<>();
        double[] singleThread = compare(binary, new Case(1_000_000, 4, 16, 12, 1), rows);
        double[] largeBatch = compare(binary, new Case(10_000_000, 4, 4096, 6, 1), rows);
        double twoThreads = javaEpoch(new Case(10_000_000, 4, 4096, 6, 2));
        rows.add(String.format(Locale.ROOT, "| n=10000000 d=4 batch=4096 | Java, 2 threads | %.2f | %.2f× the C program; %.2f× faster than 1 thread |",
                twoThreads * 1e3, twoThreads / largeBatch[0], largeBatch[1] / twoThreads));

        String report = report(binary, rows, singleThread, largeBatch, twoThreads);
        System.out.print(report);
        Files.createDirectories(outDir);
        Path file = outDir.resolve(LocalDate.now() + "-cpu-yardstick.md");
        Files.writeString(file, report);
        System.out.println("wrote " + file);
    }

    /** Alternating rounds of C and Java; returns {C median, Java median} in seconds per epoch. */
    private static double[] compare(Path binary, Case c, List<String> rows) throws Exception {
        double[] cTimes = new double[ROUNDS];
        double[] javaTimes = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            cTimes[r] = cEpoch(binary, c);
            javaTimes[r] = javaEpoch(c);
        }
        double cMedian = median(cTimes);
        double javaMedian = median(javaTimes);
        rows.add(String.format(Locale.ROOT, "| %s | C yardstick (gcc -O3) | %.2f | |", c.label(), cMedian * 1e3));
        rows.add(String.format(Locale.ROOT, "| %s | Java, %d thread | %.2f | %.2f× the C program |",
                c.label(), c.threads(), javaMedian * 1e3, javaMedian / cMedian));
        return new double[] {cMedian, javaMedian};
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

    private static String report(Path binary, List<String> rows, double[] single, double[] large, double two)
            throws IOException, InterruptedException {
        StringBuilder s = new StringBuilder();
        s.append("# CPU engine vs the C yardstick, ").append(LocalDate.now()).append("\n\n");
        s.append("Machine: ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores; JDK ").append(System.getProperty("java.vm.version")).append(" (")
                .append(System.getProperty("java.vm.name")).append("); ").append(firstLine("gcc", "--version")).append(".\n\n");
        s.append("Command: `make bench-cpu` (runs `java -cp ... linreg.bench.CpuYardstick ").append(binary)
                .append("`). Both programs compute the same bits (docs/algorithm.md; CYardstickTest checks it);\n")
                .append("the C program is `bench/c/linreg_sgd.c`, built `gcc -O3 -march=native -ffp-contract=off`.\n")
                .append("Each cell is the median of ").append(ROUNDS).append(" runs in alternating order, each run's value the median epoch\n")
                .append("(Java: leaving out the first third of the epochs, the JIT's warm-up).\n\n");
        s.append("| problem | program | ms per epoch | ratio |\n| --- | --- | ---: | --- |\n");
        for (String row : rows) {
            s.append(row).append('\n');
        }
        s.append('\n').append(String.format(Locale.ROOT,
                "Goal: the Java engine's epoch at n=10^6, d=4, batch 16 within 1.2× the C program's: %.2f× (%s).%n",
                single[1] / single[0], single[1] / single[0] <= 1.2 ? "met" : "NOT met"));
        return s.toString();
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
