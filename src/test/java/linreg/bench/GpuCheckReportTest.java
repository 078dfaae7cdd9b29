package linreg.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import linreg.gpu.GpuProbe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java half of gpu-check's report, on a log folder laid out as scripts/gpu-check.sh leaves it. */
class GpuCheckReportTest {
    private static final GpuProbe.Driver NO_DRIVER = new GpuProbe.Driver(0, List.of(), "no libcuda.so.1 (test)");

    @TempDir
    Path dir;
    Path logs;

    @BeforeEach
    void folder() throws IOException {
        logs = Files.createDirectories(dir.resolve("2026-12-02-no-gpu-gpu-check"));
    }

    /** The JSON the script keeps: its facts and steps, nulls for what the report fills in. */
    private void scriptJson(String state, String... steps) throws IOException {
        Files.writeString(dir.resolve("2026-12-02-no-gpu-gpu-check.json"), """
                {"schema": 2, "report": "minimal", "report_problem": "the Java report did not finish",
                 "date": "2026-12-02", "stage": "checks", "command": "scripts/gpu-check.sh", "state": "%s",
                 "elapsed_seconds": 12, "deadline_seconds": 540, "gpu": "no GPU", "driver_version": null,
                 "cuda_version": null, "driver": null, "gpu_problem": null, "devices": null,
                 "steps": [%s],
                 "tests_run": null, "tests_failed": null, "tests_skipped": null, "test_classes": null,
                 "smoke": null, "compares": null, "sass_barrier": null, "sanitizer": null, "passed": null}
                """.formatted(state, String.join(",", steps)));
    }

    private static String step(String name, Integer rc, String skipped, String crash) {
        return "{\"name\": \"" + name + "\", \"rc\": " + rc + ", \"seconds\": 1.5, \"skipped_reason\": "
                + (skipped == null ? "null" : "\"" + skipped + "\"") + ", \"crash_log\": "
                + (crash == null ? "null" : "\"" + crash + "\"") + "}";
    }

