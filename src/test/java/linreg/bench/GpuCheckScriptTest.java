package linreg.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/gpu-check.sh itself, with a stand-in for java: a step that hangs is cut at the deadline
 * and the ones after it are recorded as skipped; the JSON, its log folder and the tarball come
 * back, from the real Java report or, when that fails, from the script alone.
 */
class GpuCheckScriptTest {
    /**
     * Answers -version, hangs for `doctor` (unless FAKE_DOCTOR_QUICK), exits FAKE_SMOKE_RC for the
     * kit's smoke test, runs a GPU test class as JUnit does when it finds no test in it, runs the
     * real report (or fails it), fails the rest.
     */
    private static final String FAKE_JAVA = """
            #!/usr/bin/env bash
            case " $* " in
              *" -version "*) echo 'fake java 17' >&2; exit 0 ;;
              *" doctor "*) [ -n "${FAKE_DOCTOR_QUICK:-}" ] && exit 0; sleep 60 ;;
              *" Smoke "*) exit "${FAKE_SMOKE_RC:-1}" ;;
              *" --select-class linreg.gpu."*)
                case " $* " in *" --fail-if-no-tests "*) echo "0 tests found" >&2; exit 2 ;; *) exit 0 ;; esac ;;
              *" linreg.bench.GpuCheckReport "*)
                [ -n "${FAKE_REPORT_FAILS:-}" ] && { echo "fake report: boom" >&2; exit 1; }
                a=()
                while [ $# -gt 0 ]; do
                  if [ "$1" = -cp ]; then a+=(-cp "$REAL_CP"); shift 2; else a+=("$1"); shift; fi
                done
                exec "$REAL_JAVA" "${a[@]}" ;;
              *) echo "fake java: $*" >&2; exit 1 ;;
            esac
            """;

    @TempDir
    Path dir;
    Path bundle;
    Path fakeJava;

    @BeforeEach
    void fakes() throws IOException {
        bundle = Files.createDirectories(dir.resolve("bundle"));
        Files.createDirectories(bundle.resolve("test-classes"));
        Files.writeString(bundle.resolve("linreg.jar"), "");
        Files.writeString(bundle.resolve("junit-platform-console-standalone.jar"), "");
        fakeJava = Files.writeString(dir.resolve("java"), FAKE_JAVA);
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Result(int code, String out, Path json, JsonObject o) {}

    private Result run(int deadline, Map<String, String> env) throws Exception {
        return run(deadline, env, dir.resolve("no-kit"));
    }

    private Result run(int deadline, Map<String, String> env, Path kit) throws Exception {
        Path out = dir.resolve("out");
        ProcessBuilder pb = new ProcessBuilder("bash", "scripts/gpu-check.sh", "--kit", kit.toString(),
                "--bundle", bundle.toString(), "--out", out.toString(), "--deadline", Integer.toString(deadline))
                .redirectErrorStream(true);
        pb.environment().put("JAVA", fakeJava.toString());
        pb.environment().put("REAL_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().put("REAL_CP", System.getProperty("java.class.path"));
        pb.environment().remove("GPU_CHECK_REHEARSAL_WRAPPER");
        pb.environment().putAll(env);
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), text);
        List<Path> json;
        try (var s = Files.list(out)) {
            json = s.filter(f -> f.getFileName().toString().endsWith("-gpu-check.json")).toList();
        }
        assertEquals(1, json.size(), text);
        return new Result(p.exitValue(), text, json.get(0), JsonParser.parseString(Files.readString(json.get(0)))
                .getAsJsonObject());
    }

    private static JsonObject step(JsonObject o, String name) {
        for (JsonElement e : o.getAsJsonArray("steps")) {
            if (e.getAsJsonObject().get("name").getAsString().equals(name)) {
                return e.getAsJsonObject();
            }
        }
        throw new AssertionError("no step " + name + " in " + o);
    }

    private static Path logFolder(Path json) {
        String name = json.getFileName().toString();
        return json.resolveSibling(name.substring(0, name.length() - ".json".length()));
    }

