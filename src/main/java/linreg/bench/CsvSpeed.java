package linreg.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import linreg.data.CsvLoader;
import linreg.data.DataException;
import linreg.data.Dataset;

/**
 * How many rows a second {@link CsvLoader} reads: a generated file of 4 float32 features and a
 * target per row, loaded several times, the median reported. Two spellings of the numbers:
 * Java's shortest float32 text ({@code Float.toString}, up to 9 digits, what a float32 program
 * writes back) and fixed six decimals ({@code %.6f}, what a spreadsheet exports).
 *
 * <pre>java -cp target/linreg.jar:target/lib/* linreg.bench.CsvSpeed [rows] [runs]</pre>
 *
 * Run it under {@code taskset -c 0} to hold it to one core (the loader is single-threaded;
 * the pinning keeps the garbage collector on that core too).
 */
public final class CsvSpeed {
    private CsvSpeed() {}

    public static void main(String[] args) throws IOException, DataException {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 3_000_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("linreg-csv-speed");
        try {
            System.out.printf(Locale.ROOT, "CsvLoader, %d rows × 5 columns, median of %d loads after one warm-up; Java %s, %d CPUs visible%n",
                    rows, runs, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
            measure(dir.resolve("shortest.csv"), rows, runs, "Float.toString", CsvSpeed::shortest);
            measure(dir.resolve("fixed.csv"), rows, runs, "%.6f", CsvSpeed::fixed);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private interface Spelling {
        void append(StringBuilder line, float value);
    }

    private static void shortest(StringBuilder line, float value) {
        line.append(value);
    }

    private static void fixed(StringBuilder line, float value) {
        line.append(String.format(Locale.ROOT, "%.6f", value));
    }

    private static void measure(Path file, int rows, int runs, String label, Spelling spelling)
            throws IOException, DataException {
        write(file, rows, spelling);
        double megabytes = Files.size(file) / 1e6;
        CsvLoader loader = new CsvLoader();
        check(loader.load(file, null), rows);
        double[] rate = new double[runs];
        for (int r = 0; r < runs; r++) {
            long start = System.nanoTime();
            Dataset data = loader.load(file, null);
            double seconds = (System.nanoTime() - start) * 1e-9;
            check(data, rows);
            rate[r] = rows / seconds;
        }
        Arrays.sort(rate);
        double median = rate[runs / 2];
        System.out.printf(Locale.ROOT, "%-15s %7.1f MB: median %.3g rows/s (%.0f MB/s), min %.3g, max %.3g%n",
                label, megabytes, median, median * megabytes / rows, rate[0], rate[runs - 1]);
    }

    private static void write(Path file, int rows, Spelling spelling) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        StringBuilder line = new StringBuilder(128);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("x1,x2,x3,x4,y\n");
            for (int i = 0; i < rows; i++) {
                line.setLength(0);
                double y = 1.1;
                for (int j = 0; j < 4; j++) {
                    float v = (float) random.nextGaussian();
                    y += v * (10 - 2.5 * j);
                    spelling.append(line, v);
                    line.append(',');
                }
                spelling.append(line, (float) y);
                out.append(line).append('\n');
            }
        }
    }

    private static void check(Dataset data, int rows) {
        if (data.samples() != rows || data.features() != 4) {
            throw new IllegalStateException("read " + data.samples() + "×" + data.features() + ", wrote " + rows + "×4");
        }
    }
}
