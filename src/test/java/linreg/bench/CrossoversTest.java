package linreg.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrossoversTest {
    @Test
    void interpolatesLogLogBetweenTheSizesWhereTheRatioCrossesOne() {
        // ratio gpu/cpu = 10 at n = 1e4 and 0.1 at n = 1e5: log-linear, so it is 1 at n = 10^4.5.
        List<BenchRow> rows = List.of(
                BenchRows.cpu(1000, 4, "16", 1), BenchRows.gpu(1000, 4, "16", 100),
                BenchRows.cpu(10_000, 4, "16", 1), BenchRows.gpu(10_000, 4, "16", 10),
                BenchRows.cpu(100_000, 4, "16", 1), BenchRows.gpu(100_000, 4, "16", 0.1),
                BenchRows.cpu(1_000_000, 4, "16", 1), BenchRows.gpu(1_000_000, 4, "16", 0.01));
        Crossovers.Crossover c = Crossovers.find(new BenchResults(rows), "gpu/pipeline", 4, "16");
        assertEquals(Math.pow(10, 4.5), c.n(), 1e-6 * c.n());
        assertEquals("n ≈ 3.2e4", c.text());
    }

    @Test
    void anUnevenCrossingFollowsTheRatios() {
        // ratio 2 at 1e3, 0.5 at 1e5: log ratio falls from ln 2 to -ln 2, so the crossing is halfway in log n.
        List<BenchRow> rows = List.of(
                BenchRows.cpu(1000, 4, "full", 1), BenchRows.gpu(1000, 4, "full", 2),
                BenchRows.cpu(100_000, 4, "full", 1), BenchRows.gpu(100_000, 4, "full", 0.5));
        Crossovers.Crossover c = Crossovers.find(new BenchResults(rows), "gpu/pipeline", 4, "full");
        assertEquals(1e4, c.n(), 1e-6);
    }

    @Test
    void theFirstCrossingCounts() {
        List<BenchRow> rows = new ArrayList<>();
        double[] ratios = {3, 0.5, 2, 0.1};
        long n = 1000;
        for (double r : ratios) {
            rows.add(BenchRows.cpu(n, 64, "256", 1));
            rows.add(BenchRows.gpu(n, 64, "256", r));
            n *= 10;
        }
        Crossovers.Crossover c = Crossovers.find(new BenchResults(rows), "gpu/pipeline", 64, "256");
        assertTrue(c.n() > 1000 && c.n() < 10_000, "between the first two sizes: " + c.n());
    }

    @Test
    void neverInRangeWhenTheCpuAlwaysWins() {
        List<BenchRow> rows = BenchRows.line(false, 4, "16", (n, d) -> 1e-8 * n);
        rows = new ArrayList<>(rows);
        rows.addAll(BenchRows.line(true, 4, "16", (n, d) -> 2e-8 * n));
        Crossovers.Crossover c = Crossovers.find(new BenchResults(rows), "gpu/pipeline", 4, "16");
        assertTrue(Double.isNaN(c.n()));
        assertEquals("never in range (n ≤ 1e6)", c.text());
    }

    @Test
    void gpuFasterEverywhereSaysSo() {
        List<BenchRow> rows = new ArrayList<>(BenchRows.line(false, 4, "16", (n, d) -> 1e-8 * n));
        rows.addAll(BenchRows.line(true, 4, "16", (n, d) -> 1e-9 * n));
        Crossovers.Crossover c = Crossovers.find(new BenchResults(rows), "gpu/pipeline", 4, "16");
        assertEquals(1000, c.n());
        assertTrue(c.text().startsWith("at or below 1e3"), c.text());
    }

    @Test
    void skippedCasesAreNotData() {
        List<BenchRow> rows = List.of(BenchRows.cpu(1000, 4, "16", 1),
                BenchRow.notRun("gpu", "pipeline", "g", 1000, 4, "16", 0, BenchRow.skipped("too big")));
        Crossovers.Crossover c = Crossovers.find(new BenchResults(rows), "gpu/pipeline", 4, "16");
        assertTrue(c.text().startsWith("no data"), c.text());
    }

    @Test
    void oneCrossoverPerStrategyDAndBatch() {
        List<Crossovers.Crossover> all = Crossovers.of(BenchRows.sample());
        assertEquals(4, all.size(), "1 strategy × 2 d × 2 batches");
        // sample(): cpu 1e-8·n·(d+1) against gpu 1e-3 + 5e-10·n·(d+1): equal at n·(d+1) = 1e-3 / 9.5e-9.
        for (Crossovers.Crossover c : all) {
            assertTrue(c.n() > 1000 && c.n() < 1_000_000, c.toString());
        }
    }

    @Test
    void noGpuRowsNoCrossovers() {
        List<BenchRow> rows = new ArrayList<>(BenchRows.line(false, 4, "16", (n, d) -> 1e-8 * n));
        rows.add(BenchRow.notRun("gpu", "pipeline", "", 0, 0, "", 0, BenchRow.unavailable("no driver")));
        assertTrue(Crossovers.of(new BenchResults(rows)).isEmpty());
    }
}