    @Test
    void aHungStepIsCutAtTheDeadlineAndTheRestIsRecordedAsSkipped() throws Exception {
        Result r = run(10, Map.of());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().lines().findFirst().orElse("").contains("results go to " + dir.resolve("out")), r.out());
        assertTrue(r.json().getFileName().toString().startsWith(LocalDate.now(ZoneOffset.UTC) + "-"), r.json().toString());

        JsonObject doctor = step(r.o(), "doctor");
        assertEquals(124, doctor.get("rc").getAsInt(), r.o().toString());
        assertTrue(doctor.get("seconds").getAsDouble() >= 3, doctor.toString());
        assertTrue(step(r.o(), "sass-barrier").get("skipped_reason").getAsString().startsWith("class not found: "),
                "a bundle without the SASS check's class: " + r.o());
        JsonObject compare = step(r.o(), "compare-tutorial-pipeline");
        assertTrue(compare.get("rc").isJsonNull());
        assertTrue(compare.get("skipped_reason").getAsString().startsWith("out of time: "), compare.toString());

        assertEquals("full", r.o().get("report").getAsString(), r.out());
        assertEquals("finished", r.o().get("state").getAsString());
        assertTrue(r.o().get("tests_failed").isJsonNull(), "no test ran, so no count: " + r.o());
        assertFalse(r.o().get("passed").getAsBoolean());

        Path logs = logFolder(r.json());
        assertTrue(Files.readString(logs.resolve("doctor.log")).startsWith("# "), "the command line heads the log");
        assertTrue(Files.isRegularFile(logs.resolveSibling(logs.getFileName() + ".md")));
        assertTrue(Files.size(logs.resolveSibling(logs.getFileName() + ".tar.gz")) > 0);
    }

    /**
     * Without a GPU a class of parameterized tests is skipped whole, so JUnit finds no test in it:
     * that is no failure. With a GPU (the smoke test passes) a class without tests is one.
     */
    @Test
    void aGpuTestClassWithoutTestsFailsOnlyWhereAGpuIsUsable() throws Exception {
        Path kit = Files.createDirectories(dir.resolve("kit"));
        Files.createDirectories(kit.resolve("smoke"));
        Files.writeString(kit.resolve("probe.sh"), "exit 0\n");
        Files.writeString(kit.resolve("gpu-env.sh"), "return 0\n");
        String gpuTest = "test-linreg.gpu.GpuKernelTest";

        Result none = run(120, Map.of("FAKE_DOCTOR_QUICK", "1", "FAKE_SMOKE_RC", "3"), kit);
        assertEquals(3, step(none.o(), "smoke").get("rc").getAsInt(), none.o().toString());
        assertEquals(0, step(none.o(), gpuTest).get("rc").getAsInt(), none.o().toString());

        deleteTree(dir.resolve("out"));
        Result usable = run(120, Map.of("FAKE_DOCTOR_QUICK", "1", "FAKE_SMOKE_RC", "0"), kit);
        assertEquals(0, step(usable.o(), "smoke").get("rc").getAsInt(), usable.o().toString());
        assertEquals(2, step(usable.o(), gpuTest).get("rc").getAsInt(), usable.o().toString());
    }

    private static void deleteTree(Path root) throws IOException {
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void whenTheJavaReportFailsTheScriptsOwnJsonStands() throws Exception {
        Result r = run(8, Map.of("FAKE_REPORT_FAILS", "1"));
        assertEquals(1, r.code(), r.out());
        assertEquals("minimal", r.o().get("report").getAsString());
        assertTrue(r.o().get("report_problem").getAsString().contains("fake report: boom"), r.o().toString());
        assertEquals(0, step(r.o(), "java").get("rc").getAsInt());
        for (String key : List.of("tests_run", "tests_failed", "test_classes", "compares", "passed")) {
            assertTrue(r.o().get(key).isJsonNull(), key + ": " + r.o());
        }
        Path logs = logFolder(r.json());
        assertFalse(Files.exists(logs.resolveSibling(logs.getFileName() + ".md")));
        assertTrue(Files.size(logs.resolveSibling(logs.getFileName() + ".tar.gz")) > 0);
    }
}
