package linreg.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CostModelTest {
    @TempDir
    Path dir;

    /** Rows over n, d and batch whose seconds are exactly the model's with these constants. */
    private static List<BenchRow> exact(boolean gpu, double step, double sample, double value, double epoch) {
        List<BenchRow> rows = new ArrayList<>();
        for (long n = 1000; n <= 10_000_000; n *= 10) {
            for (int d : new int[] {4, 64, 1024}) {
                for (String batch : new String[] {"16", "256", "4096", "full"}) {
                    long m = BenchSweep.rowsPerStep(batch, n);
                    double s = step * ((n + m - 1) / m) + sample * n + value * n * (d + 1) + epoch;
                    rows.add(gpu ? BenchRows.gpu(n, d, batch, s) : BenchRows.cpu(n, d, batch, s));
                }
            }
        }
        return rows;
    }

    @Test
    void theFitRecoversKnownConstants() {
        List<BenchRow> rows = new ArrayList<>(exact(false, 3e-7, 1e-8, 2e-9, 4e-5));
        rows.addAll(exact(true, 1.5e-5, 0, 1e-11, 2e-5));
        CostModel fitted = CostModel.defaults().fit(new BenchResults(rows), "test rows");
        CostModel.Constants cpu = fitted.constants().get("cpu");
        assertEquals(3e-7, cpu.perStep(), 3e-7 * 1e-6);
        assertEquals(1e-8, cpu.perSample(), 1e-8 * 1e-6);
        assertEquals(2e-9, cpu.perFloat(), 2e-9 * 1e-6);
        assertEquals(4e-5, cpu.perEpoch(), 4e-5 * 1e-6);
        CostModel.Constants gpu = fitted.constants().get("gpu/pipeline");
        assertEquals(1.5e-5, gpu.perStep(), 1.5e-5 * 1e-6);
        assertEquals(0, gpu.perSample(), 1e-15);
        assertEquals(1e-11, gpu.perFloat(), 1e-11 * 1e-6);
        assertEquals(2e-5, gpu.perEpoch(), 2e-5 * 1e-6);
        assertTrue(cpu.measured() && cpu.source().contains("test rows"), cpu.source());
        assertTrue(cpu.source().contains("1.00x (worst)"), cpu.source());
    }

    @Test
    void aCostNeverComesOutNegative() {
        // Times that fall with steps would want a < 0: the fit holds a at 0 instead.
        List<BenchRow> rows = new ArrayList<>();
        for (long n = 1000; n <= 1_000_000; n *= 10) {
            rows.add(BenchRows.cpu(n, 4, "16", 1e-8 * n * 5));
            rows.add(BenchRows.cpu(n, 4, "full", 1.5e-8 * n * 5));
        }
        CostModel.Constants k = CostModel.fit(rows, "t");
        for (double v : k.values()) {
            assertTrue(v >= 0, k.toString());
        }
        assertEquals(0, k.perStep());
    }

    @Test
    void tooFewRowsKeepTheDefaults() {
        List<BenchRow> rows = List.of(BenchRows.cpu(1000, 4, "16", 1), BenchRows.cpu(10_000, 4, "16", 2));
        CostModel defaults = CostModel.defaults();
        CostModel fitted = defaults.fit(new BenchResults(rows), "t");
        assertEquals(defaults.constants().get("cpu"), fitted.constants().get("cpu"));
    }

    @Test
    void choosesThePredictedFastest() {
        CostModel model = CostModel.of(Map.of(
                "cpu", new CostModel.Constants(3e-7, 0, 2e-9, 0, "measured: t"),
                "gpu/pipeline", new CostModel.Constants(1.5e-5, 0, 1e-11, 2e-5, "estimate, not measured")), "t");
        // Small batches: a chain of cheap steps, the CPU's game.
        CostModel.Choice small = model.choose(1_000_000, 4, 16);
        assertEquals("cpu", small.fastest());
        assertEquals("cpu", small.engine());
        assertEquals("", small.strategy());
        assertEquals(0.3e-6 * 62_500 + 2e-9 * 5e6, small.seconds().get("cpu"), 1e-12);
        // Full batches of wide rows: bandwidth, the GPU's.
        CostModel.Choice wide = model.choose(1_000_000, 1024, 1_000_000);
        assertEquals("gpu/pipeline", wide.fastest());
        assertEquals("gpu", wide.engine());
        assertEquals("pipeline", wide.strategy());
        assertEquals(2, wide.seconds().size());
        // Without a usable GPU only the CPU is a candidate.
        assertEquals("cpu", model.choose(1_000_000, 1024, 1_000_000, CostModel.candidates(false, List.of("pipeline"))).fastest());
        assertThrows(IllegalArgumentException.class, () -> model.choose(10, 4, 16, Set.of("tpu")));
    }

    @Test
    void theShippedDefaultsLabelTheirGpuEstimates() throws Exception {
        CostModel defaults = CostModel.defaults();
        assertNotNull(defaults.constants().get("cpu"));
        assertTrue(defaults.constants().get("cpu").measured(), "the CPU constants are measured");
        CostModel.Constants pipeline = defaults.constants().get("gpu/pipeline");
        assertNotNull(pipeline);
        assertTrue(pipeline.source().startsWith("estimate, not measured"), pipeline.source());
        String json = new String(CostModel.class.getResourceAsStream("/cost-model-defaults.json").readAllBytes());
        assertTrue(json.contains(CostModel.FORMULA), "the file states the formula");
    }

    @Test
    void theCacheIsPerGpuModelAndLaidOverTheDefaults() throws Exception {
        CostModel measured = CostModel.of(Map.of("cpu", new CostModel.Constants(1e-7, 0, 1e-9, 1e-6, "measured: here")), "t");
        Path file = measured.save(dir, "NVIDIA H100 80GB HBM3", "test", false);
        assertEquals(dir.resolve("cost-model-nvidia-h100-80gb-hbm3.json"), file);
        CostModel loaded = CostModel.load("NVIDIA H100 80GB HBM3", dir);
        assertEquals(1e-7, loaded.constants().get("cpu").perStep());
        assertNotNull(loaded.constants().get("gpu/pipeline"), "keys the cache lacks come from the defaults");
        assertEquals(file.toString(), loaded.origin());
        // Another GPU model does not see it.
        assertEquals("shipped defaults", CostModel.load("Tesla T4", dir).origin());
        assertEquals(dir.resolve("cost-model-no-gpu.json"), CostModel.cacheFile(dir, null));
    }

    @Test
    void aQuickBenchKeepsAFullBenchsCache() throws Exception {
        CostModel full = CostModel.of(Map.of("cpu", new CostModel.Constants(1e-7, 0, 1e-9, 1e-6, "measured: full")), "t");
        CostModel quick = CostModel.of(Map.of("cpu", new CostModel.Constants(9e-7, 0, 9e-9, 9e-6, "measured: quick")), "t");
        assertNotNull(full.save(dir, null, "full", false));
        assertNull(quick.save(dir, null, "quick", true));
        assertEquals(1e-7, CostModel.load(null, dir).constants().get("cpu").perStep());
        // A full bench replaces anything; a quick one replaces a quick one.
        assertNotNull(quick.save(dir.resolve("other"), null, "quick", true));
        assertNotNull(quick.save(dir.resolve("other"), null, "quick", true));
    }

    @Test
    void anUnreadableCacheFallsBackToTheDefaults() throws Exception {
        Files.writeString(CostModel.cacheFile(dir, "G"), "{not json");
        assertEquals("shipped defaults", CostModel.load("G", dir).origin());
        Files.writeString(CostModel.cacheFile(dir, "G"), "{\"engines\": {\"cpu\": {\"per_step\": -1, \"per_sample\": 0, \"per_float\": 0, \"per_epoch\": 0}}}");
        assertEquals("shipped defaults", CostModel.load("G", dir).origin());
    }
}
