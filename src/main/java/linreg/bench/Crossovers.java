package linreg.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the GPU starts to win: for each d, batch and GPU strategy, the smallest n at which the
 * strategy's epoch is shorter than the CPU's. Between two measured sizes the time ratio is
 * interpolated linearly in log n against log ratio (both grow about as powers of n).
 */
public final class Crossovers {
    /**
     * One crossover.
     *
     * @param n the interpolated n where GPU and CPU take equally long; NaN when there is none
     * @param text for people: "n ≈ 3.2e5", "below 1e3 (GPU faster at every n measured)",
     *     "never in range (n ≤ 1e8)", "no data"
     */
    public record Crossover(String gpuKey, int d, String batch, double n, String text) {}

    private Crossovers() {}

    public static List<Crossover> of(BenchResults results) {
        List<Crossover> out = new ArrayList<>();
        for (String key : results.gpuKeys()) {
            for (int d : results.features()) {
                for (String batch : results.batches()) {
                    out.add(find(results, key, d, batch));
                }
            }
        }
        return out;
    }

    /** The crossover of one GPU strategy at one d and batch. */
    static Crossover find(BenchResults results, String key, int d, String batch) {
        List<double[]> points = new ArrayList<>();
        for (long n : results.sizes()) {
            BenchRow gpu = results.find(key, n, d, batch);
            BenchRow cpu = results.find("cpu", n, d, batch);
            if (gpu != null && cpu != null && gpu.ok() && cpu.ok()) {
                points.add(new double[] {n, gpu.secondsPerEpoch() / cpu.secondsPerEpoch()});
            }
        }
        if (points.isEmpty()) {
            return new Crossover(key, d, batch, Double.NaN, "no data (no n where both ran)");
        }
        double[] first = points.get(0);
        if (first[1] < 1) {
            return new Crossover(key, d, batch, first[0], "at or below " + BenchFormat.count((long) first[0])
                    + " (GPU faster at every n measured)");
        }
        for (int i = 1; i < points.size(); i++) {
            double[] a = points.get(i - 1);
            double[] b = points.get(i);
            if (b[1] < 1) {
                double t = Math.log(a[1]) / (Math.log(a[1]) - Math.log(b[1]));
                double n = Math.exp(Math.log(a[0]) + t * (Math.log(b[0]) - Math.log(a[0])));
                return new Crossover(key, d, batch, n, "n ≈ " + BenchFormat.approxCount(n));
            }
        }
        double last = points.get(points.size() - 1)[0];
        return new Crossover(key, d, batch, Double.NaN, String.format(Locale.ROOT, "never in range (n ≤ %s)",
                BenchFormat.count((long) last)));
    }
}
