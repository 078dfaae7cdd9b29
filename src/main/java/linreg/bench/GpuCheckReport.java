package linreg.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import linreg.gpu.DeviceInfo;
import linreg.gpu.GpuProbe;
import org.w3c.dom.Element;

/**
 * Writes the report of {@code scripts/gpu-check.sh} from the logs it left in a work folder:
 * {@code <date>-<gpu>-gpu-check.md} with every log in full, and a {@code .json} beside it with
 * the card, the driver, the test counts and each comparison's verdict.
 *
 * <p>Usage: {@code GpuCheckReport WORK_DIR OUT_DIR COMMAND...}
 */
public final class GpuCheckReport {
    /** The logs, in the order the report shows them. */
    private static final String[] LOGS = {
        "command.txt", "probe.log", "smoke.log", "doctor.log", "tests.log",
        "compare-tutorial-pipeline.out", "compare-tutorial-pipeline.err", "compare-1e6-pipeline.out",
        "compare-1e6-pipeline.err", "compare-tutorial-fused.out", "compare-tutorial-fused.err",
        "compare-1e6-fused.out", "compare-1e6-fused.err",
    };

    private GpuCheckReport() {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        Path outDir = Path.of(args[1]);
        GpuProbe.Driver driver = GpuProbe.driver();
        String gpu = driver.devices().isEmpty() ? "no GPU" : driver.devices().get(0).name();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("date", LocalDate.now().toString());
        o.put("gpu", gpu);
        o.put("driver", driver.driverVersion() > 0 ? "CUDA " + driver.versionText() : "none");
        o.put("gpu_problem", driver.problem());
        List<String> devices = new ArrayList<>();
        for (DeviceInfo d : driver.devices()) {
            devices.add(d.toString());
        }
        o.put("devices", devices);
        o.put("command", read(work.resolve("command.txt")).strip());
        o.putAll(testCounts(work.resolve("junit")));
        o.put("smoke", lastLine(read(work.resolve("smoke.log")), "SMOKE:"));
        List<Map<String, Object>> compares = new ArrayList<>();
        for (String name : new String[] {"tutorial-pipeline", "1e6-pipeline", "tutorial-fused", "1e6-fused"}) {
            compares.add(compare(work, name));
        }
        o.put("compares", compares);
        boolean ok = (int) o.get("tests_failed") == 0 && (int) o.get("tests_run") > 0
                && compares.stream().allMatch(c -> Boolean.TRUE.equals(c.get("agree")));
        o.put("passed", ok);

        String slug = gpu.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        Files.createDirectories(outDir);
        Path json = outDir.resolve(LocalDate.now() + "-" + slug + "-gpu-check.json");
        Path md = outDir.resolve(LocalDate.now() + "-" + slug + "-gpu-check.md");
        Files.writeString(json, new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping()
                .create().toJson(o) + "\n");
        Files.writeString(md, markdown(work, o));
        System.out.println("gpu-check: " + (ok ? "PASSED" : "NOT PASSED") + " on " + gpu + "; tests run "
                + o.get("tests_run") + ", failed " + o.get("tests_failed") + ", skipped " + o.get("tests_skipped")
                + "; reports " + md + " and " + json);
        System.exit(ok ? 0 : 1);
    }

    /** Counts from the JUnit console launcher's XML report (zeros when it is missing). */
    private static Map<String, Object> testCounts(Path junitDir) throws Exception {
        int tests = 0;
        int failed = 0;
        int skipped = 0;
        Path xml = junitDir.resolve("TEST-junit-jupiter.xml");
        if (Files.exists(xml)) {
            Element suite = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile()).getDocumentElement();
            tests = Integer.parseInt(suite.getAttribute("tests"));
            skipped = Integer.parseInt(suite.getAttribute("skipped"));
            failed = Integer.parseInt(suite.getAttribute("failures")) + Integer.parseInt(suite.getAttribute("errors"));
        }
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("tests_run", tests - skipped);
        counts.put("tests_failed", failed);
        counts.put("tests_skipped", skipped);
        return counts;
    }

    private static Map<String, Object> compare(Path work, String name) throws IOException {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        String rc = read(work.resolve("compare-" + name + ".rc")).strip();
        c.put("exit_code", rc.isEmpty() ? null : Integer.parseInt(rc));
        String out = read(work.resolve("compare-" + name + ".out")).strip();
        if (!out.startsWith("{")) {
            c.put("agree", false);
            c.put("error", read(work.resolve("compare-" + name + ".err")).strip());
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

    private static String markdown(Path work, Map<String, Object> o) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("# gpu-check on ").append(o.get("gpu")).append(", ").append(o.get("date")).append("\n\n");
        s.append("- result: **").append(Boolean.TRUE.equals(o.get("passed")) ? "passed" : "not passed").append("**\n");
        s.append("- driver: ").append(o.get("driver")).append('\n');
        for (Object d : (List<?>) o.get("devices")) {
            s.append("- ").append(d).append('\n');
        }
        if (o.get("gpu_problem") != null) {
            s.append("- no usable GPU: ").append(o.get("gpu_problem")).append('\n');
        }
        s.append("- command: `").append(o.get("command")).append("`\n");
        s.append("- gpu-tagged tests: ").append(o.get("tests_run")).append(" run, ").append(o.get("tests_failed"))
                .append(" failed, ").append(o.get("tests_skipped")).append(" skipped\n");
        s.append("- kit smoke test: ").append(o.get("smoke")).append('\n');
        for (Object c : (List<?>) o.get("compares")) {
            s.append("- compare ").append(c).append('\n');
        }
        s.append("\nThe same data as JSON: the `.json` file beside this one.\n");
        for (String log : LOGS) {
            String text = read(work.resolve(log));
            if (!text.isEmpty()) {
                s.append("\n## ").append(log).append("\n\n```\n").append(text.strip()).append("\n```\n");
            }
        }
        return s.toString();
    }

    private static String lastLine(String text, String prefix) {
        String found = null;
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                found = line;
            }
        }
        return found;
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
