package linreg.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import linreg.data.AtomicFiles;
import linreg.gpu.DeviceInfo;
import linreg.gpu.GpuProbe;

/**
 * The report of {@code scripts/gpu-check.sh}. The script keeps {@code <base>.json} beside its log
 * folder {@code <base>/} (the machine, every step's exit status and time, nulls for the rest);
 * this completes it from the logs: each GPU test class's counts, each comparison's verdict, the
 * SASS barrier check, the sanitizers' verdicts and whether it all passed. It also writes
 * {@code <base>.md} with every log.
 *
 * <p>Usage: {@code GpuCheckReport LOG_FOLDER}. Exit status 0 when the run passed, 1 when it did
 * not, 2 when the report could not be written (the script's JSON then stands).
 */
public final class GpuCheckReport {
    /** Step names the script gives: "test-" + class, "compare-" + case, "sanitize-" + tool + "-" + run. */
    static final String TEST_STEP = "test-";
    static final String COMPARE_STEP = "compare-";
    static final String SANITIZE_STEP = "sanitize-";
    /** The step that stands for all sanitizer runs when none could start (no compute-sanitizer). */
    static final String SANITIZER_STEP = "sanitize";
    static final String SASS_STEP = "sass-barrier";
    /** How the script begins the reason of a step it did not start for lack of time. */
    static final String OUT_OF_TIME = "out of time";

    private static final Pattern ERROR_COUNT = Pattern.compile("\\((\\d+) errors?|SUMMARY: (\\d+) errors?");
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();