    private void junitXml(String step, int tests, int skipped, int failures, String inner) throws IOException {
        Path d = Files.createDirectories(logs.resolve("junit").resolve(step));
        Files.writeString(d.resolve("TEST-junit-jupiter.xml"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<testsuite name=\"JUnit Jupiter\" tests=\"" + tests + "\" skipped=\"" + skipped + "\" failures=\""
                + failures + "\" errors=\"0\">" + inner + "</testsuite>\n");
        Files.writeString(d.resolve("TEST-junit-vintage.xml"),
                "<testsuite name=\"JUnit Vintage\" tests=\"0\" skipped=\"0\" failures=\"0\" errors=\"0\"/>\n");
    }

    private void compareJson(String name, boolean agree) throws IOException {
        Files.writeString(logs.resolve("compare-" + name + ".json"), "{\"n\": 500, \"d\": 4, \"batch_size\": 16, \"epochs\": 50,"
                + " \"max_abs_dw\": 0.0, \"abs_db\": 0.0, \"parameters_identical\": " + agree + ", \"agree\": " + agree
                + ", \"engines\": [{\"engine\": \"gpu\", \"seconds_per_epoch\": 1e-4}, {\"engine\": \"cpu\","
                + " \"seconds_per_epoch\": 5e-4}]}\n");
    }

    private JsonObject report(boolean expectPassed) throws IOException {
        assertEquals(expectPassed, GpuCheckReport.write(logs, NO_DRIVER).passed());
        JsonObject o = JsonParser.parseString(Files.readString(dir.resolve("2026-12-02-no-gpu-gpu-check.json")))
                .getAsJsonObject();
        assertEquals("full", o.get("report").getAsString());
        assertTrue(o.get("report_problem").isJsonNull());
        assertEquals(expectPassed, o.get("passed").getAsBoolean());
        assertTrue(Files.readString(dir.resolve("2026-12-02-no-gpu-gpu-check.md")).contains("\n## Steps\n"));
        return o;
    }

    @Test
    void aCrashedOrKilledTestJvmHasNoCountsAndMakesTheTotalsNull() throws IOException {
        scriptJson("finished",
                step("test-a.FirstTest", 0, null, null),
                step("test-a.CrashedTest", 1, null, "hs_err_42.log"),
                step("test-a.HungTest", 137, null, null),
                step("test-a.LateTest", null, "out of time: 3 s left before the 540 s deadline, the step needs 20 s", null));
        junitXml("test-a.FirstTest", 3, 1, 0, "<testcase name=\"t\"><skipped message=\"why\"/></testcase>");
        // A crash after the launcher wrote its report: the counts cannot be believed either.
        junitXml("test-a.CrashedTest", 4, 0, 0, "");
        Files.writeString(logs.resolve("hs_err_42.log"), "# A fatal error has been detected\n");

        JsonObject o = report(false);
        assertTrue(o.get("tests_run").isJsonNull() && o.get("tests_failed").isJsonNull() && o.get("tests_skipped").isJsonNull(),
                o.toString());
        var classes = o.getAsJsonArray("test_classes");
        assertEquals(4, classes.size());
        JsonObject first = classes.get(0).getAsJsonObject();
        assertEquals(2, first.get("tests_run").getAsInt());
        assertEquals(0, first.get("tests_failed").getAsInt());
        assertEquals(1, first.get("tests_skipped").getAsInt());
        for (int i = 1; i < 4; i++) {
            JsonObject c = classes.get(i).getAsJsonObject();
            assertTrue(c.get("tests_failed").isJsonNull() && c.get("tests_run").isJsonNull(), c.toString());
        }
        assertEquals("hs_err_42.log", classes.get(1).getAsJsonObject().get("crash_log").getAsString());
        assertTrue(classes.get(3).getAsJsonObject().get("skipped_reason").getAsString().startsWith("out of time"));
        assertTrue(Files.readString(dir.resolve("2026-12-02-no-gpu-gpu-check.md")).contains("## hs_err_42.log"));
    }

    @Test
    void sassBarrierAndSanitizerVerdictsComeFromTheirLogs() throws IOException {
        scriptJson("finished",
                step("sass-barrier", 0, null, null),
                step("sanitize-memcheck-pipeline", 0, null, null),
                step("sanitize-racecheck-fused-block", 99, null, null),
                step("sanitize-synccheck-fused-grid", 124, null, null),
                step("sanitize-synccheck-fused-warp", null, "out of time: 0 s left", null));
        junitXml("sass-barrier", 1, 1, 0, "<testcase name=\"pollIsALoadInALoop()\"><skipped><![CDATA["
                + "org.opentest4j.TestAbortedException: no nvdisasm or cuobjdump on PATH\n\tat somewhere]]></skipped></testcase>");
        Files.writeString(logs.resolve("sanitize-memcheck-pipeline.log"), "# cmd\nengine: gpu\n========= ERROR SUMMARY: 0 errors\n");
        Files.writeString(logs.resolve("sanitize-racecheck-fused-block.log"),
                "# cmd\n========= RACECHECK SUMMARY: 2 hazards displayed (2 errors, 0 warnings)\n");
        Files.writeString(logs.resolve("sanitize-synccheck-fused-grid.log"), "# cmd\n");

        JsonObject o = report(false);
        JsonObject sass = o.getAsJsonObject("sass_barrier");
        assertEquals("skipped", sass.get("verdict").getAsString());
        assertEquals("no nvdisasm or cuobjdump on PATH", sass.get("reason").getAsString());
        var runs = o.getAsJsonObject("sanitizer").getAsJsonArray("runs");
        assertEquals(4, runs.size());
        assertEquals("memcheck", runs.get(0).getAsJsonObject().get("tool").getAsString());
        assertEquals("pipeline", runs.get(0).getAsJsonObject().get("run").getAsString());
        assertEquals("clean", runs.get(0).getAsJsonObject().get("verdict").getAsString());
        assertEquals("ERROR SUMMARY: 0 errors", runs.get(0).getAsJsonObject().get("summary").getAsString());
        assertEquals("errors", runs.get(1).getAsJsonObject().get("verdict").getAsString());
        assertEquals("fused-block", runs.get(1).getAsJsonObject().get("run").getAsString());
        assertEquals("timed out", runs.get(2).getAsJsonObject().get("verdict").getAsString());
        assertTrue(runs.get(3).getAsJsonObject().get("verdict").getAsString().startsWith("skipped: out of time"));
    }

    @Test
    void aSassCheckThatFailsOrWroteNoReportIsFailed() throws IOException {
        scriptJson("finished", step("sass-barrier", 1, null, null));
        junitXml("sass-barrier", 1, 0, 1, "<testcase name=\"t\"><failure message=\"the poll is no load in a loop\"/></testcase>");
        JsonObject sass = report(false).getAsJsonObject("sass_barrier");
        assertEquals("failed", sass.get("verdict").getAsString());
        assertEquals("the poll is no load in a loop", sass.get("reason").getAsString());

        scriptJson("finished", step("sass-barrier", 137, null, null));
        Files.delete(logs.resolve("junit/sass-barrier/TEST-junit-jupiter.xml"));
        Files.delete(logs.resolve("junit/sass-barrier/TEST-junit-vintage.xml"));
        sass = report(false).getAsJsonObject("sass_barrier");
        assertEquals("failed", sass.get("verdict").getAsString());
        assertTrue(sass.get("reason").getAsString().contains("exit 137 (timed out)"), sass.toString());
    }

    @Test
    void passedNeedsEveryStepToExitZeroTestsThatRanAndEveryComparisonToAgree() throws IOException {
        String[] steps = {step("nvidia-smi", null, "nvidia-smi not found on PATH", null), step("doctor", 0, null, null),
            step("compare-tutorial-pipeline", 0, null, null), step("test-a.FirstTest", 0, null, null),
            step("sanitize", null, "compute-sanitizer not found", null)};
        scriptJson("finished", steps);
        compareJson("tutorial-pipeline", true);
        junitXml("test-a.FirstTest", 3, 0, 0, "");
        JsonObject o = report(true);
        assertEquals(3, o.get("tests_run").getAsInt());
        assertEquals(0, o.get("tests_failed").getAsInt());
        JsonObject compare = o.getAsJsonArray("compares").get(0).getAsJsonObject();
        assertEquals("tutorial-pipeline", compare.get("name").getAsString());
        assertEquals(500, compare.get("n").getAsInt());
        assertEquals(1e-4, compare.get("gpu_seconds_per_epoch").getAsDouble());
        assertEquals("compute-sanitizer not found", o.getAsJsonObject("sanitizer").get("skipped_reason").getAsString());

        scriptJson("interrupted by SIGTERM during doctor", steps);
        report(false);

        scriptJson("finished", steps[0], steps[1], steps[2], steps[3],
                step("sanitize-memcheck-pipeline", null, "out of time: 3 s left", null));
        assertEquals(3, report(false).get("tests_run").getAsInt(), "a step not started for lack of time fails the run");

        compareJson("tutorial-pipeline", false);
        scriptJson("finished", steps);
        assertFalse(report(false).getAsJsonArray("compares").get(0).getAsJsonObject().get("agree").getAsBoolean());
    }
}
