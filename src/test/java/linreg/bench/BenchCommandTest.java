package linreg.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import linreg.cli.Cli;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code linreg bench} through the real command line, with sweeps small enough for a test. */
class BenchCommandTest {
    @TempDir
    Path dir;

    private static final String[] TINY = {"--sizes", "1000,3000", "--batches", "16,full", "--features", "2,5",
        "--warmup", "0", "--epochs", "1", "--no-anchors", "-q"};

    private Cli.Run bench(String... more) {
        String[] args = Stream.concat(Stream.of("bench"), Stream.concat(Stream.of(TINY), Stream.of(more)))
                .toArray(String[]::new);
        return Cli.run(args);
    }

    private List<Path> files(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        }
    }

    private Path only(Path folder, String suffix) throws IOException {
        List<Path> match = files(folder).stream().filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
        assertEquals(1, match.size(), "one " + suffix + " in " + files(folder));
        return match.get(0);
    }

    @Test
    void aTinySweepWritesTheCsvMarkdownAndCharts() throws Exception {
        Path out = dir.resolve("results");
        Cli.Run run = bench("--engines", "cpu", "--out", out.toString(), "--cache-dir", dir.resolve("cache").toString());
        assertEquals(0, run.code(), run.err());

        Path csv = only(out, "-bench.csv");
        assertTrue(csv.getFileName().toString().matches("\\d{4}-\\d{2}-\\d{2}-cpu-.+-bench\\.csv"), csv.toString());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(String.join(",", BenchCsv.COLUMNS), lines.get(0));
        BenchResults results = BenchCsv.read(csv);
        assertEquals(8, results.rows().size(), "2 n × 2 batches × 2 d: " + lines);
        for (BenchRow r : results.rows()) {
            assertEquals("cpu", r.engine());
            assertEquals("ok", r.status(), r.toString());
            assertEquals(1, r.epochs());
            assertTrue(r.secondsPerEpoch() > 0 && r.samplesPerSecond() > 0 && r.stepsPerSecond() > 0, r.toString());
        }
        assertEquals(List.of(1000L, 3000L), results.sizes());
        assertEquals(List.of("16", "full"), results.batches());
        assertEquals(List.of(2, 5), results.features());

        String md = Files.readString(only(out, "-bench.md"));
        assertTrue(md.contains("## d = 2: seconds per epoch") && md.contains("## d = 5: seconds per epoch"), md);
        assertTrue(md.contains("| full | 3000 |"), md);
        if (BenchCli.canDraw()) {
            only(out, "-seconds-per-epoch-batch16.png");
            only(out, "-seconds-per-epoch-batchfull.png");
        }
        assertTrue(files(out).stream().noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp files left");
        assertTrue(Files.isRegularFile(dir.resolve("cache").resolve("cost-model-no-gpu.json"))
                || !run.out().contains("cost model cached"), run.out());
        assertTrue(run.out().contains("bench took"), run.out());
        assertTrue(run.out().contains("crossovers: none"), run.out());
    }

    @Test
    void gpuRowsRunOrSayWhyNot() throws Exception {
        Path out = dir.resolve("r");
        Cli.Run run = Cli.run("bench", "--sizes", "1000", "--batches", "16,full", "--features", "2",
                "--epochs", "1", "--no-anchors", "--out", out.toString(), "--no-cache", "-q");
        assertEquals(0, run.code(), run.err());
        BenchResults results = BenchCsv.read(only(out, "-bench.csv"));
        List<BenchRow> gpu = results.rows().stream().filter(r -> r.engine().equals("gpu")).toList();
        assertFalse(gpu.isEmpty(), "a GPU row, measured or unavailable");
        for (BenchRow r : gpu) {
            assertTrue(r.ok() || r.status().startsWith("unavailable: "), r.status());
        }
        assertEquals(2, results.rows().stream().filter(r -> r.engine().equals("cpu")).count());
    }

    @Test
    void anchorsAreRowsEvenWhenTheyCannotRun() throws Exception {
        Path out = dir.resolve("a");
        Path anchors = Files.createDirectories(dir.resolve("anchors"));
        Files.writeString(anchors.resolve("seed_torch.py"), "raise SystemExit('not the real script')\n");
        Cli.Run run = Cli.run("bench", "--engines", "cpu,gpu", "--sizes", "1000", "--batches", "16", "--features",
                "2", "--epochs", "1", "--anchors", anchors.toString(), "--torch-samples", "1000", "--out", out.toString(),
                "--no-cache", "-q");
        assertEquals(0, run.code(), run.err());
        BenchResults results = BenchCsv.read(only(out, "-bench.csv"));
        BenchRow copy = results.rows().stream().filter(r -> r.engine().equals("copy")).findFirst().orElseThrow();
        BenchRow torch = results.rows().stream().filter(r -> r.engine().equals("torch")).findFirst().orElseThrow();
        assertTrue(copy.ok() || copy.status().startsWith("unavailable: "), copy.status());
        assertTrue(torch.status().startsWith("unavailable: "), torch.status());
    }

    @Test
    void casesOverTheBudgetAreSkippedWithTheReason() throws Exception {
        Path out = dir.resolve("b");
        Cli.Run run = bench("--engines", "cpu", "--case-budget", "1e-9", "--out", out.toString(), "--no-cache");
        assertEquals(0, run.code(), run.err());
        BenchResults results = BenchCsv.read(only(out, "-bench.csv"));
        assertEquals(8, results.rows().size());
        for (BenchRow r : results.rows()) {
            assertTrue(r.status().startsWith("skipped: ") && r.status().contains("--case-budget"), r.status());
        }
        assertTrue(Files.readString(only(out, "-bench.md")).contains("## Cases that did not run"));
    }

    @Test
    void aCaseTooBigForAJavaArrayIsSkippedNotFatal() throws Exception {
        Path out = dir.resolve("big");
        Cli.Run run = Cli.run("bench", "--engines", "cpu", "--sizes", "1e9", "--batches", "16",
                "--features", "4", "--out", out.toString(), "--no-cache", "-q");
        assertEquals(0, run.code(), run.err());
        BenchRow r = BenchCsv.read(only(out, "-bench.csv")).rows().get(0);
        assertTrue(r.status().startsWith("skipped: ") && r.status().contains("Java array"), r.status());
    }

    @Test
    void casesPastTheDeadlineAreSkippedWithTheReason() throws Exception {
        Path out = dir.resolve("d");
        Cli.Run run = bench("--engines", "cpu", "--deadline", "1e-6", "--out", out.toString(), "--no-cache");
        assertEquals(0, run.code(), run.err());
        BenchResults results = BenchCsv.read(only(out, "-bench.csv"));
        assertEquals(8, results.rows().size());
        for (BenchRow r : results.rows()) {
            assertTrue(r.status().startsWith("skipped: ") && r.status().contains("--deadline"), r.status());
        }
    }

    @Test
    void thePyTorchAnchorGetsWhatTheDeadlineLeaves() {
        assertEquals(600, BenchRunner.torchTimeout(600, Double.POSITIVE_INFINITY));
        assertEquals(90, BenchRunner.torchTimeout(600, 100.5));
        assertEquals(1, BenchRunner.torchTimeout(600, 3), "never zero: the subprocess gets a second at least");
    }

    @Test
    void chartsFromRedrawsChartsAndMarkdown() throws Exception {
        Assumptions.assumeTrue(BenchCli.canDraw(), "skipped: AWT cannot draw text here (headless without fonts)");
        Path csv = dir.resolve("2026-01-01-test-gpu-bench.csv");
        BenchCsv.write(csv, BenchRows.sample());
        Files.writeString(dir.resolve("2026-01-01-test-gpu-bench.md"),
                "# linreg bench, the original title\n\n## Run\n\n- Command: `linreg bench`\n- wall time 12 s\n\n"
                        + "charts skipped: no java.desktop; run it elsewhere.\n\n## Method\n\nold\n");
        Cli.Run run = Cli.run("bench", "--charts-from", csv.toString());
        assertEquals(0, run.code(), run.err());
        assertEquals("", run.err());
        for (String name : List.of("seconds-per-epoch-batch16.png", "seconds-per-epoch-batchfull.png", "speedup.png")) {
            Path png = dir.resolve("2026-01-01-test-gpu-" + name);
            assertTrue(Files.size(png) > 1000, png.toString());
            byte[] head = Files.readAllBytes(png);
            assertEquals((byte) 0x89, head[0]);
            assertEquals('P', head[1]);
            assertTrue(run.out().contains(png.toString()), run.out());
        }
        String md = Files.readString(dir.resolve("2026-01-01-test-gpu-bench.md"));
        assertTrue(md.startsWith("# linreg bench, the original title\n"), md);
        assertTrue(md.contains("- wall time 12 s"), "the run's notes are kept: " + md);
        assertFalse(md.contains("charts skipped"), "the old notice is dropped: " + md);
        assertTrue(md.contains("![2026-01-01-test-gpu-speedup.png](2026-01-01-test-gpu-speedup.png)"), md);
        assertTrue(md.contains("| gpu/pipeline | 4 | 16 | n ≈"), md);
        assertTrue(md.contains("speedup gpu/pipeline"), md);
        assertTrue(md.contains("copy/dtod"), md);
        // The CSV is the input, left as it was.
        assertEquals(BenchRows.sample().rows().size() + 1, Files.readAllLines(csv).size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--engines tpu|--engines",
        "--strategies warp|--strategies",
        "--sizes -5|--sizes",
        "--sizes 0|--sizes",
        "--sizes 1.5|--sizes",
        "--sizes many|--sizes",
        "--sizes 3e9|2^31 - 1",
        "--sizes 1000,2147483648|--sizes",
        "--batches 0|--batches",
        "--batches half|--batches",
        "--features -1|--features",
        "--epochs 0|--epochs",
        "--warmup -1|--warmup",
        "--case-budget 0|--case-budget",
        "--case-budget NaN|--case-budget",
        "--deadline 0|--deadline",
        "--deadline -5|--deadline",
        "--threads 0|--threads",
        "--device -1|--device",
        "--torch-samples -3|--torch-samples",
        "--frobnicate|frobnicate",
    })
    void badInputIsOneLineAndExitTwo(String args, String named) throws IOException {
        Path out = dir.resolve("never");
        String[] all = Stream.concat(Stream.of("bench", "--out", out.toString(), "--no-cache"),
                Stream.of(args.split(" "))).toArray(String[]::new);
        assertRejected(Cli.run(all), named);
        assertTrue(files(out).isEmpty(), "nothing written: " + files(out));
    }

    @Test
    void anUnwritableOutIsBadInputAndWritesNothing() throws IOException {
        Path blocker = Files.writeString(dir.resolve("a-file"), "x");
        assertRejected(bench("--engines", "cpu", "--out", blocker.resolve("sub").toString(), "--no-cache"), "--out");
        assertEquals("x", Files.readString(blocker));
    }

    @Test
    void chartsFromAMissingOrBadFileIsBadInput() throws IOException {
        assertRejected(Cli.run("bench", "--charts-from", dir.resolve("none.csv").toString()), "--charts-from");
        Path bad = Files.writeString(dir.resolve("bad-bench.csv"), "a,b\n1,2\n");
        assertRejected(Cli.run("bench", "--charts-from", bad.toString()), "bad-bench.csv");
        assertTrue(files(dir).stream().noneMatch(p -> p.getFileName().toString().endsWith(".png")
                || p.getFileName().toString().endsWith(".md")), files(dir).toString());
    }

    private static void assertRejected(Cli.Run run, String named) {
        Cli.assertRejected(run, named);
        assertTrue(run.err().startsWith("linreg bench: "), run.err());
    }

    /** A second bench into the same folder on the same day writes files of its own. */
    @Test
    void aSecondRunOnTheSameDayDoesNotMixFiles() throws Exception {
        Path out = dir.resolve("twice");
        for (int k = 0; k < 2; k++) {
            Cli.Run run = bench("--engines", "cpu", "--out", out.toString(), "--no-cache");
            assertEquals(0, run.code(), run.err());
        }
        List<Path> csvs = files(out).stream().filter(p -> p.getFileName().toString().endsWith("-bench.csv")).toList();
        assertEquals(2, csvs.size(), files(out).toString());
        String first = csvs.get(1).getFileName().toString();   // "-2-bench" sorts before "-bench"
        String second = csvs.get(0).getFileName().toString();
        assertEquals(first.replace("-bench.csv", "-2-bench.csv"), second);
        assertTrue(Files.isRegularFile(out.resolve(second.replace(".csv", ".md"))), files(out).toString());
        for (Path csv : csvs) {
            assertEquals(8, BenchCsv.read(csv).rows().size(), csv + " holds its own run's rows only");
        }
    }

    /** Only the GPU asked for and none usable: exit 3 with the reason, and no report. */
    @Test
    void gpuOnlyWithoutAGpuIsExitThree() throws Exception {
        Assumptions.assumeTrue(linreg.gpu.GpuProbe.unusableReason(0) != null, "a usable GPU is here");
        Path out = dir.resolve("nogpu");
        Cli.Run run = bench("--engines", "gpu", "--out", out.toString(), "--no-cache");
        assertEquals(3, run.code(), run.err());
        assertEquals(1, run.errLines().length, run.err());
        assertTrue(run.err().startsWith("linreg bench: no usable GPU: "), run.err());
        assertEquals(List.of(), files(out).stream().filter(p -> p.toString().endsWith(".csv")).toList());
    }

    /** --json: one object at the end, naming the files and the rows, nothing else on stdout. */
    @Test
    void jsonIsOneObject() throws Exception {
        Path out = dir.resolve("json");
        Cli.Run run = bench("--engines", "cpu", "--out", out.toString(), "--no-cache", "--json");
        assertEquals(0, run.code(), run.err());
        com.google.gson.JsonObject j = com.google.gson.JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals(1, run.out().strip().lines().count(), run.out());
        assertEquals(only(out, "-bench.csv").toString(), j.get("csv").getAsString());
        assertEquals(only(out, "-bench.md").toString(), j.get("markdown").getAsString());
        assertEquals(8, j.get("rows_measured").getAsInt());
        assertEquals(0, j.get("rows_skipped").getAsInt());
        assertTrue(j.get("crossovers").getAsJsonArray().isEmpty(), run.out());
        assertTrue(j.get("cost_model").isJsonNull() && j.get("seconds").getAsDouble() > 0, run.out());
    }
}