    private GpuCheckReport() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: GpuCheckReport LOG_FOLDER");
            System.exit(2);
        }
        try {
            Outcome outcome = write(Path.of(args[0]), GpuProbe.driver());
            System.out.println("gpu-check: " + outcome.summary());
            System.exit(outcome.passed() ? 0 : 1);
        } catch (IOException | RuntimeException e) {
            System.err.println("gpu-check report: " + e.getMessage());
            System.exit(2);
        }
    }

    /** One step as the script recorded it; {@code rc} is null when it did not run. */
    record Step(String name, Integer rc, double seconds, String skippedReason, String crashLog) {
        boolean ran() {
            return rc != null;
        }

        boolean timedOut() {
            return rc != null && (rc == 124 || rc == 137);
        }

        /** The JUnit launcher's counts can be believed: it ended by itself, wrote them, and did not crash. */
        boolean reportable() {
            return rc != null && (rc == 0 || rc == 1) && crashLog == null;
        }

        static Step of(JsonObject o) {
            return new Step(o.get("name").getAsString(), o.get("rc").isJsonNull() ? null : o.get("rc").getAsInt(),
                    o.get("seconds").getAsDouble(), text(o, "skipped_reason"), text(o, "crash_log"));
        }
    }

    /** Whether the run passed, and a line that says so. */
    record Outcome(boolean passed, String summary) {}

    /**
     * Completes {@code LOG_FOLDER.json} and writes {@code LOG_FOLDER.md}.
     *
     * @param driver what the CUDA driver says (the card's name and version as CUDA sees them)
     */
    static Outcome write(Path logs, GpuProbe.Driver driver) throws IOException {
        Path json = sibling(logs, ".json");
        JsonObject o = JsonParser.parseString(read(json)).getAsJsonObject();
        List<Step> steps = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray("steps")) {
            steps.add(Step.of(e.getAsJsonObject()));
        }
        List<String> devices = new ArrayList<>();
        for (DeviceInfo d : driver.devices()) {
            devices.add(d.toString());
        }
        put(o, "report", "full");
        put(o, "report_problem", null);
        put(o, "driver", driver.driverVersion() > 0 ? "CUDA " + driver.versionText() : "none");
        put(o, "gpu_problem", driver.problem());
        put(o, "devices", devices);

        boolean checks = !"bench".equals(text(o, "stage"));
        List<Map<String, Object>> classes = new ArrayList<>();
        List<Map<String, Object>> compares = new ArrayList<>();
        List<Map<String, Object>> sanitizerRuns = new ArrayList<>();
        String sanitizerSkipped = null;
        Map<String, Object> sass = null;
        for (Step s : steps) {
            if (s.name().startsWith(TEST_STEP)) {
                classes.add(testClass(logs, s));
            } else if (s.name().startsWith(COMPARE_STEP)) {
                compares.add(compare(logs, s));
            } else if (s.name().startsWith(SANITIZE_STEP)) {
                sanitizerRuns.add(sanitizerRun(logs, s));
            } else if (s.name().equals(SANITIZER_STEP)) {
                sanitizerSkipped = s.skippedReason();
            } else if (s.name().equals(SASS_STEP)) {
                sass = sassBarrier(logs, s);
            }
        }
        Integer run = total(classes, "tests_run");
        Integer failed = total(classes, "tests_failed");
        put(o, "tests_run", run);
        put(o, "tests_failed", failed);
        put(o, "tests_skipped", total(classes, "tests_skipped"));
        put(o, "test_classes", checks ? classes : null);
        Step smoke = steps.stream().filter(s -> s.name().equals("smoke")).findFirst().orElse(null);
        put(o, "smoke", smoke != null && smoke.ran() ? lastLine(read(logs.resolve("smoke.log")), "SMOKE:") : null);
        put(o, "compares", checks ? compares : null);
        put(o, "sass_barrier", sass);
        if (checks) {
            Map<String, Object> sanitizer = new LinkedHashMap<>();
            sanitizer.put("skipped_reason", sanitizerSkipped);
            sanitizer.put("runs", sanitizerRuns);
            put(o, "sanitizer", sanitizer);
        }

        boolean stepsOk = steps.stream().allMatch(s -> s.ran() ? s.rc() == 0
                : s.skippedReason() == null || !s.skippedReason().startsWith(OUT_OF_TIME));
        boolean checksOk = !checks || run != null && run > 0 && failed != null && failed == 0 && !compares.isEmpty()
                && compares.stream().allMatch(c -> Boolean.TRUE.equals(c.get("agree")));
        boolean passed = "finished".equals(text(o, "state")) && stepsOk && checksOk;
        put(o, "passed", passed);

        Path md = sibling(logs, ".md");
        AtomicFiles.writeString(md, GpuCheckMarkdown.render(o, steps, logs));
        AtomicFiles.writeString(json, GSON.toJson(o) + "\n");
        return new Outcome(passed, (passed ? "PASSED" : "NOT PASSED") + " on " + text(o, "gpu") + "; tests run " + run
                + ", failed " + failed + "; comparisons agreeing: "
                + compares.stream().filter(c -> Boolean.TRUE.equals(c.get("agree"))).count() + " of " + compares.size()
                + "; reports " + md + " and " + json);
    }

    /** {@code dir.json} for {@code dir}: the report files sit beside the log folder. */
    static Path sibling(Path logs, String suffix) {
        Path abs = logs.toAbsolutePath().normalize();
        return abs.resolveSibling(abs.getFileName() + suffix);
    }

    /** The JUnit launcher's folder of XML reports for the step that launched it. */
    static Path junitDir(Path logs, Step s) {
        return logs.resolve("junit").resolve(s.name());
    }

    private static Map<String, Object> testClass(Path logs, Step s) throws IOException {
        String name = s.name().substring(TEST_STEP.length());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("class", name);
        c.put("rc", s.rc());
        c.put("seconds", s.seconds());
        c.put("skipped_reason", s.skippedReason());
        c.put("crash_log", s.crashLog());
        JUnitReport r = s.reportable() ? JUnitReport.read(junitDir(logs, s)) : null;
        c.put("tests_run", r != null ? r.run() : null);
        c.put("tests_failed", r != null ? r.failed() : null);
        c.put("tests_skipped", r != null ? r.skipped() : null);
        c.put("first_failure", r != null ? r.firstFailure() : null);
        return c;
    }

    /** The sum over the classes, or null when any class has no count (or there is no class). */
    private static Integer total(List<Map<String, Object>> classes, String key) {
        if (classes.isEmpty()) {
            return null;
        }
        int sum = 0;
        for (Map<String, Object> c : classes) {
            if (c.get(key) == null) {
                return null;
            }
            sum += (Integer) c.get(key);
        }
        return sum;
    }

    /** passed, failed or skipped, and why, for the step that runs GridBarrierSassTest. */
    private static Map<String, Object> sassBarrier(Path logs, Step s) throws IOException {
        String verdict;
        String reason;
        JUnitReport r = s.reportable() ? JUnitReport.read(junitDir(logs, s)) : null;
        if (!s.ran()) {
            verdict = "skipped";
            reason = s.skippedReason();
        } else if (r == null) {
            verdict = "failed";
            reason = "no JUnit report: " + ended(s);
        } else if (r.failed() > 0) {
            verdict = "failed";
            reason = r.firstFailure();
        } else if (r.run() == 0) {
            verdict = "skipped";
            reason = r.firstSkip() != null ? r.firstSkip() : "no test ran";
        } else {
            verdict = "passed";
            reason = r.run() + " test" + (r.run() == 1 ? "" : "s") + " passed";
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("verdict", verdict);
        m.put("reason", reason);
        return m;
    }

    /** "exit 124 (timed out)", "exit 1, crash log hs_err_42.log". */
    private static String ended(Step s) {
        return "exit " + s.rc() + (s.timedOut() ? " (timed out)" : "") + (s.crashLog() != null ? ", crash log " + s.crashLog() : "");
    }

    private static Map<String, Object> sanitizerRun(Path logs, Step s) throws IOException {
        String[] toolAndRun = s.name().substring(SANITIZE_STEP.length()).split("-", 2);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tool", toolAndRun[0]);
        m.put("run", toolAndRun.length > 1 ? toolAndRun[1] : "");
        m.put("rc", s.rc());
        m.put("seconds", s.seconds());
        String summary = s.ran() ? lastLine(read(logs.resolve(s.name() + ".log")), null) : null;
        Integer errors = null;
        if (summary != null) {
            Matcher e = ERROR_COUNT.matcher(summary);
            errors = e.find() ? Integer.valueOf(e.group(1) != null ? e.group(1) : e.group(2)) : null;
        }
        String verdict;
        if (!s.ran()) {
            verdict = "skipped: " + s.skippedReason();
        } else if (errors != null && errors > 0) {
            verdict = "errors";
        } else if (s.timedOut()) {
            verdict = "timed out";
        } else if (s.rc() == 0 && summary != null) {
            verdict = "clean";
        } else {
            verdict = "failed: " + ended(s) + (summary == null ? ", no sanitizer summary" : "");
        }
        m.put("verdict", verdict);
        m.put("summary", summary);
        return m;
    }

    private static Map<String, Object> compare(Path logs, Step s) throws IOException {
        String name = s.name().substring(COMPARE_STEP.length());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("exit_code", s.rc());
        String out = read(logs.resolve(s.name() + ".json")).strip();
        if (!out.startsWith("{")) {
            c.put("agree", false);
            c.put("error", !s.ran() ? "skipped: " + s.skippedReason()
                    : tail(read(logs.resolve(s.name() + ".log")), 3) + " (" + ended(s) + ")");
            return c;
        }
        JsonObject j = JsonParser.parseString(out).getAsJsonObject();
        for (String key : new String[] {"n", "d", "batch_size", "epochs", "max_abs_dw", "abs_db", "parameters_identical",
            "bit_identical", "agree"}) {
            JsonElement e = j.get(key);
            c.put(key, e == null ? null : e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean() ? (Object) e.getAsBoolean()
                    : (Object) e.getAsNumber());
        }
        for (JsonElement engine : j.getAsJsonArray("engines")) {
            JsonObject e = engine.getAsJsonObject();
            c.put(e.get("engine").getAsString() + "_seconds_per_epoch", e.get("seconds_per_epoch").getAsDouble());
        }
        return c;
    }

    private static void put(JsonObject o, String key, Object value) {
        o.add(key, GSON.toJsonTree(value));
    }

    /** A value as text: null for a missing key or a JSON null, arrays and objects as JSON. */
    static String text(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.isJsonPrimitive() ? e.getAsString() : e.toString();
    }

    /** The last line that starts with {@code prefix} (or, with a null prefix, contains "SUMMARY:"), or null. */
    private static String lastLine(String text, String prefix) {
        String found = null;
        for (String line : text.split("\n")) {
            String l = line.replaceFirst("^=+ ", "").strip();
            if (prefix != null ? l.startsWith(prefix) : l.contains("SUMMARY:")) {
                found = l;
            }
        }
        return found;
    }

    /** The last lines of a step's log, joined, without the command line the script writes first. */
    private static String tail(String log, int lines) {
        List<String> all = new ArrayList<>(Arrays.asList(log.strip().split("\n")));
        if (!all.isEmpty() && all.get(0).startsWith("# ")) {
            all.remove(0);
        }
        return String.join(" / ", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** The file's text ("" when it is missing); bytes that are not UTF-8 are replaced, not fatal. */
    static String read(Path file) throws IOException {
        return Files.isRegularFile(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
    }
}
