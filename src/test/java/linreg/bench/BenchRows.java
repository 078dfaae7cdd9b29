package linreg.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;

/** Synthetic bench rows for the tests: times from formulas, so that the answers are known. */
final class BenchRows {
    private BenchRows() {}

    static final String CPU = "AMD EPYC, 2 cores";
    static final String GPU = "NVIDIA Test GPU";

    /** A measured CPU row. */
    static BenchRow cpu(long n, int d, String batch, double seconds) {
        return BenchRow.measured("cpu", "", CPU, n, d, batch, 3, seconds, 2);
    }

    /** A measured GPU pipeline row. */
    static BenchRow gpu(long n, int d, String batch, double seconds) {
        return BenchRow.measured("gpu", "pipeline", GPU, n, d, batch, 3, seconds, 0);
    }

    /** Rows of one key over n = 1e3..1e6 with seconds = f(n, d). */
    static List<BenchRow> line(boolean gpu, int d, String batch, DoubleBinaryOperator seconds) {
        List<BenchRow> rows = new ArrayList<>();
        for (long n = 1000; n <= 1_000_000; n *= 10) {
            double s = seconds.applyAsDouble(n, d);
            rows.add(gpu ? gpu(n, d, batch, s) : cpu(n, d, batch, s));
        }
        return rows;
    }

    /**
     * A small complete bench: CPU and GPU over n = 1e3..1e6, batch 16 and full, d = 4 and 64;
     * the GPU has a fixed 1 ms cost and is 20× faster per sample; plus a copy anchor, an
     * unavailable torch anchor and one skipped case.
     */
    static BenchResults sample() {
        List<BenchRow> rows = new ArrayList<>();
        rows.add(new BenchRow("copy", "dtod", GPU, 0, 0, "", 10, 1e-3, 2.0 * (1L << 30), 0, BenchRow.OK));
        for (int d : new int[] {4, 64}) {
            for (String batch : new String[] {"16", "full"}) {
                rows.addAll(line(false, d, batch, (n, dd) -> 1e-8 * n * (dd + 1)));
                rows.addAll(line(true, d, batch, (n, dd) -> 1e-3 + 5e-10 * n * (dd + 1)));
            }
        }
        rows.add(BenchRow.notRun("cpu", "", CPU, 100_000_000, 64, "16", 2,
                BenchRow.skipped("needs 25.3 GiB of Java heap, 5.89 GiB available")));
        rows.add(BenchRow.notRun("torch", "tutorial", GPU, 1_000_000, 4, "16", 0,
                BenchRow.unavailable("python3 has no torch (ModuleNotFoundError: No module named 'torch')")));
        return new BenchResults(rows);
    }
}
